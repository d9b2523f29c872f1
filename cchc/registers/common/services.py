"""Operations every register shares: who may read and write, saving a row without
losing another officer's edit, attachments, and importing an .xlsx list (check →
preview → confirm, all or nothing). Each register's own services call these.

`user=None` means the system (demo loader, commands): permission checks are skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from cchc.core import audit, sheets
from cchc.core.forms import service_error_messages
from cchc.core.permissions import check_commune
from cchc.core.uploads import UploadPolicy, random_token
from cchc.core.workflow import Conflict
from cchc.org.models import Unit, User

from .models import Attachment, RegisterRecord, SheetImport
from .registry import ImportContext, ImportItem, RegisterSpec

# Scans of decisions and minutes, office files, photos of posters, a zip of several.
ATTACHMENT_UPLOADS = UploadPolicy(types=("pdf", "docx", "xlsx", "jpg", "png", "zip"), max_files=10)


# --- permissions -----------------------------------------------------------------------
def can_view(user: User | None, spec: RegisterSpec) -> bool:
    return user is None or user.has_perm(spec.view_perm)


def can_manage(user: User | None, spec: RegisterSpec, commune_id: int | None) -> bool:
    """Write access: the register's manage permission and write access to the commune."""
    if user is None:
        return True
    return commune_id is not None and user.has_perm(spec.manage_perm) and user.can_write_commune(commune_id)


def check_view(user: User | None, spec: RegisterSpec, commune_id: int | None = None) -> None:
    if user is None:
        return
    if commune_id is not None:
        check_commune(user, commune_id)
    if not user.has_perm(spec.view_perm):
        raise PermissionDenied(f"Bạn không có quyền xem {spec.label.lower()}.")


def check_manage(user: User | None, spec: RegisterSpec, commune_id: int) -> None:
    if user is None:
        return
    check_commune(user, commune_id, write=True)
    if not user.has_perm(spec.manage_perm):
        raise PermissionDenied(f"Bạn không có quyền ghi {spec.label.lower()}.")


def visible(
    user: User | None, spec: RegisterSpec, queryset: models.QuerySet | None = None
) -> models.QuerySet:
    """The register's rows of the communes `user` may see (none without the view permission)."""
    qs = queryset if queryset is not None else spec.model.objects.all()
    if user is None:
        return qs
    if not user.has_perm(spec.view_perm):
        return qs.none()
    return qs.filter(commune_id__in=user.commune_ids())


# --- saving without losing another officer's edit ----------------------------------------
class StaleEdit(Conflict):
    """The row changed since the form was opened (HTTP 409)."""

    def __init__(self, record: RegisterRecord) -> None:
        who = record.updated_by or "một người khác"
        when = timezone.localtime(record.updated_at)
        super().__init__(
            f"Trong lúc bạn sửa, {who} đã lưu bản ghi này lúc {when:%H:%M %d/%m/%Y}. "
            "Thay đổi của bạn chưa được lưu: xem giá trị hiện tại rồi lưu lại nếu vẫn muốn thay."
        )
        self.record = record


def lock(record: RegisterRecord, expected_version: int | None) -> RegisterRecord:
    """The row, freshly read and locked for this transaction; `StaleEdit` when its
    version is not the one the editor started from (None: do not check)."""
    fresh = type(record).objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleEdit(fresh)
    return fresh


def stamp(record: RegisterRecord, user: User | None, *, at: datetime | None = None) -> None:
    """Mark the row as written now by `user` (call just before saving)."""
    at = at or timezone.now()
    if record.pk is None:
        record.created_by = user
        record.created_at = at
        record.version = 1
    else:
        record.version += 1
    record.updated_by = user
    record.updated_at = at


def changed_fields(record: RegisterRecord, values: dict) -> list[str]:
    """The names of `values` that differ from the row (to show what a stale edit overwrote)."""
    return [name for name, value in values.items() if getattr(record, name, None) != value]


# --- attachments ----------------------------------------------------------------------------
def attachments_of(record: models.Model) -> models.QuerySet:
    from django.contrib.contenttypes.models import ContentType

    return Attachment.objects.filter(
        target_type=ContentType.objects.get_for_model(type(record)), target_id=record.pk
    ).select_related("uploaded_by")


@transaction.atomic
def attachments_add(
    *,
    user: User | None,
    spec: RegisterSpec,
    record: RegisterRecord,
    files: Iterable[UploadedFile],
    note: str = "",
    authorised: bool = False,
) -> list[Attachment]:
    """Attach files to a row (types, sizes and count checked by the shared rules).
    `authorised`: the caller has checked a narrower right than the register's
    (a department following up its own recommendation)."""
    from django.contrib.contenttypes.models import ContentType

    from cchc.core.text import clean_text

    if not authorised:
        check_manage(user, spec, record.commune_id)
    files = list(files)
    if not files:
        raise ValidationError({"files": "Chọn ít nhất một tệp."})
    try:
        checked = ATTACHMENT_UPLOADS.check(files)
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from exc
    out = []
    target_type = ContentType.objects.get_for_model(type(record))
    for upload in checked:
        attachment = Attachment(
            commune_id=record.commune_id,
            target_type=target_type,
            target_id=record.pk,
            token=random_token(),
            extension=upload.extension,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            note=clean_text(note)[:200],
            uploaded_by=user,
        )
        attachment.file.save(f"{attachment.token}.{attachment.extension}", upload.file, save=False)
        attachment.save()
        out.append(attachment)
    return out


