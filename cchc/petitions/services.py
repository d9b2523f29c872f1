"""Operations on petitions. Views, the JSON API, commands, the demo and tests all
call these functions; each validates, writes, records a `PetitionEvent` and
notifies, inside one transaction.

The state machine (`WORKFLOW`, `cchc.core.workflow`): received → (request info ⇄ info received) →
not accepted / transferred (official's conduct) / transferred (outside
competence) / accepted → assigned to a department (re-assignable) → answered →
approved (or returned for revision → assigned) → published.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cchc.core.figures import percent
from cchc.core.permissions import check_commune
from cchc.core.services import notify
from cchc.core.text import clean_text, search_key
from cchc.core.uploads import UploadPolicy
from cchc.core.workcal import TZ, TimeUnit, get_calendar
from cchc.core.workflow import Move, Workflow
from cchc.org.models import Department, Role, Unit, User
from cchc.procedures.models import Procedure

from .models import (
    ANSWERED_STATUSES,
    DEFAULT_STEP_DAYS,
    OPEN_STATUSES,
    Action,
    Channel,
    Petition,
    PetitionAttachment,
    PetitionDeadline,
    PetitionEvent,
    PetitionRating,
    Status,
    Step,
    new_petition_code,
)

# What citizens may attach: documents, scans and photos, a few at a time.
ATTACHMENT_UPLOADS = UploadPolicy(types=("pdf", "jpg", "png", "docx"), max_files=5)

_PHONE_STRIP = re.compile(r"[\s.\-()]")
_PHONE_VALID = re.compile(r"0\d{9,10}")


_CLASSIFY = "petitions.classify_petition"
_ANSWER = "petitions.answer_petition"
_APPROVE = "petitions.approve_petition"
_PUBLISH = "petitions.publish_petition"


def _move(action: Action, sources: tuple[Status, ...], target: Status, perm: str) -> Move:
    return Move(action.value, action.label, sources, target, frozenset({perm}))


# The move table: the capability of each move is the permission it needs.
WORKFLOW = Workflow(
    [
        _move(Action.REQUEST_INFO, (Status.RECEIVED,), Status.INFO_REQUESTED, _CLASSIFY),
        _move(Action.RECEIVE_INFO, (Status.INFO_REQUESTED,), Status.RECEIVED, _CLASSIFY),
        _move(Action.REFUSE, (Status.RECEIVED, Status.INFO_REQUESTED), Status.NOT_ACCEPTED, _CLASSIFY),
        _move(Action.TRANSFER_CONDUCT, (Status.RECEIVED,), Status.TRANSFERRED_CONDUCT, _CLASSIFY),
        _move(Action.TRANSFER_OUTSIDE, (Status.RECEIVED,), Status.TRANSFERRED_OUTSIDE, _CLASSIFY),
        _move(Action.ACCEPT, (Status.RECEIVED,), Status.ACCEPTED, _CLASSIFY),
        _move(Action.ASSIGN, (Status.ACCEPTED, Status.ASSIGNED), Status.ASSIGNED, _CLASSIFY),
        _move(Action.ANSWER, (Status.ASSIGNED,), Status.ANSWERED, _ANSWER),
        _move(Action.RETURN, (Status.ANSWERED,), Status.ASSIGNED, _APPROVE),
        _move(Action.APPROVE, (Status.ANSWERED,), Status.APPROVED, _APPROVE),
        _move(Action.PUBLISH, (Status.APPROVED,), Status.PUBLISHED, _PUBLISH),
    ],
    status_label=lambda status: Status(status).label,
    noun="phản ánh",
)
ACTION_LABELS = dict(Action.choices)


# --- configuration -------------------------------------------------------------
def step_days(step: Step | str) -> int:
    """Working days allowed for `step`: the `PetitionDeadline` row, else the default."""
    row = PetitionDeadline.objects.filter(step=step).first()
    return row.working_days if row else DEFAULT_STEP_DAYS[Step(step)]


def step_due(start: datetime, step: Step | str) -> date:
    return get_calendar().due(start, step_days(step), TimeUnit.WORKING_DAYS).due_date


def due_soon_until(today: date) -> date:
    """Last day that counts as "due soon" seen from `today`."""
    return get_calendar().add_working_days(today, settings.PETITION_DUE_SOON_DAYS)


# --- input validation ------------------------------------------------------------
def normalize_phone(raw: str) -> str:
    """'+84 912.345.678' → '0912345678'; ValidationError when not a Vietnamese number."""
    digits = _PHONE_STRIP.sub("", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    if not digits:
        raise ValidationError("Vui lòng nhập số điện thoại.")
    if not _PHONE_VALID.fullmatch(digits):
        raise ValidationError(
            "Số điện thoại không hợp lệ: cần 10–11 chữ số, bắt đầu bằng 0 (ví dụ 0912 345 678)."
        )
    return digits


def _required(errors: dict, field: str, value: str, label: str, max_length: int) -> str:
    value = clean_text(value or "")
    if not value:
        errors.setdefault(field, []).append(f"Vui lòng nhập {label}.")
    elif len(value) > max_length:
        errors.setdefault(field, []).append(f"{label[0].upper()}{label[1:]} dài quá {max_length} ký tự.")
    return value


def _text_block(value: str) -> str:
    """Multi-line text: NFC, trimmed lines, no runs of blank lines."""
    lines = [clean_text(line) for line in (value or "").splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _actor_label(user: User | None) -> str:
    if user is None:
        return "Người gửi (cổng trực tuyến)"
    return (f"{user.full_name} ({user.get_username()})" if user.full_name else user.get_username())[:200]


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


# --- intake -------------------------------------------------------------------------
@transaction.atomic
def petition_submit(
    *,
    commune: Unit,
    name: str,
    address: str,
    phone: str,
    subject: str,
    content: str,
    email: str = "",
    procedure: Procedure | None = None,
    files: Sequence[UploadedFile] = (),
    channel: Channel | str = Channel.WEB,
    received_by: User | None = None,
    at: datetime | None = None,
) -> Petition:
    """Receive and log a petition (web form, API, or a letter / phone call logged by
    staff). Validates everything first; on any error nothing is stored.

    NĐ 20/2008 requires name, address and phone. The classification deadline runs
    from the moment of receipt.
    """
    at = _now(at)
    errors: dict[str, list[str]] = {}
    if not commune.is_commune or not commune.is_active:
        raise ValidationError("Đơn vị nhận phản ánh phải là một xã đang hoạt động.")
    if channel not in Channel.values:
        errors["channel"] = ["Kênh tiếp nhận không hợp lệ."]
    if channel != Channel.WEB and received_by is None:
        errors["channel"] = ["Thư, cuộc gọi phải do cán bộ ghi nhận."]
    if at > timezone.now() + timedelta(minutes=5):
        errors["received_at"] = ["Thời điểm tiếp nhận không thể ở tương lai."]
    name = _required(errors, "name", name, "họ và tên", 150)
    address = _required(errors, "address", address, "địa chỉ", 300)
    subject = _required(errors, "subject", subject, "tiêu đề", 200)
    content = _text_block(content)
    if len(content) < 10:
        errors["content"] = ["Vui lòng nhập nội dung phản ánh, kiến nghị (ít nhất 10 ký tự)."]
    elif len(content) > 10000:
        errors["content"] = ["Nội dung dài quá 10.000 ký tự."]
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Địa chỉ thư điện tử không hợp lệ."]
    if procedure is not None and procedure.commune_id != commune.pk:
        errors["procedure"] = ["Thủ tục không thuộc danh mục của xã này."]
    try:
        uploads = ATTACHMENT_UPLOADS.check(files)
    except ValidationError as exc:
        errors["attachments"] = exc.messages
    if errors:
        raise ValidationError(errors)

    petition = Petition(
        commune=commune,
        channel=channel,
        name=name,
        address=address,
        phone=phone,
        email=email,
        subject=subject,
        content=content,
        procedure=procedure,
        received_at=at,
        received_by=received_by,
        due_date=step_due(at, Step.CLASSIFY),
    )
    for _ in range(20):
        petition.code = new_petition_code(timezone.localdate(at))
        if Petition.objects.filter(code=petition.code).exists():
            continue
        try:
            with transaction.atomic():
                petition.save()
            break
        except IntegrityError:  # the same random code taken concurrently
            petition.pk = None
    else:  # pragma: no cover - 20 collisions in a space of 887 million
        raise RuntimeError("Không sinh được mã phản ánh duy nhất.")
    PetitionEvent.objects.create(
        petition=petition,
        at=at,
        actor=received_by,
        actor_label=_actor_label(received_by),
        action=Action.RECEIVE,
        from_status="",
        to_status=Status.RECEIVED,
        note=f"Kênh: {Channel(channel).label}.",
        step_due=petition.due_date,
    )
    for upload in uploads:
        attachment = PetitionAttachment(
            petition=petition,
            original_name=upload.original_name,
            extension=upload.extension,
            size=upload.size,
            uploaded_at=at,
        )
        attachment.file.save("upload", upload.file, save=False)
        attachment.save()
    return petition


# --- the state machine -------------------------------------------------------------
def capabilities(user: User) -> set[str]:
    """The petition permissions the user holds (the capabilities of `WORKFLOW`)."""
    if not user.is_authenticated:
        return set()
    return {perm for perm in (_CLASSIFY, _ANSWER, _APPROVE, _PUBLISH) if user.has_perm(perm)}


def _why_not(user: User, petition: Petition, move: Move) -> str | None:
    """Why `user` may not perform `move` on `petition` (None: allowed). Status is
    checked separately (409 rather than 403)."""
    if not move.permits(capabilities(user)):
        return "Bạn không có quyền thực hiện thao tác này."
    if not user.can_write_commune(petition.commune_id):
        return "Bạn chỉ có quyền xem phản ánh của đơn vị này."
    if move.action == "answer" and not user.sees_all_units and user.department_id != petition.department_id:
        return "Chỉ công chức của bộ phận được giao mới được dự thảo trả lời."
    return None


def available_actions(user: User, petition: Petition) -> list[Move]:
    """Moves the user may make now (for the action forms on the detail page)."""
    return [
        m
        for m in WORKFLOW.available(petition.status, capabilities(user))
        if _why_not(user, petition, m) is None
    ]


def _classify_clock_start(petition: Petition) -> datetime:
    """Receipt, or the last time the requested information arrived (time spent
    waiting for the petitioner is not counted)."""
    last = petition.events.filter(action=Action.RECEIVE_INFO).order_by("-at", "-id").first()
    return last.at if last else petition.received_at


def _check_private_data(petition: Petition, texts: Iterable[str]) -> None:
    """Refuse publication text that contains the petitioner's name, phone or e-mail."""
    joined = search_key(" ".join(texts))
    digits = re.sub(r"\D", "", " ".join(texts))
    found = []
    if petition.name and search_key(petition.name) in joined:
        found.append("họ tên")
    if petition.phone and (petition.phone in digits or petition.phone[1:] in digits):
        found.append("số điện thoại")
    if petition.email and petition.email.lower() in " ".join(texts).lower():
        found.append("thư điện tử")
    address_key = search_key(petition.address)
    if len(address_key) >= 12 and address_key in joined:
        found.append("địa chỉ")
    if found:
        raise ValidationError(
            "Nội dung công khai có chứa thông tin cá nhân của người gửi ("
            + ", ".join(found)
            + "). Hãy bỏ thông tin đó trước khi công khai."
        )


