"""Pages of the legal-documents register: documents and their status, review
rounds with findings, and the annual systematisation lists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.core.uploads import attachment as download
from cchc.core.workflow import Conflict
from cchc.org.models import Unit

from ..common import services as common_services
from ..common import views as common
from . import services
from .forms import DocumentActForm, DocumentFilterForm, DocumentForm, FindingForm, HandleForm, RoundForm
from .models import Finding, LegalDocument, ReviewRound
from .spec import SPEC, systematisation, systematisation_xlsx


# --- documents ------------------------------------------------------------------------------
@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    return common.list_page(
        request,
        SPEC,
        form_class=DocumentFilterForm,
        queryset=LegalDocument.objects.select_related("commune", "changed_by"),
        template="registers/legal/list.html",
        table_template="registers/legal/_table.html",
    )


@login_required
def document_add(request: HttpRequest) -> HttpResponse:
    commune = common.working_commune(request.user, SPEC)
    form = DocumentForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        document = common.save_form(
            request,
            form,
            lambda: services.document_save(user=request.user, commune=commune, **form.values()),
            "Đã vào sổ văn bản.",
        )
        if document is not None:
            return redirect(SPEC.url("detail", document.pk))
    return _document_form(request, form, None)


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = common.get_record(request.user, SPEC, pk, write=True)
    form = DocumentForm(
        request.POST or None,
        commune=document.commune,
        initial={**services.document_values(document), "version": document.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.document_save(
                user=request.user,
                document=document,
                expected_version=form.expected_version(),
                **form.values(),
            ),
            "Đã lưu thay đổi.",
        )
        if saved is not None:
            return redirect(SPEC.url("detail", saved.pk))
    return _document_form(request, form, document)


def _document_form(request: HttpRequest, form, document) -> HttpResponse:
    return render(
        request,
        "registers/legal/document_form.html",
        {"spec": SPEC, "form": form, "record": document},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def document_detail(request: HttpRequest, pk: int, form: DocumentActForm | None = None) -> HttpResponse:
    document = common.get_record(
        request.user, SPEC, pk, queryset=LegalDocument.objects.select_related("changed_by", "department")
    )
    context = common.detail_context(request, SPEC, document)
    moves = services.WORKFLOW.available(document.status, ()) if context["can_manage"] else []
    context.update(
        moves=moves,
        act_form=form or DocumentActForm(commune=document.commune, initial={"version": document.version}),
        events=document.events.select_related("actor", "changed_by"),
        findings=document.findings.select_related("round", "handled_by"),
        changes=document.changes.all(),
    )
    return render(
        request, "registers/legal/document_detail.html", context, status=400 if form is not None else 200
    )


@login_required
@require_POST
def document_act(request: HttpRequest, pk: int) -> HttpResponse:
    document = common.get_record(request.user, SPEC, pk, write=True)
    form = DocumentActForm(request.POST, commune=document.commune)
    if not form.is_valid():
        return document_detail(request, pk, form)
    data = form.cleaned_data
    try:
        document = services.document_act(
            user=request.user,
            document=document,
            action=data["action"],
            on=data["on"],
            changed_by=data["changed_by"],
            change_ref=data["change_ref"],
            note=data["note"],
            expected_version=data["version"],
        )
    except ValidationError as exc:
        common.add_service_errors(form, exc)
        return document_detail(request, pk, form)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(SPEC.url("detail", pk))
    messages.success(request, f"Đã ghi tình trạng: {document.get_status_display()}.")
    return redirect(SPEC.url("detail", pk))


@login_required
@require_POST
def document_attach(request: HttpRequest, pk: int) -> HttpResponse:
    document = common.get_record(request.user, SPEC, pk, write=True)
    return common.attachment_upload(request, SPEC, document, SPEC.url("detail", document.pk))


# --- review rounds ----------------------------------------------------------------------------
def _round(request: HttpRequest, pk: int, *, write: bool = False) -> ReviewRound:
    round = get_object_or_404(ReviewRound.objects.select_related("commune", "department"), pk=pk)
    common_services.check_view(request.user, SPEC, round.commune_id)
    if write:
        common_services.check_manage(request.user, SPEC, round.commune_id)
    return round


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    common_services.check_view(request.user, SPEC)
    rounds = ReviewRound.objects.filter(commune_id__in=request.user.commune_ids()).select_related("commune")
    page = Paginator(rounds, common.PAGE_SIZE).get_page(request.GET.get("page"))
    commune = request.user.home_commune
    return render(
        request,
        "registers/legal/round_list.html",
        {
            "spec": SPEC,
            "page": page,
            "multi_commune": len(request.user.commune_ids()) > 1,
            "can_manage": commune is not None and common_services.can_manage(request.user, SPEC, commune.pk),
        },
    )


@login_required
def round_add(request: HttpRequest) -> HttpResponse:
    commune = common.working_commune(request.user, SPEC)
    form = RoundForm(request.POST or None, commune=commune, initial={"department": request.user.department})
    if request.method == "POST" and form.is_valid():
        round = common.save_form(
            request,
            form,
            lambda: services.round_save(user=request.user, commune=commune, **form.values()),
            "Đã ghi đợt rà soát; thêm kết quả từng văn bản bên dưới.",
        )
        if round is not None:
            return redirect("registers:legal_round", round.pk)
    return _round_form(request, form, None)


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk, write=True)
    initial = {n: getattr(round, n) for n in services.ROUND_FIELDS}
    form = RoundForm(
        request.POST or None, commune=round.commune, initial={**initial, "version": round.version}
    )
    if request.method == "POST" and form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.round_save(
                user=request.user, round=round, expected_version=form.expected_version(), **form.values()
            ),
            "Đã lưu thay đổi.",
        )
        if saved is not None:
            return redirect("registers:legal_round", saved.pk)
    return _round_form(request, form, round)


def _round_form(request: HttpRequest, form, round) -> HttpResponse:
    return render(
        request,
        "registers/legal/round_form.html",
        {"spec": SPEC, "form": form, "record": round},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def round_detail(request: HttpRequest, pk: int, form: FindingForm | None = None) -> HttpResponse:
    round = _round(request, pk)
    can_manage = common_services.can_manage(request.user, SPEC, round.commune_id)
    if can_manage and form is None:
        form = FindingForm(commune=round.commune, initial={"reviewed_on": round.ended_on or round.started_on})
    context = common.detail_context(request, SPEC, round)
    context.update(
        findings=round.findings.select_related("document", "handled_by"),
        finding_form=form if can_manage else None,
    )
    return render(
        request, "registers/legal/round_detail.html", context, status=400 if form and form.errors else 200
    )


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk, write=True)
    form = FindingForm(request.POST, commune=round.commune)
    if form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.finding_save(user=request.user, round=round, **form.values()),
            "Đã ghi kết quả rà soát văn bản.",
        )
        if saved is not None:
            return redirect("registers:legal_round", round.pk)
    return round_detail(request, pk, form)


def _finding(request: HttpRequest, pk: int, *, write: bool = False) -> Finding:
    finding = get_object_or_404(Finding.objects.select_related("round", "document", "handled_by"), pk=pk)
    common_services.check_view(request.user, SPEC, finding.commune_id)
    if write:
        common_services.check_manage(request.user, SPEC, finding.commune_id)
    return finding


@login_required
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk, write=True)
    commune = finding.round.commune
    initial = {n: getattr(finding, n) for n in services.FINDING_FIELDS}
    form = FindingForm(
        request.POST if request.POST.get("form") == "finding" else None,
        commune=commune,
        initial={**initial, "version": finding.version},
    )
    handle_form = HandleForm(
        request.POST if request.POST.get("form") == "handle" else None,
        commune=commune,
        initial={"version": finding.version, "on": finding.handled_on, "handled_by": finding.handled_by},
    )
    if request.method == "POST" and request.POST.get("form") == "finding" and form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.finding_save(
                user=request.user, finding=finding, expected_version=form.expected_version(), **form.values()
            ),
            "Đã lưu.",
        )
        if saved is not None:
            return redirect("registers:legal_round", finding.round_id)
    if request.method == "POST" and request.POST.get("form") == "handle" and handle_form.is_valid():
        d = handle_form.cleaned_data
        saved = common.save_form(
            request,
            handle_form,
            lambda: services.finding_handle(
                user=request.user,
                finding=finding,
                on=d["on"],
                handled_by=d["handled_by"],
                handling_ref=d["handling_ref"],
                note=d["note"],
                update_document=d["update_document"],
                expected_version=d["version"],
            ),
            "Đã ghi nhận việc xử lý.",
        )
        if saved is not None:
            return redirect("registers:legal_round", finding.round_id)
    if request.method == "POST" and request.POST.get("form") == "unhandle":
        services.finding_unhandle(user=request.user, finding=finding)
        messages.success(request, "Đã bỏ ghi nhận xử lý.")
        return redirect("registers:legal_finding", finding.pk)
    bound = request.method == "POST" and (form.errors or handle_form.errors)
    return render(
        request,
        "registers/legal/finding_form.html",
        {
            "spec": SPEC,
            "form": form,
            "handle_form": handle_form,
            "record": finding,
            "history": common.history(finding),
        },
        status=400 if bound else 200,
    )


@login_required
@require_POST
def round_attach(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk, write=True)
    return common.attachment_upload(request, SPEC, round, reverse("registers:legal_round", args=[round.pk]))


# --- systematisation --------------------------------------------------------------------------
@login_required
def systematisation_page(request: HttpRequest) -> HttpResponse:
    """The annual lists of the commune's legal normative documents (in force at
    31/12, ended during the year, amended in part during the year)."""
    common_services.check_view(request.user, SPEC)
    communes = list(Unit.objects.filter(pk__in=request.user.commune_ids()).order_by("name"))
    chosen = request.GET.get("xa", "")
    commune = next((c for c in communes if str(c.pk) == chosen), None) or request.user.home_commune
    if commune is None and communes:
        commune = communes[0]
    year_text = request.GET.get("year", "")
    year = (
        int(year_text)
        if year_text.isdigit() and 2000 <= int(year_text) <= 2100
        else timezone.localdate().year
    )
    if commune is not None and request.GET.get("format") == "xlsx":
        return download(systematisation_xlsx(commune, year), f"he-thong-hoa-van-ban-{year}.xlsx")
    lists = systematisation(commune, year) if commune is not None else None
    return render(
        request,
        "registers/legal/systematisation.html",
        {"spec": SPEC, "lists": lists, "year": year, "commune": commune, "communes": communes},
    )
