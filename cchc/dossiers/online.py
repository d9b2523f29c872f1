"""The electronic half of the one-stop shop (docs/online.md): a citizen's online
submission from the public commune page, the dossier's electronic documents
(uploaded online, scanned at the counter, reused from an earlier dossier of the
same person, sent as a supplement), and the result file.

Every writer is here and runs in a transaction; moves of the dossier itself go
through `services` (the same move table as at the counter). Files are checked by
`UPLOADS` / `RESULT_UPLOADS` (`cchc.core.uploads`: extension + first bytes, size
limit), stored under random names and served only by permission-checked views.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cchc.core.text import clean_text
from cchc.core.uploads import CheckedUpload, UploadPolicy
from cchc.procedures.models import OnlineLevel, Procedure, RequiredDocument, Requirement

from .access import COUNTER, DEPARTMENT, sides
from .models import (
    Action,
    Channel,
    DocumentKind,
    DocumentSource,
    Dossier,
    DossierDocument,
    DossierEvent,
    ResultDelivery,
    ReturnMode,
    Status,
)
from .services import (
    APPLICANT_LABEL,
    Applicant,
    _local,
    _new_dossier,
    _validate_applicant,
    check_procedure_channel,
    dossier_act,
)

# One file per checklist line: a scan (PDF) or a photo taken with a phone.
UPLOADS = UploadPolicy(types=("pdf", "jpg", "png"), max_files=1)
# The result handed out electronically is a PDF (signed by the competent person).
RESULT_UPLOADS = UploadPolicy(types=("pdf",), max_files=1)
# The most files one dossier may carry (checklists run to ~15 lines; supplements).
MAX_DOCUMENTS = 40
# Statuses in which the handling department attaches the result file.
RESULT_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT, Status.PROCESSED)
# Statuses in which the counter still adds documents handed in.
_DOCUMENT_STATUSES = (Status.REGISTERED, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT)


# --- the procedures offered online and their checklist ------------------------------
def online_procedures(commune):
    """The commune's procedures a citizen may submit online: published, taking
    online submissions (fully or partly online, NĐ 42/2022) and with a usable
    processing time."""
    return (
        Procedure.objects.filter(commune=commune, is_published=True, online=True)
        .exclude(online_level=OnlineLevel.NONE)
        .exclude(time_unit="")
        .order_by("field", "name")
    )


@dataclass
class Checklist:
    """The lines a citizen uploads against: the general lines of the procedure's
    published list plus the lines of the case that applies, if any (like the
    counter's checklist; a case such as "by proxy" is a situation, not a choice
    every dossier must make)."""

    procedure: Procedure
    cases: list[str]
    case: int | None  # 1-based index into `cases`; None: no case chosen
    lines: list[RequiredDocument] = field(default_factory=list)
    notes: list[RequiredDocument] = field(default_factory=list)

    @property
    def case_label(self) -> str:
        return self.cases[self.case - 1] if self.case else ""

    def is_required(self, line: RequiredDocument) -> bool:
        return line.requirement == Requirement.REQUIRED


def checklist(procedure: Procedure, case: int | None = None) -> Checklist:
    groups = [g for g in procedure.document_groups() if g.documents or g.notes]
    cases = [g.heading for g in groups if g.is_case and g.documents]
    if case is not None and not 1 <= case <= len(cases):
        case = None
    result = Checklist(procedure=procedure, cases=cases, case=case)
    for group in groups:
        if group.is_case and (not case or group.heading != cases[case - 1]):
            continue
        result.lines.extend(group.documents)
        result.notes.extend(group.notes)
    return result


def _digest(upload: CheckedUpload) -> str:
    upload.file.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.file.chunks():
        digest.update(chunk)
    upload.file.seek(0)
    return digest.hexdigest()


def _store(
    *,
    dossier: Dossier,
    upload: CheckedUpload,
    label: str,
    source: str,
    line: RequiredDocument | None = None,
    kind: str = DocumentKind.INPUT,
    user=None,
    at: datetime,
    digitised: bool = False,
    supplement=None,
) -> DossierDocument:
    document = DossierDocument(
        dossier=dossier,
        kind=kind,
        required_document=line,
        label=clean_text(label)[:300] or upload.original_name,
        source=source,
        original_name=upload.original_name,
        extension=upload.extension,
        size=upload.size,
        sha256=_digest(upload),
        uploaded_at=at,
        uploaded_by=user,
        digitised_at=at if digitised else None,
        digitised_by=user if digitised else None,
        supplement_request=supplement,
    )
    document.file.save(upload.original_name, upload.file, save=False)
    document.save()
    return document


def _check_one(upload, policy: UploadPolicy = UPLOADS) -> CheckedUpload:
    return policy.check([upload])[0]


# --- the citizen's online submission ------------------------------------------------
@transaction.atomic
def dossier_submit_public(
    *,
    procedure: Procedure,
    applicant: Applicant,
    files: dict[int, object],
    case: int | None = None,
    request: str = "",
    result_delivery: str = ResultDelivery.ONLINE,
    now: datetime | None = None,
) -> Dossier:
    """A citizen submits a dossier from the public commune page: the procedure
    must be offered online, the applicant's data valid, and every required line of
    the checklist (general lines and the chosen case) have its file; `files` maps
    checklist line ids to uploaded files. The dossier enters as an online
    submission waiting for the counter (status `registered`, code 1), with its
    documents (not yet digitised: the officer confirms them by accepting).
    Nothing is written when anything is wrong; every problem is reported."""
    now = _local(now or timezone.now())
    check_procedure_channel(procedure, Channel.ONLINE)
    if procedure.online_level == OnlineLevel.NONE:
        raise ValidationError(
            {"procedure": f"Thủ tục {procedure.code} không cung cấp dịch vụ công trực tuyến."}
        )
    errors: dict[str, list[str]] = {}
    try:
        applicant = _validate_applicant(applicant)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if result_delivery not in ResultDelivery.values:
        errors["result_delivery"] = ["Chọn nơi nhận kết quả."]
    if result_delivery == ResultDelivery.ONLINE and procedure.online_level != OnlineLevel.FULL:
        errors["result_delivery"] = [
            "Thủ tục này cung cấp trực tuyến một phần: kết quả nhận tại Bộ phận Một cửa hoặc qua bưu chính."
        ]
    items = checklist(procedure, case)
    by_id = {line.pk: line for line in items.lines}
    unknown = [key for key in files if key not in by_id]
    if unknown:
        errors["__all__"] = [
            "Có tệp không thuộc danh mục giấy tờ của thủ tục đã chọn; vui lòng tải lại trang."
        ]
    checked: list[tuple[RequiredDocument, CheckedUpload]] = []
    for line in items.lines:
        upload = files.get(line.pk)
        if upload is None:
            if items.is_required(line):
                errors[f"doc_{line.pk}"] = [f"Cần tải lên “{line.label}”."]
            continue
        try:
            checked.append((line, _check_one(upload)))
        except ValidationError as exc:
            errors[f"doc_{line.pk}"] = exc.messages
    if not checked and not errors:
        errors["__all__"] = ["Cần tải lên ít nhất một giấy tờ của hồ sơ."]
    if errors:
        raise ValidationError(errors)
    documents = "\n".join(line.receipt_line for line, _ in checked)
    dossier = _new_dossier(
        procedure=procedure,
        channel=Channel.ONLINE,
        status=Status.REGISTERED,
        applicant=applicant,
        representative="",
        request=request,
        documents=documents,
        copies=1,
        result_place="",
        result_delivery=result_delivery,
        day=now.date(),
        historical=False,
        submitted_at=now,
        received_at=None,
        due_date=None,
        original_due_date=None,
    )
    case_note = f" Trường hợp: {items.case_label}." if items.case_label else ""
    DossierEvent.objects.create(
        dossier=dossier,
        at=now,
        actor=None,
        actor_label=APPLICANT_LABEL,
        action=Action.SUBMIT,
        from_status="",
        to_status=Status.REGISTERED,
        department_to=dossier.department,
        note=f"Nộp trực tuyến trên trang công khai của xã, kèm {len(checked)} tệp.{case_note}",
        recorded_at=now,
    )
    for line, upload in checked:
        _store(
            dossier=dossier, upload=upload, label=line.label, source=DocumentSource.ONLINE, line=line, at=now
        )
    return dossier


# --- the follow-up link: supplement and withdrawal by the applicant -------------------
@transaction.atomic
def supplement_submit_public(
    *, dossier: Dossier, files: list, note: str = "", now: datetime | None = None
) -> DossierEvent:
    """The applicant answers the open supplement request through the follow-up
    link: the files are stored against the request and the dossier resumes by the
    same move as at the counter (`receive_supplement`, clock restarted)."""
    now = _local(now or timezone.now())
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    request = dossier.open_supplement_request()
    if request is None:
        raise ValidationError("Hồ sơ không có yêu cầu bổ sung đang chờ.")
    files = [f for f in files if f]
    if not files:
        raise ValidationError({"files": "Cần tải lên giấy tờ bổ sung."})
    checked = UploadPolicy(types=UPLOADS.types, max_files=10).check(files)
    if dossier.files.count() + len(checked) > MAX_DOCUMENTS:
        raise ValidationError({"files": f"Hồ sơ đã có quá nhiều tệp (tối đa {MAX_DOCUMENTS})."})
    items = "; ".join(request.items)
    for upload in checked:
        _store(
            dossier=dossier,
            upload=upload,
            label=f"Bổ sung lần {request.number}: {upload.original_name}",
            source=DocumentSource.SUPPLEMENT,
            at=now,
            supplement=request,
        )
    text = clean_text(note)[:500]
    return dossier_act(
        dossier=dossier,
        action=Action.RECEIVE_SUPPLEMENT,
        user=None,
        note=f"Người nộp bổ sung trực tuyến {len(checked)} tệp ({items}).{' ' + text if text else ''}",
        now=now,
    )


def withdraw_public(*, dossier: Dossier, reason: str, now: datetime | None = None) -> DossierEvent:
    """The applicant withdraws the dossier through the follow-up link."""
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"note": "Cần ghi lý do rút hồ sơ."})
    return dossier_act(
        dossier=dossier,
        action=Action.WITHDRAW,
        user=None,
        note=f"Người nộp rút hồ sơ trực tuyến: {reason}",
        now=now,
    )


# --- the counter: scan at receipt, reuse, mark digitised ------------------------------
def _require_side(user, dossier: Dossier, allowed: set[str], message: str) -> None:
    if not (sides(user, dossier) & allowed):
        raise PermissionDenied(message)


@transaction.atomic
def document_add(
    *, user, dossier: Dossier, upload, line: RequiredDocument | None = None, label: str = "", now=None
) -> DossierDocument:
    """The counter scans (or uploads) a document handed in, against a line of the
    procedure's checklist or under its own label; it is digitised by that officer."""
    now = _local(now or timezone.now())
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    _require_side(user, dossier, {COUNTER}, "Chỉ Bộ phận Một cửa được số hóa giấy tờ của hồ sơ.")
    if dossier.status not in _DOCUMENT_STATUSES:
        raise ValidationError("Hồ sơ đã kết thúc, không thêm giấy tờ.")
    if line is not None and line.procedure_id != dossier.procedure_id:
        raise ValidationError({"line": "Giấy tờ không thuộc danh mục của thủ tục này."})
    label = clean_text(label) or (line.label if line else "")
    if not label:
        raise ValidationError({"label": "Cần chọn giấy tờ trong danh mục hoặc ghi tên giấy tờ."})
    if dossier.files.count() >= MAX_DOCUMENTS:
        raise ValidationError(f"Hồ sơ đã có {MAX_DOCUMENTS} tệp, không thêm được nữa.")
    checked = _check_one(upload)
    return _store(
        dossier=dossier,
        upload=checked,
        label=label,
        source=DocumentSource.COUNTER,
        line=line,
        user=user,
        at=now,
        digitised=True,
    )