@transaction.atomic
def petition_act(
    *,
    petition: Petition,
    user: User,
    action: str,
    note: str = "",
    reason: str = "",
    department: Department | None = None,
    answer: str = "",
    public_title: str = "",
    public_summary: str = "",
    public_answer: str = "",
    at: datetime | None = None,
) -> Petition:
    """Perform one move of the state machine.

    Raises `Http404` when the user may not see the petition, `PermissionDenied`
    when they may not make this move, `IllegalMove` (a `Conflict`, 409) when the
    move is not allowed from the current status, `ValidationError` for missing or bad input.
    Nothing is changed on error. Each move writes a `PetitionEvent` with the
    step deadline it closed and whether it was met.
    """
    at = _now(at)
    if action not in WORKFLOW:
        raise ValidationError(f"Thao tác không hợp lệ: “{action}”.")
    move = WORKFLOW.get(action)
    check_commune(user, petition.commune_id)
    if not Petition.objects.visible_to(user).filter(pk=petition.pk).exists():
        raise PermissionDenied("Phản ánh này không được giao cho bộ phận của bạn.")
    # Lock the row: two officers clicking at once cannot both move it.
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    reason_denied = _why_not(user, locked, move)
    if reason_denied:
        raise PermissionDenied(reason_denied)
    WORKFLOW.check(action, locked.status)
    if at < locked.received_at:
        raise ValidationError("Thời điểm thao tác không thể trước thời điểm tiếp nhận.")

    note = _text_block(note)
    today = timezone.localdate(at)
    from_status = locked.status
    closed_due: date | None = _HANDLERS[action](
        locked,
        user=user,
        at=at,
        note=note,
        reason=_text_block(reason),
        department=department,
        answer=_text_block(answer),
        public_title=clean_text(public_title),
        public_summary=_text_block(public_summary),
        public_answer=_text_block(public_answer),
    )
    locked.status = move.target
    if locked.is_final:
        locked.due_date = None
        locked.closed_at = at
    locked.save()
    PetitionEvent.objects.create(
        petition=locked,
        at=at,
        actor=user,
        actor_label=_actor_label(user),
        action=action,
        from_status=from_status,
        to_status=locked.status,
        note=note,
        step_due=closed_due,
        on_time=None if closed_due is None else today <= closed_due,
    )
    _notify_after(locked, action, at)
    return locked


