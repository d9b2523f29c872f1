"""Pages every register has, written once: the list (filters, search, pages,
Excel export), the import (upload → preview → confirm), attachments and the
history of a row. Each register's `views.py` wires them with its `RegisterSpec`
and adds its own form and detail pages. Thin: parse, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.core import audit
from cchc.core.exports import xlsx
from cchc.core.models import AuditLog
from cchc.core.sheets import SheetFileError
from cchc.core.uploads import attachment as download
from cchc.core.workflow import Conflict

from . import registry, services
from .forms import AttachmentForm, FilterForm, ImportForm, add_service_errors
from .models import Attachment, RegisterRecord, SheetImport
from .registry import RegisterSpec

PAGE_SIZE = 30
T = TypeVar("T")


# --- permission-checked look-ups -------------------------------------------------------------
def get_record(user, spec: RegisterSpec, pk: int, *, write: bool = False, queryset=None) -> RegisterRecord:
    """A row the user may see (404 otherwise, also for another commune's row);
    with `write`, one they may also change (403)."""
    qs = queryset if queryset is not None else spec.model.objects.all()
    record = get_object_or_404(qs.select_related("commune"), pk=pk)
    services.check_view(user, spec, record.commune_id)
    if write:
        services.check_manage(user, spec, record.commune_id)
    return record


def working_commune(user, spec: RegisterSpec):
    """The commune new rows go to: the user's own, if they may write there."""
    commune = user.home_commune
    if commune is None:
        raise PermissionDenied("Chỉ cán bộ, công chức của một xã mới ghi sổ của xã đó.")
    services.check_manage(user, spec, commune.pk)
    return commune


def history(record: models.Model, *related: models.Model) -> list[AuditLog]:
    """The audit trail of a row (and of rows that belong to it), newest first."""
    objects = [record, *related]
    rows = AuditLog.objects.none()
    for obj in objects:
        rows = rows | AuditLog.objects.filter(
            app_label=obj._meta.app_label, model=obj._meta.model_name, object_id=str(obj.pk)
        )
    return list(rows.select_related("actor").order_by("-at", "-id")[:100])


def detail_context(request: HttpRequest, spec: RegisterSpec, record: RegisterRecord) -> dict:
    """What every detail page shows besides the row: attachments, their form, history."""
    can_manage = services.can_manage(request.user, spec, record.commune_id)
    return {
        "spec": spec,
        "record": record,
        "can_manage": can_manage,
        "attachments": services.attachments_of(record),
        "attachment_form": AttachmentForm() if can_manage else None,
        "history": history(record),
    }


# --- saving a form ------------------------------------------------------------------------
def _shown(record: models.Model, name: str) -> str:
    display = getattr(record, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(record, name, None)
    if value is None or value == "":
        return "(trống)"
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


def save_form(request: HttpRequest, form, save: Callable[[], T], success: str) -> T | None:
    """Call a service with a valid form's values. A refusal is shown on the form;
    a concurrent edit (`StaleEdit`) also lists the values now saved that differ
    from the officer's, and arms the form to overwrite them only if saved again."""
    try:
        result = save()
    except services.StaleEdit as exc:
        current = exc.record
        form.add_error(None, exc.message)
        values = form.values() if hasattr(form, "values") else {}
        form.stale = [
            (form.fields[name].label, _shown(current, name))
            for name in services.changed_fields(current, values)
            if name in form.fields
        ]
        data = form.data.copy()
        data["version"] = current.version
        form.data = data
        return None
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success)
    return result


# --- the list ---------------------------------------------------------------------------------
def list_page(
    request: HttpRequest,
    spec: RegisterSpec,
    *,
    form_class: type[FilterForm],
    queryset: models.QuerySet,
    template: str,
    table_template: str,
    context: dict | None = None,
    initial: dict | None = None,
) -> HttpResponse:
    """The register's list for the communes the user may see: filtered, searched,
    paged; `?format=xlsx` exports exactly the rows the filters select."""
    services.check_view(request.user, spec)
    form = form_class(request.GET or None, user=request.user, initial=initial)
    qs = form.apply(services.visible(request.user, spec, queryset))
    if not qs.ordered:
        qs = qs.order_by(*(spec.model._meta.ordering or ["-pk"]))
    if request.GET.get("format") == "xlsx":
        return export(request, spec, qs, subtitle=form.describe())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    commune = request.user.home_commune
    ctx = {
        "spec": spec,
        "form": form,
        "page": page,
        "table_template": table_template,
        "multi_commune": len(request.user.commune_ids()) > 1,
        "can_manage": commune is not None and services.can_manage(request.user, spec, commune.pk),
        "export_query": _with_format(request),
        **(context or {}),
    }
    if request.headers.get("HX-Request"):
        return render(request, table_template, ctx)
    return render(request, template, ctx)


def _with_format(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "xlsx"
    return query.urlencode()


def export(
    request: HttpRequest, spec: RegisterSpec, qs: models.QuerySet, *, subtitle: str = ""
) -> HttpResponse:
    """The selected rows as a workbook with the import's columns, so that a list
    exported here can be corrected in Excel and imported again."""
    rows = spec.export_rows(qs) if spec.export_rows else [spec.export_row(record) for record in qs]
    communes = sorted({str(r.commune) for r in qs.select_related("commune")[:2000]})
    title = spec.export_title or spec.label.upper()
    lines = [", ".join(communes)] if communes else []
    if subtitle:
        lines.append(subtitle)
    lines.append(f"Xuất ngày {timezone.localdate():%d/%m/%Y}, {len(rows)} dòng")
    body = xlsx(
        title, [c.label for c in spec.columns], rows, subtitle=" · ".join(lines), widths=spec.export_widths
    )
    audit.record(
        None,
        "export",
        {"rows": len(rows), "filters": subtitle},
        model_label=("registers", spec.model._meta.model_name),
        object_repr=f"Xuất {spec.label.lower()} ({len(rows)} dòng)",
        commune_id=request.user.home_commune.pk if request.user.home_commune else None,
    )
    return download(body, f"{spec.key}-{timezone.localdate():%Y%m%d}.xlsx")


# --- importing ------------------------------------------------------------------------------
def import_upload(request: HttpRequest, spec: RegisterSpec) -> HttpResponse:
    commune = working_commune(request.user, spec)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        problem = _size_problem(upload)
        if problem:
            form.add_error("file", problem)
        else:
            try:
                preview = services.import_preview(
                    spec=spec,
                    user=request.user,
                    commune=commune,
                    file_name=upload.name or "tep.xlsx",
                    content=upload.read(),
                )
            except (SheetFileError, ValidationError) as exc:
                form.add_error("file", exc.messages)
            else:
                return redirect(spec.url("import_preview", preview.pk))
        status = 400
    recent = SheetImport.objects.filter(commune=commune, register=spec.key).select_related("created_by")[:10]
    return render(
        request,
        "registers/import.html",
        {"spec": spec, "form": form, "recent": recent, "commune": commune},
        status=status,
    )


def _size_problem(upload) -> str | None:
    from cchc.core.uploads import size_problem

    return size_problem(upload)


def _upload(request: HttpRequest, spec: RegisterSpec, pk: int) -> SheetImport:
    upload = get_object_or_404(SheetImport.objects.select_related("commune"), pk=pk, register=spec.key)
    services.check_manage(request.user, spec, upload.commune_id)
    return upload


def import_preview(request: HttpRequest, spec: RegisterSpec, pk: int) -> HttpResponse:
    upload = _upload(request, spec, pk)
    return render(request, "registers/import_preview.html", {"spec": spec, "upload": upload})


def import_confirm(request: HttpRequest, spec: RegisterSpec, pk: int) -> HttpResponse:
    upload = _upload(request, spec, pk)
    try:
        counts = services.import_apply(spec=spec, user=request.user, upload=upload)
    except (ValidationError, Conflict) as exc:
        for message in exc.messages if isinstance(exc, ValidationError) else [exc.message]:
            messages.error(request, message)
        return redirect(spec.url("import_preview", upload.pk))
    messages.success(
        request,
        f"Đã nhập {upload.file_name}: thêm mới {counts['create']}, cập nhật {counts['update']}, "
        f"không đổi {counts['unchanged']}.",
    )
    return redirect(spec.url("list"))


def import_discard(request: HttpRequest, spec: RegisterSpec, pk: int) -> HttpResponse:
    upload = _upload(request, spec, pk)
    services.import_discard(spec=spec, user=request.user, upload=upload)
    messages.info(request, f"Đã hủy nhập tệp {upload.file_name}.")
    return redirect(spec.url("import"))


# --- attachments -------------------------------------------------------------------------------
def attachment_upload(
    request: HttpRequest, spec: RegisterSpec, record: RegisterRecord, back: str
) -> HttpResponse:
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = services.attachments_add(
                user=request.user,
                spec=spec,
                record=record,
                files=form.cleaned_data["files"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Đã đính kèm {len(added)} tệp.")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(back)


def _attachment(request: HttpRequest, pk: int) -> tuple[Attachment, RegisterSpec, models.Model]:
    attachment = get_object_or_404(Attachment.objects.select_related("target_type"), pk=pk)
    model = attachment.target_type.model_class()
    spec = next(
        (s for s in registry.all_specs() if s.model is model or model in s.extra.get("models", ())), None
    )
    if spec is None:
        raise Http404("Không tìm thấy tệp.")
    services.check_view(request.user, spec, attachment.commune_id)
    return attachment, spec, attachment.target


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Files are never served statically: only users who may read the row
    download them, and each download is recorded."""
    attachment, _, target = _attachment(request, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp không còn trên máy chủ.") from exc
    audit.record(attachment, "export", {"file": attachment.original_name, "of": str(target)[:200]})
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment, spec, target = _attachment(request, pk)
    services.attachment_delete(user=request.user, spec=spec, attachment=attachment)
    messages.success(request, f"Đã xóa tệp {attachment.original_name}.")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else spec.url("list"))


# --- wiring ------------------------------------------------------------------------------------
def standard_views(spec_key: str) -> dict[str, Callable]:
    """The shared pages of one register as view functions (for its urls.py)."""

    def spec() -> RegisterSpec:
        return registry.get(spec_key)

    @login_required
    def _import(request: HttpRequest) -> HttpResponse:
        return import_upload(request, spec())

    @login_required
    def _preview(request: HttpRequest, pk: int) -> HttpResponse:
        return import_preview(request, spec(), pk)

    @login_required
    @require_POST
    def _confirm(request: HttpRequest, pk: int) -> HttpResponse:
        return import_confirm(request, spec(), pk)

    @login_required
    @require_POST
    def _discard(request: HttpRequest, pk: int) -> HttpResponse:
        return import_discard(request, spec(), pk)

    return {
        "import": _import,
        "import_preview": _preview,
        "import_confirm": _confirm,
        "import_discard": _discard,
    }


__all__ = [
    "add_service_errors",
    "attachment_upload",
    "detail_context",
    "get_record",
    "list_page",
    "standard_views",
    "working_commune",
]
