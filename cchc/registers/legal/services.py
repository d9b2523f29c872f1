"""Writing the legal-documents register: documents, their status changes
(`document_act`, one event each), review rounds, findings and their handling —
which moves the document's status when the handling says so."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cchc.core.text import clean_text
from cchc.core.workflow import Move, Workflow
from cchc.org.models import Unit, User

from ..common import services as common
from .models import (
    ENDED,
    IN_FORCE,
    PROBLEMS,
    DocKind,
    DocStatus,
    Finding,
    Handling,
    Issuer,
    LegalDocument,
    LegalDocumentEvent,
    ReviewRound,
    RoundKind,
    Verdict,
    number_key,
)

DOCUMENT_FIELDS = (
    "number",
    "kind",
    "is_normative",
    "issuer",
    "issued_on",
    "subject",
    "signer",
    "department",
    "effective_from",
    "note",
)
STATUS_FIELDS = ("status", "ended_on", "change_ref", "status_note")

S = DocStatus
WORKFLOW = Workflow(
    [
        Move("amend", "Được sửa đổi, bổ sung", IN_FORCE, S.AMENDED),
        Move("replace", "Bị thay thế", IN_FORCE, S.REPLACED),
        Move("expire", "Hết hiệu lực (hết thời hạn)", IN_FORCE, S.EXPIRED),
        Move("annul", "Bị bãi bỏ", IN_FORCE, S.ANNULLED),
        Move("restore", "Ghi lại: còn hiệu lực (sửa ghi nhầm)", (S.AMENDED, *ENDED), S.IN_FORCE),
    ],
    status_label=lambda s: DocStatus(s).label,
)
NEEDS_CHANGER = ("amend", "replace", "annul")
HANDLING_MOVES = {
    Handling.AMEND: "amend",
    Handling.REPLACE: "replace",
    Handling.ANNUL: "annul",
    Handling.PUBLISH_EXPIRED: "expire",
}


def _spec():
    from .spec import SPEC

    return SPEC


def _block(value: str) -> str:
    lines = [clean_text(line) for line in (value or "").splitlines()]
    return "\n".join(line for line in lines if line)


# --- documents ------------------------------------------------------------------------------
def clean_document(values: dict, *, commune: Unit, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    unknown = set(values) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    out = dict(values)
    for name in ("number", "subject", "signer"):
        out[name] = clean_text(out.get(name) or "")
    out["note"] = _block(out.get("note") or "")
    out["is_normative"] = bool(out.get("is_normative"))
    errors: dict[str, str] = {}
    if not out["number"]:
        errors["number"] = "Cần số, ký hiệu văn bản (ví dụ 05/2024/QĐ-UBND)."
    if not out["subject"]:
        errors["subject"] = "Cần trích yếu nội dung văn bản."
    if out.get("kind") not in DocKind.values:
        errors["kind"] = "Chọn loại văn bản."
    if out.get("issuer") not in Issuer.values:
        errors["issuer"] = "Chọn cơ quan ban hành."
    issued = out.get("issued_on")
    if issued is None:
        errors["issued_on"] = "Cần ngày ban hành."
    elif issued > today:
        errors["issued_on"] = "Ngày ban hành không được sau hôm nay."
    effective = out.get("effective_from")
    if issued and effective and effective < issued:
        errors["effective_from"] = "Ngày có hiệu lực không được trước ngày ban hành."
    if out["is_normative"] and out.get("issuer") == Issuer.CHAIRMAN:
        errors["issuer"] = "Chủ tịch UBND xã không ban hành văn bản quy phạm pháp luật."
    if out.get("kind") == DocKind.RESOLUTION and out.get("issuer") not in (None, Issuer.COUNCIL):
        errors["kind"] = "Nghị quyết do Hội đồng nhân dân xã ban hành."
    if out.get("issuer") == Issuer.COUNCIL and out.get("kind") not in (
        None,
        DocKind.RESOLUTION,
        DocKind.OTHER,
    ):
        errors["issuer"] = "Hội đồng nhân dân xã ban hành nghị quyết."
    department = out.get("department")
    if department is not None and department.commune_id != commune.pk:
        errors["department"] = "Bộ phận phải thuộc xã."
    if errors:
        raise ValidationError(errors)
    return out


def document_values(document: LegalDocument) -> dict:
    return {name: getattr(document, name) for name in DOCUMENT_FIELDS}


def _check_number(commune, number: str, exclude_pk: int | None) -> None:
    same = LegalDocument.objects.filter(commune=commune, number_key=number_key(number))
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError({"number": f"Sổ đã có văn bản số {number}."})


def _event(document, user, action, before, *, on=None, changed_by=None, change_ref="", note="") -> None:
    LegalDocumentEvent.objects.create(
        document=document,
        actor=user,
        action=action,
        from_status=before,
        to_status=document.status,
        on=on,
        changed_by=changed_by,
        change_ref=change_ref,
        note=note[:300],
    )


@transaction.atomic
def document_save(
    *,
    user: User | None,
    commune: Unit | None = None,
    document: LegalDocument | None = None,
    expected_version: int | None = None,
    today: date | None = None,
    **values: Any,
) -> LegalDocument:
    """Add a document to the register, or correct its particulars (its status
    moves by `document_act`)."""
    if document is None:
        common.check_manage(user, _spec(), commune.pk)
        document = LegalDocument(commune=commune)
        created = True
    else:
        common.check_manage(user, _spec(), document.commune_id)
        document = common.lock(document, expected_version)
        values = {**document_values(document), **values}
        created = False
    values = clean_document(values, commune=document.commune, today=today)
    _check_number(document.commune, values["number"], document.pk)
    for name, value in values.items():
        setattr(document, name, value)
    common.stamp(document, user)
    document.save()
    if created:
        _event(document, user, "create", "", on=document.effective_from, note="Vào sổ.")
    return document


@transaction.atomic
def document_act(
    *,
    user: User | None,
    document: LegalDocument,
    action: str,
    on: date | None = None,
    changed_by: LegalDocument | None = None,
    change_ref: str = "",
    note: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> LegalDocument:
    """Record that the document was amended, replaced, annulled or expired on `on`
    (and by which document), or correct a status entered by mistake."""
    common.check_manage(user, _spec(), document.commune_id)
    document = common.lock(document, expected_version)
    move = WORKFLOW.check(action, document.status)
    today = today or timezone.localdate()
    note, change_ref = clean_text(note), clean_text(change_ref)
    errors: dict[str, str] = {}
    if action == "restore":
        if not note:
            errors["note"] = "Ghi lý do sửa tình trạng (ví dụ: ghi nhầm)."
    else:
        if on is None:
            errors["on"] = "Cần ngày văn bản được sửa đổi, hết hiệu lực."
        elif on > today:
            errors["on"] = "Ngày không được sau hôm nay: ghi khi việc đã có hiệu lực."
        elif on < document.issued_on:
            errors["on"] = "Ngày không được trước ngày ban hành văn bản."
        if action in NEEDS_CHANGER and changed_by is None and not change_ref:
            errors["changed_by"] = (
                "Chọn văn bản sửa đổi, thay thế, bãi bỏ (hoặc ghi số văn bản nếu không có trong sổ)."
            )
        if changed_by is not None:
            if changed_by.pk == document.pk:
                errors["changed_by"] = "Văn bản không tự sửa đổi, thay thế chính nó."
            elif changed_by.commune_id != document.commune_id:
                errors["changed_by"] = "Văn bản sửa đổi, thay thế phải thuộc sổ của xã."
            elif on is not None and changed_by.issued_on > on:
                errors["on"] = (
                    f"Văn bản {changed_by.number} ban hành ngày {changed_by.issued_on:%d/%m/%Y}, sau ngày này."
                )
    if errors:
        raise ValidationError(errors)
    before = document.status
    document.status = WORKFLOW.target(move, before)
    if action == "restore":
        document.ended_on, document.changed_by, document.change_ref, document.status_note = None, None, "", ""
    else:
        document.changed_by = changed_by
        document.change_ref = "" if changed_by is not None else change_ref
        document.status_note = note[:300]
        document.ended_on = on if document.status in ENDED else None
    common.stamp(document, user)
    document.save()
    _event(document, user, action, before, on=on, changed_by=changed_by, change_ref=change_ref, note=note)
    return document


def check_status(values: dict) -> dict[str, str]:
    """Consistency of a status typed in a spreadsheet."""
    errors = {}
    status = values.get("status") or S.IN_FORCE
    if status in ENDED and not values.get("ended_on"):
        errors["ended_on"] = "văn bản đã hết hiệu lực cần ngày hết hiệu lực."
    if status not in ENDED and values.get("ended_on"):
        errors["ended_on"] = "có ngày hết hiệu lực nhưng tình trạng không phải hết hiệu lực."
    if status in (S.AMENDED, S.REPLACED, S.ANNULLED) and not values.get("change_ref"):
        errors["change_ref"] = "cần số văn bản sửa đổi, thay thế, bãi bỏ."
    return errors


@transaction.atomic
def document_import(
    *, user: User | None, commune: Unit, document: LegalDocument | None, values: dict, status: dict
) -> LegalDocument:
    """A row of an imported list: the document and its known status (one "import"
    event when the status changes). The changing document is linked afterwards
    (`link_changers`), as it may come later in the file."""
    if document is None:
        document = document_save(user=user, commune=commune, **values)
    else:
        document = document_save(user=user, document=document, **values)
    document = LegalDocument.objects.select_for_update().get(pk=document.pk)
    before = document.status
    document.status = status.get("status") or S.IN_FORCE
    document.ended_on = status.get("ended_on")
    document.change_ref = status.get("change_ref") or ""
    document.status_note = status.get("status_note") or ""
    if not document.change_ref:
        document.changed_by = None
    document.save()
    if document.status != before:
        _event(
            document,
            user,
            "import",
            before,
            on=document.ended_on,
            change_ref=document.change_ref,
            note="Nhập từ Excel.",
        )
    return document


def link_changers(commune: Unit) -> int:
    """Link each document whose changing document is known only by number to that
    document, when the register has it. Returns the number linked."""
    by_key = {d.number_key: d for d in LegalDocument.objects.filter(commune=commune)}
    linked = 0
    for document in LegalDocument.objects.filter(commune=commune, changed_by__isnull=True).exclude(
        change_ref=""
    ):
        changer = by_key.get(number_key(document.change_ref))
        if changer is not None and changer.pk != document.pk:
            document.changed_by, document.change_ref = changer, ""
            document.save(update_fields=["changed_by", "change_ref", "number_key", "search_key"])
            linked += 1
    return linked


# --- review rounds and findings ----------------------------------------------------------------
ROUND_FIELDS = ("kind", "title", "basis", "started_on", "ended_on", "department", "conclusion", "report_ref")
FINDING_FIELDS = ("document", "reviewed_on", "verdict", "description", "proposed")


def clean_round(values: dict, *, commune: Unit, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    out = dict(values)
    for name in ("title", "basis", "report_ref"):
        out[name] = clean_text(out.get(name) or "")
    out["conclusion"] = _block(out.get("conclusion") or "")
    errors: dict[str, str] = {}
    if out.get("kind") not in RoundKind.values:
        errors["kind"] = "Chọn hình thức (tự kiểm tra, rà soát…)."
    if not out["title"]:
        errors["title"] = "Cần tên đợt rà soát, tự kiểm tra."
    start, end = out.get("started_on"), out.get("ended_on")
    if start is None:
        errors["started_on"] = "Cần ngày bắt đầu."
    elif start > today:
        errors["started_on"] = "Ngày bắt đầu không được sau hôm nay."
    if start and end and end < start:
        errors["ended_on"] = "Ngày kết thúc trước ngày bắt đầu."
    department = out.get("department")
    if department is not None and department.commune_id != commune.pk:
        errors["department"] = "Bộ phận phải thuộc xã."
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def round_save(
    *,
    user: User | None,
    commune: Unit | None = None,
    round: ReviewRound | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> ReviewRound:
    if round is None:
        common.check_manage(user, _spec(), commune.pk)
        round = ReviewRound(commune=commune)
    else:
        common.check_manage(user, _spec(), round.commune_id)
        round = common.lock(round, expected_version)
        values = {**{n: getattr(round, n) for n in ROUND_FIELDS}, **values}
    values = clean_round(values, commune=round.commune)
    for name, value in values.items():
        setattr(round, name, value)
    common.stamp(round, user)
    round.save()
    return round


def clean_finding(values: dict, *, round: ReviewRound, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    out = dict(values)
    out["description"] = _block(out.get("description") or "")
    out["proposed"] = out.get("proposed") or Handling.NONE
    errors: dict[str, str] = {}
    document = out.get("document")
    if document is None:
        errors["document"] = "Chọn văn bản được rà soát."
    elif document.commune_id != round.commune_id:
        errors["document"] = "Văn bản phải thuộc sổ của xã."
    on = out.get("reviewed_on")
    if on is None:
        errors["reviewed_on"] = "Cần ngày rà soát."
    elif on > today:
        errors["reviewed_on"] = "Ngày rà soát không được sau hôm nay."
    elif on < round.started_on:
        errors["reviewed_on"] = f"Ngày rà soát trước ngày bắt đầu đợt ({round.started_on:%d/%m/%Y})."
    if out.get("verdict") not in Verdict.values:
        errors["verdict"] = "Chọn kết quả rà soát."
    elif out["verdict"] == Verdict.SUITABLE and out["proposed"] != Handling.NONE:
        errors["proposed"] = "Văn bản phù hợp thì không cần xử lý."
    elif out["verdict"] in PROBLEMS and out["proposed"] == Handling.NONE:
        errors["proposed"] = "Văn bản có vấn đề cần hướng xử lý (sửa đổi, thay thế, bãi bỏ…)."
    if out.get("proposed") not in Handling.values:
        errors["proposed"] = "Hướng xử lý không hợp lệ."
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def finding_save(
    *,
    user: User | None,
    round: ReviewRound | None = None,
    finding: Finding | None = None,
    expected_version: int | None = None,
    today: date | None = None,
    **values: Any,
) -> Finding:
    """Record what a round found about a document, or correct it."""
    if finding is None:
        common.check_manage(user, _spec(), round.commune_id)
        finding = Finding(round=round, commune_id=round.commune_id)
    else:
        common.check_manage(user, _spec(), finding.commune_id)
        finding = common.lock(finding, expected_version)
        round = finding.round
        values = {**{n: getattr(finding, n) for n in FINDING_FIELDS}, **values}
    values = clean_finding(values, round=round, today=today)
    if Finding.objects.filter(round=round, document=values["document"]).exclude(pk=finding.pk).exists():
        raise ValidationError(
            {"document": f"Đợt này đã có kết quả rà soát văn bản {values['document'].number}."}
        )
    if finding.handled_on and values["verdict"] == Verdict.SUITABLE:
        raise ValidationError(
            {"verdict": "Kết quả đã được xử lý: bỏ ghi nhận xử lý trước khi sửa thành “phù hợp”."}
        )
    for name, value in values.items():
        setattr(finding, name, value)
    common.stamp(finding, user)
    finding.save()
    return finding


@transaction.atomic
def finding_handle(
    *,
    user: User | None,
    finding: Finding,
    on: date | None,
    handled_by: LegalDocument | None = None,
    handling_ref: str = "",
    note: str = "",
    update_document: bool = True,
    expected_version: int | None = None,
    today: date | None = None,
) -> Finding:
    """Record that a problem found was dealt with (on `on`, by `handled_by` or the
    document numbered `handling_ref`). When the handling amends, replaces, annuls
    or publishes the expiry of the document, its status moves too (one event)."""
    common.check_manage(user, _spec(), finding.commune_id)
    finding = common.lock(finding, expected_version)
    today = today or timezone.localdate()
    handling_ref, note = clean_text(handling_ref), clean_text(note)
    errors: dict[str, str] = {}
    if not finding.needs_handling:
        errors["verdict"] = "Văn bản phù hợp: không có gì phải xử lý."
    if on is None:
        errors["on"] = "Cần ngày xử lý xong."
    elif on > today:
        errors["on"] = "Ngày xử lý không được sau hôm nay."
    elif on < finding.reviewed_on:
        errors["on"] = "Ngày xử lý không được trước ngày rà soát."
    move = HANDLING_MOVES.get(finding.proposed)
    if move in NEEDS_CHANGER and handled_by is None and not handling_ref:
        errors["handled_by"] = "Chọn văn bản đã sửa đổi, thay thế, bãi bỏ (hoặc ghi số văn bản)."
    if handled_by is not None and handled_by.commune_id != finding.commune_id:
        errors["handled_by"] = "Văn bản xử lý phải thuộc sổ của xã."
    if errors:
        raise ValidationError(errors)
    finding.handled_on, finding.handled_by = on, handled_by
    finding.handling_ref = "" if handled_by is not None else handling_ref
    finding.handling_note = note[:300]
    common.stamp(finding, user)
    finding.save()
    document = finding.document
    if update_document and move and WORKFLOW.get(move).starts_from(document.status):
        document_act(
            user=user,
            document=document,
            action=move,
            on=on,
            changed_by=handled_by,
            change_ref=handling_ref,
            note=f"Xử lý theo kết quả {finding.round.title}"[:300],
            today=today,
        )
    return finding


@transaction.atomic
def finding_unhandle(*, user: User | None, finding: Finding, expected_version: int | None = None) -> Finding:
    """Undo a handling recorded by mistake (the document's status, if it moved, is
    corrected on the document's own page)."""
    common.check_manage(user, _spec(), finding.commune_id)
    finding = common.lock(finding, expected_version)
    finding.handled_on, finding.handled_by, finding.handling_ref, finding.handling_note = None, None, "", ""
    common.stamp(finding, user)
    finding.save()
    return finding