def _need(value: str, message: str, field: str = "note") -> str:
    if not value:
        raise ValidationError({field: [message]})
    return value


def _do_request_info(p: Petition, *, at: datetime, note: str, **_) -> date:
    p.info_request = _need(note, "Ghi rõ thông tin cần người gửi bổ sung.")
    p.due_date = None
    return step_due(_classify_clock_start(p), Step.REQUEST_INFO)


def _do_receive_info(p: Petition, *, at: datetime, note: str, **_) -> None:
    _need(note, "Ghi tóm tắt thông tin đã nhận bổ sung.")
    p.due_date = step_due(at, Step.CLASSIFY)
    return None


def _do_refuse(p: Petition, *, reason: str, note: str, **_) -> date:
    p.refusal_reason = _need(reason or note, "Ghi rõ lý do không tiếp nhận.", "reason")
    return step_due(_classify_clock_start(p), Step.REFUSE)


def _do_transfer(p: Petition, *, note: str, **_) -> date | None:
    target = _need(note, "Ghi rõ cơ quan, người có thẩm quyền được chuyển đến.")
    p.transferred_to = target[:300]
    return p.due_date


def _do_accept(p: Petition, *, at: datetime, **_) -> date | None:
    closed = p.due_date
    p.handle_due = step_due(at, Step.HANDLE)
    p.due_date = p.handle_due
    return closed