@transaction.atomic
def document_mark_digitised(*, user, document: DossierDocument, now=None) -> DossierDocument:
    """The officer confirms an uploaded copy against the paper one ("đã số hóa")."""
    now = _local(now or timezone.now())
    _require_side(user, document.dossier, {COUNTER}, "Chỉ Bộ phận Một cửa xác nhận giấy tờ đã số hóa.")
    if document.kind != DocumentKind.INPUT:
        raise ValidationError("Chỉ giấy tờ thành phần hồ sơ được xác nhận số hóa.")
    if document.digitised_at is None:
        document.digitised_at, document.digitised_by = now, user
        document.save(update_fields=["digitised_at", "digitised_by"])
    return document


def reusable_documents(dossier: Dossier) -> list[DossierDocument]:
    """Digitised documents of earlier dossiers of the same applicant (same ID
    number) in the same commune, newest first, one per checklist label, not
    already reused into this dossier."""
    if not dossier.applicant_id_number:
        return []
    already = set(dossier.files.exclude(reused_from=None).values_list("reused_from__sha256", flat=True))
    rows = (
        DossierDocument.objects.filter(
            kind=DocumentKind.INPUT,
            digitised_at__isnull=False,
            dossier__commune_id=dossier.commune_id,
            dossier__applicant_id_number=dossier.applicant_id_number,
        )
        .exclude(dossier=dossier)
        .select_related("dossier")
        .order_by("-digitised_at", "-id")
    )
    seen: set[str] = set()
    out = []
    for row in rows[:200]:
        key = row.label.lower()
        if key in seen or row.sha256 in already:
            continue
        seen.add(key)
        out.append(row)
    return out


