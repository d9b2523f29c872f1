"""Writing the procedure-review register: the review itself (`review_save`), the
moves of its proposal (`review_act`: send, record the answer, correct it), and
importing a review with its known outcome (`review_import`). Each validates first,
writes in a transaction, and records an event for every status change."""

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
from .models import DECIDED, ProcedureReview, ProcedureReviewEvent, Proposal, ReviewStatus

FIELDS = (
    "procedure",
    "reviewed_on",
    "round",
    "department",
    "findings",
    "proposal",
    "proposal_text",
    "cost_before",
    "cost_after",
)
OUTCOME_FIELDS = ("sent_to", "sent_on", "sent_ref", "status", "outcome_on", "outcome_ref", "outcome_note")

S = ReviewStatus
WORKFLOW = Workflow(
    [
        Move("send", "Gửi kiến nghị", (S.REVIEWED,), S.SENT),
        Move("withdraw", "Hủy việc gửi (ghi nhầm)", (S.SENT,), S.REVIEWED),
        Move("accept", "Ghi kết quả: được chấp nhận", (S.SENT,), S.ACCEPTED),
        Move("accept_partly", "Ghi kết quả: chấp nhận một phần", (S.SENT,), S.PARTLY),
        Move("reject", "Ghi kết quả: không được chấp nhận", (S.SENT,), S.REJECTED),
        Move("reopen", "Sửa lại kết quả", DECIDED, S.SENT),
    ],
    status_label=lambda s: ReviewStatus(s).label,
)


def _spec():
    from .spec import SPEC

    return SPEC


def _block(value: str) -> str:
    lines = [clean_text(line) for line in (value or "").splitlines()]
    return "\n".join(line for line in lines if line)