def _do_assign(p: Petition, *, department: Department | None, **_) -> None:
    if department is None:
        raise ValidationError({"department": ["Chọn bộ phận xử lý."]})
    if department.commune_id != p.commune_id:
        raise ValidationError({"department": ["Bộ phận phải thuộc cùng xã với phản ánh."]})
    if department.pk == p.department_id:
        raise ValidationError({"department": [f"Phản ánh đã được giao cho {department.name}."]})
    p.department = department
    p.due_date = p.handle_due
    return None


def _do_answer(p: Petition, *, user: User, at: datetime, answer: str, **_) -> date | None:
    p.answer = _need(answer, "Nhập nội dung trả lời.", "answer")
    if len(p.answer) > 20000:
        raise ValidationError({"answer": ["Nội dung trả lời dài quá 20.000 ký tự."]})
    p.answered_at = at
    p.answered_by = user
    return p.handle_due


def _do_return(p: Petition, *, note: str, **_) -> None:
    _need(note, "Ghi rõ nội dung cần sửa.")
    p.due_date = p.handle_due
    return None


def _do_approve(p: Petition, *, user: User, at: datetime, **_) -> date | None:
    p.approved_at = at
    p.approved_by = user
    p.due_date = step_due(at, Step.PUBLISH)
    return p.handle_due


def _do_publish(
    p: Petition, *, at: datetime, public_title: str, public_summary: str, public_answer: str, **_
) -> date | None:
    errors = {}
    if not public_title:
        errors["public_title"] = ["Nhập tiêu đề công khai."]
    elif len(public_title) > 200:
        errors["public_title"] = ["Tiêu đề công khai dài quá 200 ký tự."]
    if not public_summary:
        errors["public_summary"] = ["Nhập tóm tắt nội dung phản ánh để công khai."]
    if errors:
        raise ValidationError(errors)
    public_answer = public_answer or p.answer
    _check_private_data(p, [public_title, public_summary, public_answer])
    p.public_title, p.public_summary, p.public_answer = public_title, public_summary, public_answer
    p.published_at = at
    return p.due_date


