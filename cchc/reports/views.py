"""Report pages. Thin: a permission-checked look-up, parse the form, call one
service, render or redirect. The services check permissions again."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.core import audit, figures
from cchc.core.forms import add_service_errors, service_error_messages
from cchc.core.permissions import check_commune, require_perm
from cchc.core.uploads import attachment
from cchc.core.workflow import Conflict
from cchc.org.models import Unit

from . import services, tables
from .documents import report_docx, report_xlsx
from .forms import ActionForm, AssignForm, ReportCreateForm, ReportEditForm, SectionForm
from .models import Report, ReportStatus, Section, SectionAttachment

VIEW_PERM = "reports.view_report"
NO_VIEW = "Bạn không có quyền xem báo cáo CCHC."


# --- permission-checked look-ups ---------------------------------------------------
def get_report(user, pk: int) -> Report:
    """The report if `user` may read it (404 otherwise: another commune's reports,
    and drafts for a superior, do not exist for them)."""
    require_perm(user, VIEW_PERM, NO_VIEW)
    report = get_object_or_404(Report.objects.select_related("commune", "plan"), pk=pk)
    check_commune(user, report.commune_id)
    if not Report.objects.visible_to(user).filter(pk=report.pk).exists():
        raise Http404("Không tìm thấy.")
    return report


def get_section(user, pk: int, section_pk: int) -> Section:
    report = get_report(user, pk)
    section = get_object_or_404(Section.objects.select_related("department"), pk=section_pk, report=report)
    section.report = report
    return section


def _run(request: HttpRequest, action: Callable, success: str) -> bool:
    """Call a service; show its refusal as a message. True when it succeeded."""
    try:
        action()
    except ValidationError as exc:
        for message in service_error_messages(exc):
            messages.error(request, message)
        return False
    except Conflict as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def _creatable_periods(commune: Unit) -> list:
    today = timezone.localdate()
    taken = set(Report.objects.filter(commune=commune).values_list("period_code", flat=True))
    # The last two years too: a report may be made late, and the province still wants it.
    periods = [p for year in range(today.year - 2, today.year + 1) for p in services.expected_periods(year)]
    return [p for p in periods if p.code not in taken and p.date_from <= today]


# --- list and creation -----------------------------------------------------------------
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW_PERM, NO_VIEW)
    today = timezone.localdate()
    qs = Report.objects.visible_to(request.user).select_related("commune")
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    commune = request.user.home_commune
    create_form = None
    if commune and services.EDIT in services.capabilities(request.user, Report(commune=commune)):
        create_form = ReportCreateForm(periods=_creatable_periods(commune))
    rows = [(r, r.is_overdue(today)) for r in qs.order_by("-date_to", "-period_kind", "commune__path")]
    return render(
        request,
        "reports/report_list.html",
        {
            "rows": rows,
            "year": year,
            "create_form": create_form,
            "multi": len(request.user.commune_ids()) > 1,
        },
    )


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    commune = request.user.home_commune
    if commune is None:
        raise PermissionDenied("Chỉ cán bộ cấp xã lập báo cáo của xã mình.")
    form = ReportCreateForm(request.POST, periods=_creatable_periods(commune))
    if form.is_valid():
        period = form.cleaned_data["period"]
        try:
            report = services.report_create(user=request.user, commune=commune, period=period)
        except ValidationError as exc:
            for message in service_error_messages(exc):
                form.add_error(None, message)
        except Conflict as exc:
            form.add_error("period", exc.message)
        else:
            messages.success(request, f"Đã lập báo cáo {period.label} và giao các bộ phận viết.")
            return redirect("reports:detail", report.pk)
    messages.error(
        request, "Không lập được báo cáo: " + "; ".join(m for ms in form.errors.values() for m in ms)
    )
    return redirect("reports:list")


# --- one report -----------------------------------------------------------------------------
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request.user, pk)
    user = request.user
    today = timezone.localdate()
    caps = services.capabilities(user, report)
    sections = list(report.sections.select_related("department").prefetch_related("attachments"))
    cells = tables.quote_cells(report, [s.body for s in sections])
    moves = services.REPORT_WORKFLOW.available(report.status, caps)
    edit_form = None
    if report.is_editable and services.EDIT in caps:
        edit_form = ReportEditForm(
            initial={
                "subject": report.subject,
                "recipients": report.recipients,
                "signer_name": report.signer_name,
                "signer_title": report.signer_title,
            }
        )
    suggested = services.next_number(report, today.year) if report.status == ReportStatus.APPROVED else ""
    report_tables, computed_at = tables.tables_with_time(report, fresh=request.GET.get("tinh_lai") == "1")
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "period": report.period,
            "sections": [(s, s.is_late(today), s.lateness_label(today)) for s in sections],
            "section_bodies": sections,
            "cells": cells,
            "tables": report_tables,
            "computed_at": computed_at,
            "differences": tables.differences(report) if report.is_sent else [],
            "moves": moves,
            "edit_form": edit_form,
            "suggested_number": suggested,
            "today": today,
            "overdue": report.is_overdue(today),
            "events": report.events.select_related("actor"),
            "action_labels": services.REPORT_ACTION_LABELS,
            "accepted": sum(s.status == "accepted" for s in sections),
        },
    )


@login_required
@require_POST
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request.user, pk)
    form = ReportEditForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.report_update(user=request.user, report=report, **form.cleaned_data),
            "Đã lưu phần đầu và nơi nhận của báo cáo.",
        )
    else:
        messages.error(request, "Trích yếu không hợp lệ.")
    return redirect("reports:detail", report.pk)


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ngày ban hành không hợp lệ (dd/mm/yyyy).")
        return redirect("reports:detail", report.pk)
    data = form.cleaned_data
    action = data["action"]
    label = services.REPORT_ACTION_LABELS.get(action, action)
    _run(
        request,
        lambda: services.report_act(
            user=request.user,
            report=report,
            action=action,
            note=data["note"],
            number=data["number"],
            issued_on=data["issued_on"],
        ),
        f"Đã thực hiện: {label}.",
    )
    return redirect("reports:detail", report.pk)


# --- sections -----------------------------------------------------------------------------
@login_required
def section_page(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    section = get_section(request.user, pk, section_pk)
    report = section.report
    user = request.user
    editable = services.can_edit_text(user, section)
    form = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("Bạn không sửa được phần báo cáo này lúc này.")
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                services.section_save(
                    user=user,
                    section=section,
                    body=form.cleaned_data["body"],
                    version=form.cleaned_data["version"],
                    files=request.FILES.getlist("files"),
                )
            except (ValidationError, Conflict) as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Đã lưu phần báo cáo.")
                return redirect("reports:section", report.pk, section.pk)
    elif editable:
        form = SectionForm(initial={"body": section.body, "version": section.version})
    today = timezone.localdate()
    caps = services.capabilities(user, report, section)
    moves = services.SECTION_WORKFLOW.available(section.status, caps) if report.is_editable else []
    assign_form = None
    if report.is_editable and services.CONSOLIDATE in caps:
        assign_form = AssignForm(
            commune_id=report.commune_id,
            initial={"department": section.department_id, "due_date": section.due_date},
        )
    return render(
        request,
        "reports/section.html",
        {
            "report": report,
            "section": section,
            "form": form,
            "moves": moves,
            "assign_form": assign_form,
            "late": section.is_late(today),
            "lateness": section.lateness_label(today),
            "cells": tables.quote_cells(report, [section.body]),
            "catalogue": figures.all_figures(),
            "uploads": services.ATTACHMENT_UPLOADS,
            "attachments": section.attachments.all(),
            "editable": editable,
            "events": section.events.select_related("actor"),
            "action_labels": services.SECTION_ACTION_LABELS,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def section_action(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    section = get_section(request.user, pk, section_pk)
    action = request.POST.get("action", "")
    label = services.SECTION_ACTION_LABELS.get(action, action)
    _run(
        request,
        lambda: services.section_act(
            user=request.user, section=section, action=action, note=request.POST.get("note", "")
        ),
        f"Đã thực hiện: {label}.",
    )
    return redirect("reports:section", section.report_id, section.pk)


@login_required
@require_POST
def section_assign(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    section = get_section(request.user, pk, section_pk)
    form = AssignForm(request.POST, commune_id=section.report.commune_id)
    if form.is_valid():
        _run(
            request,
            lambda: services.section_assign(user=request.user, section=section, **form.cleaned_data),
            "Đã giao lại phần báo cáo.",
        )
    else:
        messages.error(request, "Chọn bộ phận và hạn nộp hợp lệ.")
    return redirect("reports:section", section.report_id, section.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, section_pk: int, attachment_pk: int) -> FileResponse:
    section = get_section(request.user, pk, section_pk)
    item = get_object_or_404(SectionAttachment, pk=attachment_pk, section=section)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp không còn trên máy chủ.") from exc
    audit.record(item, "export", {"file": item.original_name})
    return FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, section_pk: int, attachment_pk: int) -> HttpResponse:
    section = get_section(request.user, pk, section_pk)
    item = get_object_or_404(SectionAttachment, pk=attachment_pk, section=section)
    if not services.can_edit_text(request.user, section):
        raise PermissionDenied("Bạn không xóa được tệp của phần báo cáo này.")
    _run(
        request,
        lambda: services.attachment_delete(user=request.user, attachment=item),
        f"Đã xóa tệp “{item.original_name}”.",
    )
    return redirect("reports:section", section.report_id, section.pk)


# --- documents ------------------------------------------------------------------------------------
def docx_name(report: Report) -> str:
    return f"bao-cao-cchc-{report.commune.slug}-{report.period_code}.docx"


def xlsx_name(report: Report) -> str:
    return f"so-lieu-bao-cao-cchc-{report.commune.slug}-{report.period_code}.xlsx"


def document_download(report: Report) -> HttpResponse:
    return attachment(report_docx(report), docx_name(report))


def tables_download(report: Report) -> HttpResponse:
    return attachment(report_xlsx(report), xlsx_name(report))


@login_required
def report_document(request: HttpRequest, pk: int) -> HttpResponse:
    return document_download(get_report(request.user, pk))


@login_required
def report_tables_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return tables_download(get_report(request.user, pk))


# --- the province's view --------------------------------------------------------------------
@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW_PERM, NO_VIEW)
    today = timezone.localdate()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else today.year
    periods, rows = services.completeness_table(
        communes=request.user.visible_communes(), year=year, today=today
    )
    owed = sum(r.owed for r in rows)
    sent = sum(r.sent for r in rows)
    on_time = sum(r.on_time for r in rows)
    return render(
        request,
        "reports/completeness.html",
        {
            "year": year,
            "years": list(range(today.year, today.year - 4, -1)),
            "periods": [(p, services.deadline_for(p)) for p in periods],
            "rows": rows,
            "owed": owed,
            "sent": sent,
            "on_time": on_time,
            "sent_rate": figures.format_value(figures.percent(sent, owed), figures.PERCENT),
            "on_time_rate": figures.format_value(figures.percent(on_time, owed), figures.PERCENT),
            "today": today,
        },
    )