def clean_values(values: dict, *, commune: Unit, status: str = S.REVIEWED, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    out = dict(values)
    out["round"] = clean_text(out.get("round") or "")
    for name in ("findings", "proposal_text"):
        out[name] = _block(out.get(name) or "")
    errors: dict[str, str] = {}
    procedure = out.get("procedure")
    if procedure is None:
        errors["procedure"] = "Chọn thủ tục được rà soát (trong danh mục TTHC của xã)."
    elif procedure.commune_id != commune.pk:
        errors["procedure"] = "Thủ tục phải thuộc danh mục TTHC của xã."
    on = out.get("reviewed_on")
    if on is None:
        errors["reviewed_on"] = "Cần ngày rà soát."
    elif on > today:
        errors["reviewed_on"] = "Ngày rà soát không được sau hôm nay."
    if out.get("proposal") not in Proposal.values:
        errors["proposal"] = "Chọn phương án: giữ nguyên, đơn giản hóa, bãi bỏ hoặc gộp."
    elif out["proposal"] == Proposal.KEEP and status != S.REVIEWED:
        errors["proposal"] = "Kiến nghị đã gửi: không đổi sang “giữ nguyên” được (hủy việc gửi trước)."
    elif out["proposal"] != Proposal.KEEP and not out["proposal_text"]:
        errors["proposal_text"] = "Nêu nội dung kiến nghị (bỏ, sửa bộ phận nào của thủ tục)."
    for name in ("cost_before", "cost_after"):
        if out.get(name) is not None and out[name] < 0:
            errors[name] = "Chi phí không được âm."
    department = out.get("department")
    if department is not None and department.commune_id != commune.pk:
        errors["department"] = "Bộ phận phải thuộc xã."
    if errors:
        raise ValidationError(errors)
    return out


def as_values(review: ProcedureReview) -> dict:
    return {name: getattr(review, name) for name in FIELDS}


def _event(review: ProcedureReview, user, action: str, before: str, note: str = "") -> None:
    ProcedureReviewEvent.objects.create(
        review=review, actor=user, action=action, from_status=before, to_status=review.status, note=note
    )


@transaction.atomic
def review_save(
    *,
    user: User | None,
    commune: Unit | None = None,
    review: ProcedureReview | None = None,
    expected_version: int | None = None,
    today: date | None = None,
    **values: Any,
) -> ProcedureReview:
    """Record a procedure's review, or change it (the outcome moves by `review_act`)."""
    if review is None:
        common.check_manage(user, _spec(), commune.pk)
        review = ProcedureReview(commune=commune)
        created = True
    else:
        common.check_manage(user, _spec(), review.commune_id)
        review = common.lock(review, expected_version)
        values = {**as_values(review), **values}
        created = False
    values = clean_values(values, commune=review.commune, status=review.status, today=today)
    duplicate = ProcedureReview.objects.filter(
        procedure=values["procedure"], reviewed_on=values["reviewed_on"]
    )
    if duplicate.exclude(pk=review.pk).exists():
        raise ValidationError({"reviewed_on": "Thủ tục này đã có dòng rà soát cùng ngày."})
    for name, value in values.items():
        setattr(review, name, value)
    common.stamp(review, user)
    review.save()
    if created:
        _event(review, user, "create", "", "Ghi kết quả rà soát.")
    return review


@transaction.atomic
def review_act(
    *,
    user: User | None,
    review: ProcedureReview,
    action: str,
    on: date | None = None,
    sent_to: str = "",
    ref: str = "",
    note: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> ProcedureReview:
    """Move the proposal along `WORKFLOW`: send it (to whom, when, by which letter),
    record the answer (when, by which document), withdraw or reopen it."""
    common.check_manage(user, _spec(), review.commune_id)
    review = common.lock(review, expected_version)
    move = WORKFLOW.check(action, review.status)
    today = today or timezone.localdate()
    note, ref, sent_to = clean_text(note), clean_text(ref), clean_text(sent_to)
    errors: dict[str, str] = {}
    if on is not None and on > today:
        errors["on"] = "Ngày không được sau hôm nay."
    if action == "send":
        if review.proposal == Proposal.KEEP:
            errors["action"] = "Phương án “giữ nguyên” không có kiến nghị để gửi."
        if not sent_to:
            errors["sent_to"] = "Ghi cơ quan nhận kiến nghị."
        if on is None:
            errors["on"] = "Cần ngày gửi."
        elif on < review.reviewed_on:
            errors["on"] = "Ngày gửi không được trước ngày rà soát."
        if not errors:
            review.sent_to, review.sent_on, review.sent_ref = sent_to, on, ref
    elif action in ("accept", "accept_partly", "reject"):
        if on is None:
            errors["on"] = "Cần ngày có kết quả."
        elif review.sent_on and on < review.sent_on:
            errors["on"] = "Ngày có kết quả không được trước ngày gửi."
        if not errors:
            review.outcome_on, review.outcome_ref, review.outcome_note = on, ref, note
    elif action == "reopen":
        review.outcome_on, review.outcome_ref, review.outcome_note = None, "", ""
    elif action == "withdraw":
        review.sent_to, review.sent_on, review.sent_ref = "", None, ""
    if errors:
        raise ValidationError(errors)
    before = review.status
    review.status = WORKFLOW.target(move, before)
    common.stamp(review, user)
    review.save()
    _event(review, user, action, before, note)
    return review


def check_outcome(values: dict, proposal: str) -> dict[str, str]:
    """Consistency of a known outcome typed in a spreadsheet."""
    errors: dict[str, str] = {}
    status = values.get("status") or S.REVIEWED
    if status != S.REVIEWED and proposal == Proposal.KEEP:
        errors["status"] = "phương án “giữ nguyên” không có kiến nghị: kết quả phải để trống."
    if status != S.REVIEWED and (not values.get("sent_to") or not values.get("sent_on")):
        errors["sent_on"] = "kiến nghị đã gửi cần cơ quan nhận và ngày gửi."
    if status in DECIDED and not values.get("outcome_on"):
        errors["outcome_on"] = "đã có kết quả thì cần ngày có kết quả."
    if status not in DECIDED and values.get("outcome_on"):
        errors["outcome_on"] = "có ngày có kết quả nhưng chưa ghi kết quả."
    if values.get("sent_on") and values.get("outcome_on") and values["outcome_on"] < values["sent_on"]:
        errors["outcome_on"] = "ngày có kết quả trước ngày gửi."
    if status == S.REVIEWED and values.get("sent_on"):
        errors["status"] = "có ngày gửi nhưng kết quả ghi “chưa gửi”."
    return errors


@transaction.atomic
def review_import(
    *, user: User | None, commune: Unit, review: ProcedureReview | None, values: dict, outcome: dict
) -> ProcedureReview:
    """A row of an imported list: the review and, where the list knows it, where
    the proposal stands (written as one "import" event when the status changes)."""
    if review is None:
        review = review_save(user=user, commune=commune, **values)
    else:
        review = review_save(user=user, review=review, **values)
    review = ProcedureReview.objects.select_for_update().get(pk=review.pk)
    before = review.status
    for name in OUTCOME_FIELDS:
        value = outcome.get(name)
        setattr(
            review,
            name,
            value if value is not None else ("" if name not in ("sent_on", "outcome_on") else None),
        )
    review.status = outcome.get("status") or S.REVIEWED
    review.save()
    if review.status != before:
        _event(review, user, "import", before, "Nhập từ Excel.")
    return review