_HANDLERS = {
    "request_info": _do_request_info,
    "receive_info": _do_receive_info,
    "refuse": _do_refuse,
    "transfer_conduct": _do_transfer,
    "transfer_outside": _do_transfer,
    "accept": _do_accept,
    "assign": _do_assign,
    "answer": _do_answer,
    "return": _do_return,
    "approve": _do_approve,
    "publish": _do_publish,
}


# --- notifications -------------------------------------------------------------------
def responsible_users(petition: Petition) -> QuerySet[User]:
    """Who must act on the petition in its current status."""
    base = User.objects.filter(is_active=True, unit_id=petition.commune_id)
    if petition.status in (Status.RECEIVED, Status.ACCEPTED, Status.APPROVED):
        return base.filter(role__in=[Role.CCHC_OFFICE, Role.ONE_STOP_OFFICER])
    if petition.status == Status.ASSIGNED and petition.department_id:
        return base.filter(department_id=petition.department_id)
    if petition.status == Status.ANSWERED:
        return base.filter(role__in=[Role.CHAIRMAN, Role.VICE_CHAIRMAN])
    return base.none()


def _notify_after(petition: Petition, action: str, at: datetime) -> None:
    url = reverse("petitions:detail", args=[petition.code])
    due = f" Hạn: {petition.due_date:%d/%m/%Y}." if petition.due_date else ""
    titles = {
        "assign": f"Phản ánh {petition.code} được giao cho bộ phận của bạn",
        "return": f"Trả lời phản ánh {petition.code} cần sửa",
        "answer": f"Trả lời phản ánh {petition.code} chờ duyệt",
        "approve": f"Trả lời phản ánh {petition.code} đã duyệt, chờ công khai",
    }
    if action not in titles:
        return
    for user in responsible_users(petition):
        notify(
            user=user,
            title=titles[action],
            body=f"{petition.subject}.{due}",
            url=url,
            dedupe_key=f"petition:{petition.pk}:{action}:{at.isoformat()}",
        )


def petition_send_reminders(*, at: datetime | None = None) -> int:
    """Remind the people who must act of petitions due soon or overdue; idempotent
    per petition, status and day (run it daily, or twice: nothing is sent twice)."""
    at = _now(at)
    today = timezone.localdate(at)
    until = due_soon_until(today)
    sent = 0
    for petition in Petition.objects.open().filter(due_date__lte=until).select_related("commune"):
        overdue = petition.due_date < today
        title = (
            f"Phản ánh {petition.code} đã quá hạn ({petition.due_date:%d/%m/%Y})"
            if overdue
            else f"Phản ánh {petition.code} sắp đến hạn ({petition.due_date:%d/%m/%Y})"
        )
        kind = "overdue" if overdue else "soon"
        for user in responsible_users(petition):
            sent += notify(
                user=user,
                title=title,
                body=f"{petition.subject} – {petition.get_status_display()}.",
                url=reverse("petitions:detail", args=[petition.code]),
                dedupe_key=f"petition:{petition.pk}:{petition.status}:{kind}:{petition.due_date}:{today}",
            )
    return sent


# --- follow-up and rating -------------------------------------------------------------
def petition_find_for_follow_up(*, code: str, factor: str) -> Petition | None:
    """The petition when both the code and the factor (last 4 digits of the phone)
    match; None otherwise, without saying which was wrong."""
    code = clean_text(code or "").upper()
    factor = re.sub(r"\D", "", factor or "")
    petition = Petition.objects.filter(code=code).select_related("commune", "procedure").first()
    if petition is None or len(factor) != 4:
        return None
    return petition if secrets.compare_digest(petition.follow_factor, factor) else None


@transaction.atomic
def petition_rate(
    *, petition: Petition, satisfied: bool, comment: str = "", at: datetime | None = None
) -> PetitionRating:
    """The petitioner's one rating, allowed once handling has finished."""
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    if not locked.is_final:
        raise ValidationError("Chỉ đánh giá được khi phản ánh, kiến nghị đã xử lý xong.")
    if PetitionRating.objects.filter(petition=locked).exists():
        raise ValidationError("Phản ánh, kiến nghị này đã được đánh giá; mỗi phản ánh chỉ đánh giá một lần.")
    comment = _text_block(comment)
    if len(comment) > 2000:
        raise ValidationError({"comment": ["Ý kiến dài quá 2.000 ký tự."]})
    return PetitionRating.objects.create(
        petition=locked, satisfied=bool(satisfied), comment=comment, rated_at=_now(at)
    )