@transaction.atomic
def attachment_delete(*, user: User | None, spec: RegisterSpec, attachment: Attachment) -> None:
    check_manage(user, spec, attachment.commune_id)
    stored = attachment.file.name
    attachment.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))


# --- importing an .xlsx list ---------------------------------------------------------------
@dataclass
class ImportCheck:
    sheet: sheets.Sheet
    items: list[ImportItem]
    context: ImportContext

    def counts(self) -> dict[str, int]:
        out = {"create": 0, "update": 0, "unchanged": 0}
        for item in self.items:
            out[item.action] += 1
        return out


def import_check(*, spec: RegisterSpec, user: User | None, commune: Unit, content: bytes) -> ImportCheck:
    """Read the file and plan every row; raise one `ValidationError` naming every
    problem by its row when any row cannot be imported (nothing is written)."""
    check_manage(user, spec, commune.pk)
    sheet = sheets.read_sheet(content, spec.columns)
    context = ImportContext(commune=commune, user=user, sheet=sheet)
    items = spec.plan_import(context)
    sheets.refuse(sheet.errors)
    return ImportCheck(sheet=sheet, items=items, context=context)


@transaction.atomic
def import_preview(
    *, spec: RegisterSpec, user: User | None, commune: Unit, file_name: str, content: bytes
) -> SheetImport:
    """Check an uploaded list and keep it for the officer to confirm, with what the
    import would do row by row."""
    check = import_check(spec=spec, user=user, commune=commune, content=content)
    return SheetImport.objects.create(
        commune=commune,
        register=spec.key,
        file_name=file_name[:255],
        content=content,
        summary={
            "sha256": hashlib.sha256(content).hexdigest(),
            "sheet": check.sheet.sheet_name,
            "header_line": check.sheet.header_line,
            "ignored": check.sheet.ignored,
            "counts": check.counts(),
            "rows": [[i.line, i.action, i.text, i.details] for i in check.items],
        },
        created_by=user,
    )


@transaction.atomic
def import_apply(*, spec: RegisterSpec, user: User | None, upload: SheetImport) -> dict[str, int]:
    """Import a previewed list: planned again against the register as it is now and
    written in one transaction — if any row fails, nothing is written."""
    upload = SheetImport.objects.select_for_update().get(pk=upload.pk)
    if upload.register != spec.key:
        raise ValidationError("Tệp này thuộc sổ khác.")
    if upload.status != SheetImport.Status.PREVIEW:
        raise Conflict(f"Tệp này đã được xử lý ({upload.get_status_display().lower()}).")
    check = import_check(spec=spec, user=user, commune=upload.commune, content=bytes(upload.content))
    for item in check.items:
        if item.apply is not None and item.action != "unchanged":
            try:
                item.apply()
            except ValidationError as exc:
                raise ValidationError(
                    [f"Dòng {item.line}: {m}" for m in service_error_messages(exc)]
                ) from exc
    for step in check.context.after:
        step()
    counts = check.counts()
    upload.status = SheetImport.Status.APPLIED
    upload.applied_at = timezone.now()
    upload.content = b""
    upload.summary = {**upload.summary, "counts": counts}
    upload.save()
    audit.record(
        None,
        "create",
        {"import": upload.file_name, **counts},
        model_label=("registers", spec.model._meta.model_name),
        object_repr=f"Nhập {spec.label.lower()} từ {upload.file_name}"[:300],
        commune_id=upload.commune_id,
    )
    return counts


@transaction.atomic
def import_discard(*, spec: RegisterSpec, user: User | None, upload: SheetImport) -> None:
    check_manage(user, spec, upload.commune_id)
    if upload.status == SheetImport.Status.PREVIEW:
        upload.status = SheetImport.Status.DISCARDED
        upload.content = b""
        upload.save()


# --- helpers for the registers' import planners -------------------------------------------------
def same(record: models.Model, values: dict) -> bool:
    return all(getattr(record, name) == value for name, value in values.items())


def duplicate_lines(
    rows: Iterable[sheets.SheetRow], key: Callable[[sheets.SheetRow], Hashable | None]
) -> None:
    """Mark rows whose `key(row)` repeats an earlier row's (None keys are skipped)."""
    first: dict = {}
    for row in rows:
        k = key(row)
        if k is None:
            continue
        if k in first:
            row.error(f"trùng với dòng {first[k]}.")
        else:
            first[k] = row.line
