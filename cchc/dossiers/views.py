"""Staff pages of the one-stop shop. Thin: look up with permission checks
(`access.py`), parse a form, call one service, render or redirect."""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.core import audit
from cchc.core.exports import xlsx_tables
from cchc.core.figures import Scope, evaluate, evaluate_series, format_number
from cchc.core.forms import add_service_errors, service_error_messages
from cchc.core.models import CalendarOverride
from cchc.core.periods import month_windows
from cchc.core.permissions import require_perm
from cchc.core.text import filter_by_search, mask_digits
from cchc.core.uploads import attachment
from cchc.core.workcal import get_calendar
from cchc.core.workflow import Conflict
from cchc.org.models import User

from . import documents, online
from . import figures as F
from .access import (
    COUNTER,
    DEPARTMENT,
    QUEUES,
    applicant_view,
    can_see_personal,
    default_queue,
    dossier_for,
    queue_counts,
    queue_dossiers,
    search_dossiers,
    sides,
    visible_dossiers,
)
from .forms import (
    ActionForm,
    DocumentUploadForm,
    ReceiveForm,
    RecomputeForm,
    RegisterFilterForm,
    ResultUploadForm,
    StatsFilterForm,
)
from .hooks import after_action_messages, detail_parts
from .messaging import sms_status
from .models import Action, DocumentKind, DossierDocument
from .rules import ruleset_for
from .services import (
    Applicant,
    allowed_actions,
    dossier_act,
    dossier_receive,
    dossiers_recompute_due_dates,
)
from .stats import bounds


def home_panel_context(user: User) -> dict:
    return {"counts": queue_counts(user)}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "dossiers.view_dossier")
    name = request.GET.get("hang") or default_queue(request.user)
    if name not in QUEUES:
        name = "all"
    query = request.GET.get("q", "").strip()[:100]
    by_personal = False
    if query:
        # A search looks in every dossier the user may see, whatever the tab.
        qs, by_personal = search_dossiers(request.user, query)
        qs = qs.select_related("procedure", "department").order_by("-received_at", "-submitted_at", "-id")
    else:
        qs = queue_dossiers(request.user, name).select_related("procedure", "department")
    # Users of several communes (the province) see which commune a dossier belongs to
    # and may keep to one of them (?xa=<slug>).
    communes = list(request.user.visible_communes()) if len(request.user.commune_ids()) > 1 else []
    commune = None
    if communes:
        qs = qs.select_related("commune")
        wanted = request.GET.get("xa", "").strip()
        if wanted:
            commune = next((c for c in communes if c.slug == wanted), None)
            if commune is None:
                messages.error(
                    request, f"Không có xã “{wanted[:50]}” trong các xã bạn được xem; đang hiện mọi xã."
                )
            else:
                qs = qs.filter(commune=commune)
    if not query and name in ("due", "overdue", "inbox", "counter"):
        qs = qs.order_by("due_date", "received_at")
    elif not query and name == "online":
        qs = qs.order_by("submitted_at", "id")  # first come, first checked
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = [(d, applicant_view(d, can_see_personal(request.user, d))["name"]) for d in page]
    if by_personal:
        # A phone or ID number is personal data: who looked it up is recorded.
        audit.record(
            None,
            "view",
            {
                "tìm theo": "số điện thoại / số định danh",
                "số": mask_digits(query, 3),
                "kết quả": page.paginator.count,
            },
            model_label=("dossiers", "dossier"),
            object_repr="Tìm hồ sơ theo số điện thoại / số định danh",
            commune_id=request.user.home_commune.pk if request.user.home_commune else None,
        )
    return render(
        request,
        "dossiers/queue.html",
        {
            "page": page,
            "rows": rows,
            "queues": QUEUES,
            "current": "" if query else name,
            "tab": name,
            "query": query,
            "by_personal": by_personal,
            "today": timezone.localdate(),
            "communes": communes,
            "commune": commune,
        },
    )


def _intake_commune(request: HttpRequest):
    require_perm(
        request.user, "dossiers.receive_dossier", "Chỉ công chức Bộ phận Một cửa được tiếp nhận hồ sơ."
    )
    commune = request.user.home_commune
    if commune is None:
        raise PermissionDenied("Tiếp nhận hồ sơ cần tài khoản thuộc một xã.")
    return commune


def _checklist_context(form: ReceiveForm) -> dict:
    procedure = form.procedure_chosen
    groups = procedure.document_groups() if procedure is not None else []
    checked = {str(v) for v in (form.data.getlist("checked_documents") if form.is_bound else [])}
    checked |= {str(v) for v in form.initial.get("checked_documents", [])}
    return {
        "procedure": procedure,
        "groups": [g for g in groups if g.documents],
        "cases": [g.heading for g in groups if g.is_case and g.documents],
        "notes": [r for g in groups for r in g.notes],
        "checked": checked,
    }