@transaction.atomic
def document_reuse(
    *, user, dossier: Dossier, source: DossierDocument, line: RequiredDocument | None = None, now=None
) -> DossierDocument:
    """Reuse a digitised document of an earlier dossier instead of a new scan: a
    new row pointing at the same stored file, recording where it came from."""
    now = _local(now or timezone.now())
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    _require_side(user, dossier, {COUNTER}, "Chỉ Bộ phận Một cửa được tái sử dụng giấy tờ đã số hóa.")
    if dossier.status not in _DOCUMENT_STATUSES:
        raise ValidationError("Hồ sơ đã kết thúc, không thêm giấy tờ.")
    if source.pk not in {d.pk for d in reusable_documents(dossier)}:
        raise ValidationError(
            "Giấy tờ này không thể tái sử dụng cho hồ sơ (khác người nộp, khác xã, chưa số hóa hoặc đã dùng)."
        )
    if line is not None and line.procedure_id != dossier.procedure_id:
        raise ValidationError({"line": "Giấy tờ không thuộc danh mục của thủ tục này."})
    document = DossierDocument.objects.create(
        dossier=dossier,
        kind=DocumentKind.INPUT,
        required_document=line,
        label=line.label if line else source.label,
        source=DocumentSource.REUSE,
        file=source.file.name,
        original_name=source.original_name,
        extension=source.extension,
        size=source.size,
        sha256=source.sha256,
        uploaded_at=now,
        uploaded_by=user,
        digitised_at=now,
        digitised_by=user,
        reused_from=source,
    )
    return document