# --- statistics ---------------------------------------------------------------------
def _rate(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


@dataclass(frozen=True)
class PetitionCounts:
    """The counts behind the petition figures of one scope (see `petition_stats`)."""

    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    overdue: int = 0
    not_accepted: int = 0
    transferred: int = 0
    published: int = 0
    open: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.answered_on_time, self.answered)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return percent(self.satisfied, self.rated)


def petition_counts(
    *,
    commune_ids: Iterable[int],
    date_from: date,
    date_to: date,
    at: datetime | None = None,
    grouped: bool = False,
) -> PetitionCounts | dict[int, PetitionCounts]:
    """`PetitionCounts` of the petitions received in the window (rules in
    `petition_stats`); with `grouped`, one per commune."""
    if date_from > date_to:
        raise ValidationError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
    ids = list(commune_ids)
    today = timezone.localdate(_now(at))
    start = datetime.combine(date_from, time.min, TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, TZ)
    window = Petition.objects.filter(commune_id__in=ids, received_at__gte=start, received_at__lt=end)
    tallies: dict[int, dict[str, int]] = {}

    def tally(commune_id: int) -> dict[str, int]:
        if commune_id not in tallies:
            tallies[commune_id] = dict.fromkeys(PetitionCounts.__dataclass_fields__, 0)
        return tallies[commune_id]

    rows = window.values_list("commune_id", "status", "handle_due", "due_date", "answered_at", "approved_at")
    for commune_id, status, handle_due, due_date, answered_at, approved_at in rows.iterator():
        t = tally(commune_id)
        t["received"] += 1
        if status in ANSWERED_STATUSES:
            t["answered"] += 1
            settled = approved_at or answered_at
            if handle_due and settled and timezone.localdate(settled) <= handle_due:
                t["answered_on_time"] += 1
        if status in OPEN_STATUSES:
            t["open"] += 1
            if due_date and due_date < today:
                t["overdue"] += 1
        if status == Status.NOT_ACCEPTED:
            t["not_accepted"] += 1
        elif status in (Status.TRANSFERRED_CONDUCT, Status.TRANSFERRED_OUTSIDE):
            t["transferred"] += 1
        elif status == Status.PUBLISHED:
            t["published"] += 1
    ratings = PetitionRating.objects.filter(petition__in=window).values_list(
        "petition__commune_id", "satisfied"
    )
    for commune_id, satisfied in ratings:
        t = tally(commune_id)
        t["rated"] += 1
        t["satisfied"] += int(satisfied)
    if grouped:
        return {cid: PetitionCounts(**tallies[cid]) if cid in tallies else PetitionCounts() for cid in ids}
    total = dict.fromkeys(PetitionCounts.__dataclass_fields__, 0)
    for t in tallies.values():
        for key, value in t.items():
            total[key] += value
    return PetitionCounts(**total)


def petition_stats(
    *, commune_ids: Iterable[int], date_from: date, date_to: date, at: datetime | None = None
) -> dict:
    """Figures for petitions of `commune_ids` RECEIVED between `date_from` and
    `date_to` (inclusive, local dates), as of `at` (default: now).

    - received: all petitions received in the window, whatever their outcome;
    - answered: those that reached answered, approved or published;
    - answered_on_time: answered ones whose answer was settled by the handling
      deadline (`handle_due`): the approval date when approved, else the date of
      the latest draft answer;
    - overdue: still open (received, accepted, assigned, answered, approved) and
      past the deadline of their current step on `at`'s date;
    - on_time_rate: answered_on_time ÷ answered × 100, 2 decimals (None if none
      answered) — the QĐ 766 "feedback handled on time" figure;
    - rated, satisfied, satisfaction_rate: the petitioners' ratings of those
      petitions, satisfied ÷ rated × 100 — QĐ 766 "satisfaction with feedback
      handling";
    - not_accepted, transferred, published, open: counts by outcome.
    """
    c = petition_counts(commune_ids=commune_ids, date_from=date_from, date_to=date_to, at=at)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "received": c.received,
        "answered": c.answered,
        "answered_on_time": c.answered_on_time,
        "overdue": c.overdue,
        "on_time_rate": _rate(c.on_time_rate),
        "not_accepted": c.not_accepted,
        "transferred": c.transferred,
        "published": c.published,
        "open": c.open,
        "rated": c.rated,
        "satisfied": c.satisfied,
        "satisfaction_rate": _rate(c.satisfaction_rate),
    }