@login_required
def receive(request: HttpRequest) -> HttpResponse:
    """The counter's intake form: pick the procedure (search as you type, or a
    plain list without JavaScript), tick the documents received from its published
    list (by case; an "other" line stays free), choose where the result is
    collected. "Hiện danh mục giấy tờ" re-shows the form with the chosen
    procedure's list, saving nothing."""
    commune = _intake_commune(request)
    if request.method == "POST" and "_checklist" in request.POST:
        initial = {
            k: request.POST.get(k) for k in request.POST if k not in ("csrfmiddlewaretoken", "_checklist")
        }
        initial["checked_documents"] = request.POST.getlist("checked_documents")
        form = ReceiveForm(commune=commune, initial=initial)
        return render(request, "dossiers/receive.html", {"form": form, **_checklist_context(form)})
    form = ReceiveForm(
        request.POST or None, commune=commune, initial={"procedure": request.GET.get("thu_tuc")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = dossier_receive(
                user=request.user,
                procedure=data["procedure"],
                channel=data["channel"],
                applicant=Applicant(
                    name=data["applicant_name"],
                    id_number=data["applicant_id_number"],
                    phone=data["applicant_phone"],
                    address=data["applicant_address"],
                    email=data["applicant_email"],
                ),
                representative=data["representative"],
                request=data["request"],
                documents=data["documents_text"],
                copies=data["copies"],
                result_delivery=data["result_delivery"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Đã tiếp nhận hồ sơ {dossier.code}; hẹn trả ngày {dossier.due_date:%d/%m/%Y}."
            )
            return redirect("dossiers:detail", code=dossier.code)
    return render(request, "dossiers/receive.html", {"form": form, **_checklist_context(form)})


@login_required
def receive_checklist(request: HttpRequest) -> HttpResponse:
    """The documents checklist of one procedure (htmx, when the officer picks it)."""
    commune = _intake_commune(request)
    form = ReceiveForm(commune=commune, initial={"procedure": request.GET.get("procedure")})
    return render(request, "dossiers/_checklist.html", {"form": form, **_checklist_context(form)})


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for(request.user, code)
    personal = can_see_personal(request.user, dossier)
    if personal:
        audit.record(dossier, "view", {"page": "chi tiết hồ sơ"})
    actions = allowed_actions(request.user, dossier)
    return render(
        request,
        "dossiers/detail.html",
        {
            "d": dossier,
            "applicant": applicant_view(dossier, personal),
            "personal": personal,
            "events": dossier.events.select_related("department_from", "department_to"),
            "supplements": dossier.supplement_requests.all(),
            "actions": [(a, Action(a).label) for a in actions],
            "action_codes": set(actions),
            "form": ActionForm(
                commune_id=dossier.commune_id, initial={"department": dossier.procedure.department_id}
            ),
            "forms_available": documents.form_links(dossier),
            "control_form": dossier.ruleset.form("06"),
            "explain": get_calendar()
            .due(dossier.received_at, dossier.time_amount or 0, dossier.time_unit)
            .explain()
            if dossier.was_received
            else [],
            "outcome": dossier.outcome(),
            "parts": detail_parts(request.user, dossier),
            "digital": _digital_context(request.user, dossier, personal),
        },
    )


def _digital_context(user, dossier, personal: bool) -> dict:
    """The electronic documents part of the dossier page (docs/online.md §3–§6)."""
    user_sides = sides(user, dossier)
    open_for_documents = dossier.status in ("registered", "received", "processing", "supplement")
    counter = COUNTER in user_sides and open_for_documents
    department = DEPARTMENT in user_sides and dossier.status in online.RESULT_STATUSES
    files = list(dossier.files.select_related("uploaded_by", "digitised_by", "reused_from__dossier"))
    return {
        "inputs": [f for f in files if f.kind == DocumentKind.INPUT],
        "results": [f for f in files if f.kind == DocumentKind.RESULT],
        "can_download": personal,
        "upload_form": DocumentUploadForm(procedure=dossier.procedure) if counter else None,
        "reusable": online.reusable_documents(dossier) if counter and personal else [],
        "can_digitise": counter,
        "result_form": ResultUploadForm() if department else None,
        "messages": list(dossier.messages.order_by("created_at", "id")) if personal else [],
        "sms": sms_status(),
        "fee": {
            "due": format_number(dossier.fee_due) if dossier.fee_due is not None else "",
            "paid_at": dossier.fee_paid_at,
            "method": dossier.get_fee_method_display(),
            "receipt": dossier.fee_receipt,
        },
    }


def _digital_redirect(code: str) -> HttpResponse:
    return redirect(f"{reverse('dossiers:detail', args=[code])}#so-hoa")


def _digital_step(request: HttpRequest, code: str, step, success) -> HttpResponse:
    """Run one documents-panel service call; its refusal or `success(result)` becomes
    the flash message, and the officer goes back to the panel."""
    try:
        result = step()
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(service_error_messages(exc)))
    else:
        messages.success(request, success(result))
    return _digital_redirect(code)


def _form_refused(request: HttpRequest, form, code: str) -> HttpResponse:
    messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return _digital_redirect(code)


@login_required
@require_POST
def document_add(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for(request.user, code)
    form = DocumentUploadForm(request.POST, request.FILES, procedure=dossier.procedure)
    if not form.is_valid():
        return _form_refused(request, form, code)
    data = form.cleaned_data
    return _digital_step(
        request,
        code,
        lambda: online.document_add(
            user=request.user, dossier=dossier, upload=data["file"], line=data["line"], label=data["label"]
        ),
        lambda document: f"Đã số hóa “{document.label}”.",
    )


@login_required
@require_POST
def document_reuse(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for(request.user, code)
    source = DossierDocument.objects.filter(
        pk=request.POST.get("source") or 0, kind=DocumentKind.INPUT
    ).first()

    def reuse():
        if source is None:
            raise ValidationError("Không tìm thấy giấy tờ để tái sử dụng.")
        return online.document_reuse(user=request.user, dossier=dossier, source=source)

    return _digital_step(
        request,
        code,
        reuse,
        lambda document: f"Đã tái sử dụng “{document.label}” từ hồ sơ {source.dossier.code}.",
    )


@login_required
@require_POST
def document_digitise(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    dossier = dossier_for(request.user, code)
    document = dossier.files.filter(pk=pk).first()
    if document is None:
        raise Http404("Không tìm thấy giấy tờ.")
    return _digital_step(
        request,
        code,
        lambda: online.document_mark_digitised(user=request.user, document=document),
        lambda _: f"Đã xác nhận “{document.label}” đã số hóa.",
    )


@login_required
@require_POST
def result_attach(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for(request.user, code)
    form = ResultUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_refused(request, form, code)
    data = form.cleaned_data
    return _digital_step(
        request,
        code,
        lambda: online.result_attach(
            user=request.user, dossier=dossier, upload=data["file"], label=data["label"]
        ),
        lambda _: "Đã đính kèm tệp kết quả giải quyết.",
    )


@login_required
def document_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A dossier's document, only for the staff who may see its personal data (a
    scanned ID card is personal data); every download is recorded."""
    dossier = dossier_for(request.user, code)
    document = dossier.files.filter(pk=pk).first()
    if document is None:
        raise Http404("Không tìm thấy giấy tờ.")
    if not can_see_personal(request.user, dossier):
        raise PermissionDenied("Chỉ người giải quyết hồ sơ được tải giấy tờ của người nộp.")
    audit.record(dossier, "view", {"tải giấy tờ": document.label, "tệp": document.original_name})
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp không còn trên máy chủ.") from exc
    return FileResponse(handle, as_attachment=True, filename=document.original_name)


@login_required
@require_POST
def act(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for(request.user, code)
    action = request.POST.get("action", "")
    form = ActionForm(request.POST, commune_id=dossier.commune_id)
    if not form.is_valid():
        messages.error(
            request, "Dữ liệu không hợp lệ: " + "; ".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect("dossiers:detail", code=code)
    data = form.cleaned_data
    try:
        dossier_act(
            dossier=dossier,
            action=action,
            user=request.user,
            note=data["note"],
            department=data["department"],
            new_date=data["new_date"],
            items=form.item_list(),
            return_mode=data["return_mode"],
            payment=form.payment(),
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except (Conflict, ValidationError) as exc:
        messages.error(request, " ".join(service_error_messages(exc)))
    else:
        messages.success(request, f"Đã ghi thao tác “{Action(action).label}” cho hồ sơ {code}.")
        for message in after_action_messages(request.user, dossier_for(request.user, code), action):
            messages.info(request, message)
    return redirect("dossiers:detail", code=code)


@login_required
def recompute(request: HttpRequest) -> HttpResponse:
    """ "Cập nhật hạn theo lịch mới": which open dossiers' due dates the current
    calendar changes (a dry run), and a button to apply it."""
    require_perm(
        request.user,
        "dossiers.recompute_due_dates",
        "Chỉ quản trị hoặc thường trực CCHC được cập nhật hạn theo lịch mới.",
    )
    params = request.POST if request.method == "POST" else (request.GET or None)
    form = RecomputeForm(params, user=request.user)
    data = form.cleaned_data if form.is_valid() else {"commune": None, "since": None}
    commune_ids = [data["commune"].pk] if data.get("commune") else None
    if request.method == "POST" and form.is_valid():
        summary = dossiers_recompute_due_dates(
            commune_ids=commune_ids, since=data.get("since"), user=request.user
        )
        messages.success(
            request,
            f"Đã điều chỉnh hạn của {len(summary.applied)} hồ sơ; "
            f"{len(summary.kept)} hồ sơ đã quá hạn giữ nguyên hạn.",
        )
        return redirect(f"{reverse('dossiers:recompute')}?{urlencode(form.query())}")
    summary = dossiers_recompute_due_dates(
        commune_ids=commune_ids, since=data.get("since"), user=request.user, dry_run=True
    )
    return render(
        request,
        "dossiers/recompute.html",
        {"form": form, "summary": summary, "overrides": CalendarOverride.objects.order_by("-date")[:12]},
    )


@login_required
def form_print(request: HttpRequest, code: str, number: str) -> HttpResponse:
    dossier = dossier_for(request.user, code)
    if not can_see_personal(request.user, dossier):
        raise PermissionDenied("Chỉ cán bộ trực tiếp giải quyết hồ sơ được in phiếu có thông tin cá nhân.")
    doc = documents.build_form(dossier, number)
    audit.record(dossier, "export", {"form": number, "format": "html"})
    return render(request, "dossiers/form_print.html", {"doc": doc, "d": dossier})


@login_required
def form_docx(request: HttpRequest, code: str, number: str) -> HttpResponse:
    dossier = dossier_for(request.user, code)
    if not can_see_personal(request.user, dossier):
        raise PermissionDenied("Chỉ cán bộ trực tiếp giải quyết hồ sơ được tải phiếu có thông tin cá nhân.")
    doc = documents.build_form(dossier, number)
    audit.record(dossier, "export", {"form": number, "format": "docx"})
    return attachment(documents.form_docx(doc), doc.filename)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "dossiers.view_dossier")
    form = RegisterFilterForm(request.GET or None)
    qs = visible_dossiers(request.user).select_related("procedure", "department")
    if form.is_valid():
        data = form.cleaned_data
    else:
        data = RegisterFilterForm({}).clean_for_default()
    start, end = bounds(data["date_from"], data["date_to"])
    # In the book's order: rows are numbered as dossiers are entered (form 01 prints it).
    qs = qs.filter(received_at__gte=start, received_at__lt=end).order_by(
        "commune_id", "register_book", "register_number", "received_at", "id"
    )
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("q"):
        qs = filter_by_search(qs, data["q"])

    def show(d):
        return can_see_personal(request.user, d)

    if request.GET.get("xuat") == "xlsx":
        require_perm(request.user, "dossiers.export_register", "Bạn không có quyền xuất sổ theo dõi hồ sơ.")
        rows = documents.register_rows(qs[:50000], show)
        audit.record(
            None,
            "export",
            {"rows": len(rows), "from": str(data["date_from"]), "to": str(data["date_to"])},
            model_label=("dossiers", "dossier"),
            object_repr="Sổ theo dõi hồ sơ (mẫu 07)",
            commune_id=request.user.home_commune.pk if request.user.home_commune else None,
        )
        body = documents.register_xlsx(
            commune=request.user.home_commune,
            ruleset=ruleset_for(data["date_to"]),
            rows=rows,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
        return attachment(body, f"so-theo-doi-ho-so-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.xlsx")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = documents.register_rows(page, show)
    if any(show(d) for d in page):
        audit.record(
            None,
            "view",
            {"rows": len(rows), "page": page.number},
            model_label=("dossiers", "dossier"),
            object_repr="Sổ theo dõi hồ sơ (mẫu 07)",
            commune_id=request.user.home_commune.pk if request.user.home_commune else None,
        )
    codes = [d.code for d in page]
    book = ruleset_for(data["date_to"]).form("07")
    return render(
        request,
        "dossiers/register.html",
        {
            "form": form,
            "page": page,
            "rows": zip(codes, rows, strict=True),
            "head": documents.REGISTER_HEAD,
            "book": book,
        },
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """The one-stop statistics for a reporting period (or a range of days): every
    figure of the catalogue's dossier list, the months of the period, and table
    II.06a by field; the same as an .xlsx file."""
    require_perm(request.user, "dossiers.view_dossier_stats", "Bạn không có quyền xem thống kê hồ sơ.")
    form = StatsFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    period = form.chosen_period()
    commune_ids = request.user.commune_ids()
    if data.get("commune"):
        commune_ids = [data["commune"].pk]
    scope = Scope.of(
        commune_ids=commune_ids,
        date_from=period.date_from,
        date_to=period.date_to,
        department=data["department"].pk if data.get("department") else None,
        procedure=data.get("procedure") or None,
        field=data.get("field") or None,
    )
    values = evaluate(F.STATISTICS, scope)
    months = month_windows(period)
    series = evaluate_series(MONTH_COLUMNS, scope, [(a, b) for _, a, b in months])
    by_field = None
    if len(commune_ids) == 1 or request.GET.get("bang") == "linh-vuc" or request.GET.get("xuat") == "xlsx":
        by_field = field_table(scope)
    if request.GET.get("xuat") == "xlsx":
        return _stats_xlsx(period, values, months, series, by_field)
    chart = {
        "labels": [label for label, _, _ in months],
        "received": [row[F.RECEIVED] for row in series],
        "early": [row[F.FINISHED_EARLY] for row in series],
        "on_time": [row[F.FINISHED_ON_TIME] for row in series],
        "late": [row[F.FINISHED_LATE] for row in series],
    }
    return render(
        request,
        "dossiers/stats.html",
        {
            "form": form,
            "period": period,
            "cards": [(f, values[f]) for f in F.STATISTICS],
            "digital_cards": list(evaluate(F.DIGITAL[1:], scope).items()),
            "month_columns": MONTH_COLUMNS,
            "months": [
                (label, a, b, [row[f] for f in MONTH_COLUMNS])
                for (label, a, b), row in zip(months, series, strict=True)
            ],
            "table_columns": F.TABLE_II_06A,
            "by_field": by_field,
            "chart_json": json.dumps(chart),
            "query": urlencode({k: v for k, v in request.GET.items() if k not in ("xuat", "bang")}),
        },
    )


MONTH_COLUMNS = (
    F.RECEIVED,
    F.FINISHED,
    F.FINISHED_EARLY,
    F.FINISHED_ON_TIME,
    F.FINISHED_LATE,
    F.ON_TIME_RATE,
)


def field_table(scope: Scope) -> list[tuple[str, list]]:
    """Table II.06a of TT 01/2020/TT-VPCP: one row per field of the communes'
    catalogue (and the total), the columns of `figures.TABLE_II_06A`; the rows in one
    grouped query per part of the counts, not one set of queries per field."""
    rows = [
        (name, [values[f] for f in F.TABLE_II_06A])
        for name, values in F.evaluate_by_field(F.TABLE_II_06A, scope).items()
    ]
    total = evaluate(F.TABLE_II_06A, scope)
    rows.append(("Tổng cộng", [total[f] for f in F.TABLE_II_06A]))
    return rows


def _stats_xlsx(period, values, months, series, by_field) -> HttpResponse:
    tables = [
        (
            "Số liệu của kỳ",
            ["Số liệu", "Giá trị", "Cách tính"],
            [[f.label, _cell(values[f]), f.definition] for f in F.STATISTICS],
        ),
        (
            "Theo tháng (kỳ số liệu từ ngày 15 tháng trước đến ngày 14)",
            ["Tháng", "Từ ngày", "Đến ngày", *[f.label for f in MONTH_COLUMNS]],
            [
                [label, f"{a:%d/%m/%Y}", f"{b:%d/%m/%Y}", *[_cell(row[f]) for f in MONTH_COLUMNS]]
                for (label, a, b), row in zip(months, series, strict=True)
            ],
        ),
    ]
    if by_field is not None:
        tables.append(
            (
                "Biểu II.06a (TT 01/2020/TT-VPCP): tình hình giải quyết TTHC theo lĩnh vực",
                ["Lĩnh vực", *[f.label for f in F.TABLE_II_06A]],
                [[name, *[_cell(v) for v in row]] for name, row in by_field],
            )
        )
    body = xlsx_tables(
        "Thống kê hồ sơ",
        tables,
        subtitle=period.label if period.is_range else f"{period.label}: {period.window_text}",
        landscape=True,
    )
    return attachment(body, f"thong-ke-ho-so-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.xlsx")


def _cell(value):
    """A figure in a spreadsheet cell: the number itself (Excel sums it); no data stays empty."""
    return float(value) if isinstance(value, Decimal) else value