# --- the result -----------------------------------------------------------------------
@transaction.atomic
def result_attach(*, user, dossier: Dossier, upload, label: str = "", now=None) -> DossierDocument:
    """The handling department attaches the result file (PDF) of a dossier being
    handled or just finished; the counter then returns it electronically (the
    applicant downloads it through the follow-up link) or on paper."""
    now = _local(now or timezone.now())
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    _require_side(
        user, dossier, {DEPARTMENT}, "Chỉ bộ phận đang giải quyết hồ sơ được đính kèm kết quả giải quyết."
    )
    if dossier.status not in RESULT_STATUSES:
        raise ValidationError(
            "Chỉ đính kèm kết quả khi hồ sơ đang giải quyết hoặc đã giải quyết xong, chưa trả."
        )
    checked = _check_one(upload, RESULT_UPLOADS)
    result_label = clean_text(label) or f"Kết quả giải quyết: {dossier.procedure.name}"
    return _store(
        dossier=dossier,
        upload=checked,
        label=result_label,
        source=DocumentSource.RESULT,
        kind=DocumentKind.RESULT,
        user=user,
        at=now,
        digitised=True,
    )


def result_for_applicant(dossier: Dossier) -> DossierDocument | None:
    """The result file the applicant may download: once the result is out, for a
    dossier whose result is returned electronically (chosen at intake, or recorded
    so by the counter)."""
    if dossier.status == Status.RETURNED:
        if dossier.return_mode != ReturnMode.ELECTRONIC:
            return None
    elif dossier.status != Status.PROCESSED or dossier.result_delivery != ResultDelivery.ONLINE:
        return None
    return dossier.files.filter(kind=DocumentKind.RESULT).order_by("-uploaded_at", "-id").first()


@transaction.atomic
def result_download_public(*, dossier: Dossier, now: datetime | None = None) -> DossierDocument | None:
    """The applicant downloads the electronic result through the follow-up link.
    The first download of a processed dossier is its return (`return_result`,
    electronic), taken by the same move table as at the counter."""
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    document = result_for_applicant(dossier)
    if document is not None and dossier.status == Status.PROCESSED:
        dossier_act(
            dossier=dossier,
            action=Action.RETURN_RESULT,
            user=None,
            return_mode=ReturnMode.ELECTRONIC,
            note="Người nộp tải kết quả điện tử qua đường dẫn theo dõi hồ sơ.",
            now=now,
        )
    return document
