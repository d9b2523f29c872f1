"""Operations on dossiers: receiving (`dossier_receive`), registering an online
submission (`dossier_submit_online`), every later move (`dossier_act`, including
accepting or refusing an online submission) and recomputing due dates after a
calendar change (`dossiers_recompute_due_dates`). Views, the API, the demo loader,
the benchmark and the tests call these functions; nothing else writes dossiers.

The flow is a move table (`WORKFLOW`, `cchc.core.workflow`); an illegal move raises
`IllegalMove`, a `Conflict` (409) with a Vietnamese reason. Each action has one
handler; one shared tail closes the dossier, derives the per-day counters from the
event (`day_counts`) and writes one `DossierEvent` with the step's outcome (early /
on time / late).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from cchc.core.permissions import check_commune
from cchc.core.services import notify
from cchc.core.text import clean_text
from cchc.core.workcal import TZ, WorkCalendar, get_calendar
from cchc.core.workflow import RESUME, SAME, IllegalMove, Move, Workflow
from cchc.org.models import Department, Unit, User
from cchc.procedures.models import OnlineLevel, Procedure

from .access import APPLICANT, COUNTER, DEPARTMENT, capabilities
from .models import (
    LONG_RUNNING,
    OPEN_STATUSES,
    Action,
    Channel,
    DailySerial,
    DocumentKind,
    Dossier,
    DossierEvent,
    Outcome,
    PaymentMethod,
    RegisterSerial,
    ResultDelivery,
    ReturnMode,
    Status,
    SupplementRequest,
    outcome_for,
)
from .rules import ruleset_for
from .stats import (
    bump_day,
    dossier_stats,  # noqa: F401  (re-exported: dashboards import it from here)
)

# A time this far before "now" counts as entered after the fact (needs the
# historical-import permission); smaller differences are clock skew and typing.
HISTORICAL_TOLERANCE = timedelta(minutes=10)
FUTURE_TOLERANCE = timedelta(minutes=1)


def _move(action: Action, sources: tuple[str, ...], target: str, sides: frozenset[str]) -> Move:
    return Move(action.value, action.label, sources, target, sides)


# The move table: the statuses each action starts from, the status it leads to, and
# the sides of the one-stop flow that take it (`access.capabilities`).
_COUNTER, _DEPARTMENT, _BOTH = frozenset({COUNTER}), frozenset({DEPARTMENT}), frozenset({COUNTER, DEPARTMENT})
_APPLICANT = frozenset({APPLICANT})
_WORKING = (Status.RECEIVED, Status.PROCESSING)
WORKFLOW = Workflow(
    [
        # An online submission (code 1) is accepted (code 2) or refused (code 3).
        _move(Action.ACCEPT, (Status.REGISTERED,), Status.RECEIVED, _COUNTER),
        _move(Action.TRANSFER, _WORKING, Status.PROCESSING, _BOTH),
        _move(Action.REQUEST_SUPPLEMENT, _WORKING, Status.SUPPLEMENT, _BOTH),
        # The applicant answers a supplement request online (follow-up link) like at the counter.
        _move(Action.RECEIVE_SUPPLEMENT, (Status.SUPPLEMENT,), RESUME, _BOTH | _APPLICANT),
        _move(Action.REQUEST_PAYMENT, _WORKING, Status.AWAITING_PAYMENT, _BOTH),
        _move(Action.RECEIVE_PAYMENT, (Status.AWAITING_PAYMENT,), RESUME, _BOTH),
        _move(Action.FINISH, _WORKING, Status.PROCESSED, _DEPARTMENT),
        # The applicant's first download of the electronic result is its return.
        _move(Action.RETURN_RESULT, (Status.PROCESSED,), Status.RETURNED, _COUNTER | _APPLICANT),
        _move(Action.REFUSE, (Status.REGISTERED, *OPEN_STATUSES), Status.REFUSED, _BOTH),
        _move(Action.APOLOGIZE, OPEN_STATUSES, SAME, _DEPARTMENT),
        _move(Action.WITHDRAW, OPEN_STATUSES, Status.WITHDRAWN, _COUNTER | _APPLICANT),
        _move(Action.STOP, OPEN_STATUSES, Status.STOPPED, _DEPARTMENT),
    ],
    status_label=lambda status: Status(status).label.lower(),
    noun="hồ sơ",
)
SIDE_LABELS = {
    COUNTER: "Bộ phận Một cửa",
    DEPARTMENT: "bộ phận đang giải quyết hồ sơ",
    APPLICANT: "người nộp hồ sơ (qua đường dẫn theo dõi)",
}
# The event's actor label when the applicant acts through the public pages.
APPLICANT_LABEL = "Người nộp hồ sơ (trực tuyến)"
# The moves that end processing with an outcome (finished_at, finish_outcome).
FINISHING = frozenset({Action.FINISH, Action.REFUSE, Action.STOP})

_ID_NUMBER = re.compile(r"^(\d{9}|\d{12}|\d{10}(-\d{3})?|[A-Z]\d{7,8})$")
_PHONE = re.compile(r"^(0\d{9,10}|\+84\d{9,10})$")


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    phone: str
    address: str
    email: str = ""


# --- helpers -----------------------------------------------------------------
def allowed_actions(user: User, dossier: Dossier) -> list[str]:
    """Actions the user may take on the dossier now (for buttons; the service checks again)."""
    return [m.action for m in WORKFLOW.available(dossier.status, capabilities(user, dossier))]


def format_code(*, agency: str, day: date, serial: int, pattern: str | None = None) -> str:
    pattern = pattern or settings.DOSSIER_CODE_PATTERN
    return pattern.format(agency=agency, yymmdd=f"{day:%y%m%d}", yyyymmdd=f"{day:%Y%m%d}", serial=serial)


def next_serial(*, commune_id: int, day: date) -> int:
    """Take the next daily serial of a commune. Must run inside the receiving
    transaction: the upsert locks the (commune, day) row until commit, so
    concurrent receipts queue on it, and a rollback returns the number."""
    table = connection.ops.quote_name(DailySerial._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (commune_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (commune_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [commune_id, day.isoformat()],
        )
        return cursor.fetchone()[0]


def next_register_number(*, commune_id: int, year: int) -> int:
    """Take the next row of a commune's register book of `year` (form 07). Same
    locking as `next_serial`: concurrent receipts queue, a rollback returns it."""
    table = connection.ops.quote_name(RegisterSerial._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (commune_id, year, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (commune_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [commune_id, year],
        )
        return cursor.fetchone()[0]


def _local(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return value.replace(tzinfo=TZ)
    return value.astimezone(TZ)


def _check_time(user, at: datetime | None, now: datetime, *, what: str) -> tuple[datetime, bool]:
    """The moment of an operation and whether it was entered after the fact."""
    now = _local(now)
    if at is None:
        return now, False
    at = _local(at)
    if at > now + FUTURE_TOLERANCE:
        raise ValidationError(f"{what} không được ở tương lai ({at:%H:%M %d/%m/%Y}).")
    if at < now - HISTORICAL_TOLERANCE:
        if not user.has_perm("dossiers.import_historical"):
            raise PermissionDenied(
                f"{what} trong quá khứ ({at:%H:%M %d/%m/%Y}) chỉ được nhập bởi người có quyền "
                "nhập hồ sơ từ hệ thống cũ."
            )
        return at, True
    return at, False


def _one_stop_department(commune_id: int) -> Department | None:
    return Department.objects.filter(commune_id=commune_id, is_one_stop=True).order_by("order", "pk").first()


def _handover_due(cal: WorkCalendar, since: datetime) -> date:
    """Hand-over deadline (docs/rules.md §4): the same working day, or the next working
    day when the dossier arrived after the afternoon cut-off or on a day off."""
    since = _local(since)
    day = since.date()
    if cal.is_working_day(day) and since.time() <= settings.AFTERNOON_CUTOFF:
        return day
    return cal.next_working_day(day)


def _step_outcome(done: date, due: date | None) -> str:
    if due is None:
        return ""
    return outcome_for(done, due)


# --- receiving -----------------------------------------------------------------
def _at_most(value: str, limit: int, field: str, label: str) -> str:
    """`value` when it fits its column; a refusal naming the field otherwise (input
    is never cut silently)."""
    if len(value) > limit:
        raise ValidationError({field: f"{label} quá dài (tối đa {limit} ký tự)."})
    return value


def _validate_applicant(applicant: Applicant) -> Applicant:
    errors: dict[str, str] = {}
    name = clean_text(applicant.name)
    id_number = re.sub(r"[\s.]", "", applicant.id_number or "").upper()
    phone = re.sub(r"[\s.()-]", "", applicant.phone or "")
    address = clean_text(applicant.address)
    email = (applicant.email or "").strip()
    if not name:
        errors["applicant_name"] = "Cần ghi họ tên người nộp (hoặc tên tổ chức)."
    elif len(name) > 200:
        errors["applicant_name"] = "Họ tên quá dài (tối đa 200 ký tự)."
    if not _ID_NUMBER.match(id_number):
        errors["applicant_id_number"] = (
            "Số định danh không hợp lệ: CCCD 12 chữ số, CMND 9 chữ số, mã số thuế 10 (hoặc 10-3) chữ số, "
            "hoặc hộ chiếu (1 chữ cái và 7–8 chữ số)."
        )
    if not _PHONE.match(phone):
        errors["applicant_phone"] = "Số điện thoại không hợp lệ (10–11 chữ số, bắt đầu bằng 0 hoặc +84)."
    if not address:
        errors["applicant_address"] = "Cần ghi địa chỉ người nộp."
    elif len(address) > 300:
        errors["applicant_address"] = "Địa chỉ quá dài (tối đa 300 ký tự)."
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["applicant_email"] = "Địa chỉ thư điện tử không hợp lệ."
    if errors:
        raise ValidationError(errors)
    return Applicant(name=name, id_number=id_number, phone=phone, address=address, email=email)


def _validate_intake(user, procedure, channel: str, applicant: Applicant, copies: int) -> Applicant:
    """Checks shared by receiving at the counter and registering an online submission."""
    check_commune(user, procedure.commune_id, write=True)
    if not user.has_perm("dossiers.receive_dossier"):
        raise PermissionDenied("Chỉ công chức Bộ phận Một cửa được tiếp nhận hồ sơ.")
    check_procedure_channel(procedure, channel)
    applicant = _validate_applicant(applicant)
    if not 1 <= int(copies) <= 50:
        raise ValidationError({"copies": "Số bộ hồ sơ phải từ 1 đến 50."})
    return applicant


def check_procedure_channel(procedure: Procedure, channel: str) -> None:
    """The procedure is published, has a usable processing time and takes dossiers
    through `channel` (counter, online submission, the public online form)."""
    if channel not in Channel.values:
        raise ValidationError({"channel": "Kênh tiếp nhận phải là in_person, online hoặc postal."})
    if not procedure.is_published:
        raise ValidationError(
            {"procedure": f"Thủ tục {procedure.code} chưa được công khai, chưa thể tiếp nhận."}
        )
    if not procedure.has_usable_time:
        # Catalogue rows whose processing time could not be read are flagged for
        # review; a due date guessed from a default would be printed on the
        # receipt and bind the commune, so such procedures wait for the review.
        raise ValidationError(
            {
                "procedure": f"Thủ tục {procedure.code} chưa có thời hạn giải quyết hợp lệ "
                f"(“{procedure.time_text or 'trống'}”) nên chưa thể tiếp nhận hồ sơ; "
                "đề nghị rà soát, cập nhật thời hạn trong danh mục thủ tục."
            }
        )
    allowed = {
        Channel.IN_PERSON: procedure.in_person,
        Channel.ONLINE: procedure.online,
        Channel.POSTAL: procedure.postal,
    }
    if not allowed[Channel(channel)]:
        raise ValidationError(
            {
                "channel": f"Thủ tục {procedure.code} không tiếp nhận qua kênh {Channel(channel).label.lower()}."
            }
        )


def _clean_documents(documents: str) -> str:
    return "\n".join(clean_text(line) for line in documents.splitlines() if clean_text(line))


def result_place_for(*, commune: Unit, delivery: str, applicant: Applicant) -> str:
    """What form 01 prints after "Nhận kết quả tại" for the delivery chosen at intake."""
    if delivery == ResultDelivery.POST:
        return f"qua dịch vụ bưu chính công ích, gửi đến: {applicant.address}"[:200]
    if delivery == ResultDelivery.ONLINE:
        email = f"; thư điện tử {applicant.email}" if applicant.email else ""
        return f"trực tuyến, trên Cổng Dịch vụ công quốc gia{email}"[:200]
    return commune.one_stop_name.strip() or f"Bộ phận Một cửa {commune}"


def _new_dossier(
    *,
    procedure,
    channel: str,
    status: str,
    applicant: Applicant,
    representative: str,
    request: str,
    documents: str,
    copies: int,
    result_place: str,
    day: date,
    historical: bool,
    result_delivery: str = ResultDelivery.COUNTER,
    **times,
) -> Dossier:
    """The dossier row shared by counter receipts and online submissions: the
    day's serial and code, the one-stop department, the applicant and the rule
    set of `day`; `times` carries what differs (receipt or submission time, due dates)."""
    commune = procedure.commune
    if result_delivery not in ResultDelivery.values:
        raise ValidationError(
            {
                "result_delivery": "Nơi nhận kết quả phải là tại quầy (counter), bưu chính (post) hoặc trực tuyến (online)."
            }
        )
    serial = next_serial(commune_id=commune.pk, day=day)
    return Dossier.objects.create(
        commune=commune,
        code=format_code(agency=commune.agency_code, day=day, serial=serial),
        serial=serial,
        procedure=procedure,
        department=_one_stop_department(commune.pk),
        channel=channel,
        status=status,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_address=applicant.address,
        applicant_email=applicant.email,
        representative=_at_most(clean_text(representative), 200, "representative", "Người đại diện"),
        request=clean_text(request) or procedure.name,
        documents=_clean_documents(documents),
        copies=int(copies),
        result_delivery=result_delivery,
        result_place=_at_most(clean_text(result_place), 200, "result_place", "Nơi trả kết quả")
        or result_place_for(commune=commune, delivery=result_delivery, applicant=applicant),
        is_historical=historical,
        rules_version=ruleset_for(day).key,
        time_amount=procedure.time_amount,
        time_unit=procedure.time_unit,
        online_level=procedure.online_level if channel == Channel.ONLINE else "",
        **times,
    )


@transaction.atomic
def dossier_receive(
    *,
    user: User,
    procedure: Procedure,
    channel: str,
    applicant: Applicant,
    representative: str = "",
    request: str = "",
    documents: str = "",
    copies: int = 1,
    result_place: str = "",
    result_delivery: str = ResultDelivery.COUNTER,
    received_at: datetime | None = None,
    now: datetime | None = None,
) -> Dossier:
    """Receive a complete dossier: give it its code and due date and record the
    rule set in force. `received_at` in the past needs `dossiers.import_historical`
    and marks the dossier as imported after the fact."""
    applicant = _validate_intake(user, procedure, channel, applicant, copies)
    now = _local(now or timezone.now())
    at, historical = _check_time(user, received_at, now, what="Thời điểm tiếp nhận")

    cal = get_calendar()
    due = cal.due(at, procedure.time_amount or 0, procedure.time_unit)
    dossier = _new_dossier(
        procedure=procedure,
        channel=channel,
        status=Status.RECEIVED,
        applicant=applicant,
        representative=representative,
        request=request,
        documents=documents,
        copies=copies,
        result_place=result_place,
        result_delivery=result_delivery,
        day=at.date(),
        historical=historical,
        received_at=at,
        received_by=user,
        register_book=at.year,
        register_number=next_register_number(commune_id=procedure.commune_id, year=at.year),
        due_date=due.due_date,
        due_at=due.due_at,
        original_due_date=due.due_date,
    )
    day, one_stop, commune = at.date(), dossier.department, dossier.commune
    DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        actor=user,
        actor_label=str(user)[:200],
        action=Action.RECEIVE,
        from_status="",
        to_status=Status.RECEIVED,
        department_to=one_stop,
        note=f"Tiếp nhận qua kênh {Channel(channel).label.lower()}; hẹn trả {due.due_date:%d/%m/%Y}.",
        step_due_date=day,
        outcome=Outcome.ON_TIME,
        is_historical=historical,
        recorded_at=now,
    )
    bump_day(
        commune_id=commune.pk,
        day=day,
        procedure_id=procedure.pk,
        **day_counts(Action.RECEIVE, Outcome.ON_TIME, channel, online_level=dossier.online_level),
    )
    return dossier


@transaction.atomic
def dossier_submit_online(
    *,
    user: User,
    procedure: Procedure,
    applicant: Applicant,
    representative: str = "",
    request: str = "",
    documents: str = "",
    copies: int = 1,
    result_place: str = "",
    result_delivery: str = ResultDelivery.COUNTER,
    submitted_at: datetime | None = None,
    now: datetime | None = None,
) -> Dossier:
    """Register an online submission not yet checked by the one-stop officer
    (status `registered`, national code 1): it gets its code (daily serial of the
    submission day) but no receipt time and no due date — those come with
    `dossier_act(action="accept")`. It is not "received" in the statistics until
    then. `submitted_at` in the past follows the same rule as `received_at`."""
    applicant = _validate_intake(user, procedure, Channel.ONLINE, applicant, copies)
    now = _local(now or timezone.now())
    at, historical = _check_time(user, submitted_at, now, what="Thời điểm nộp trực tuyến")
    dossier = _new_dossier(
        procedure=procedure,
        channel=Channel.ONLINE,
        status=Status.REGISTERED,
        applicant=applicant,
        representative=representative,
        request=request,
        documents=documents,
        copies=copies,
        result_place=result_place,
        result_delivery=result_delivery,
        day=at.date(),
        historical=historical,
        submitted_at=at,
        received_at=None,
        due_date=None,
        original_due_date=None,
    )
    one_stop = dossier.department
    DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        actor=user,
        actor_label=str(user)[:200],
        action=Action.SUBMIT,
        from_status="",
        to_status=Status.REGISTERED,
        department_to=one_stop,
        note="Nộp trực tuyến, chờ Bộ phận Một cửa kiểm tra và tiếp nhận.",
        is_historical=historical,
        recorded_at=now,
    )
    return dossier


# --- every later move -------------------------------------------------------------
@dataclass(frozen=True)
class Payment:
    """What a payment step records: the fee due (request), or how it was paid and
    the receipt / transaction number (receipt)."""

    amount: Decimal | None = None
    method: str = ""
    receipt: str = ""


@dataclass
class _Step:
    """One move being made: what was asked, and what the action's handler decided
    for the shared tail (`_conclude`)."""

    dossier: Dossier
    move: Move
    user: User
    at: datetime
    now: datetime
    historical: bool
    note: str
    department: Department | None
    new_date: date | None
    items: list[str]
    return_mode: str
    payment: Payment | None
    cal: WorkCalendar
    from_status: str
    # The deadline the step is judged against (the event's outcome); None: not timed.
    step_due: date | None
    department_from: Department | None = None
    department_to: Department | None = None
    event_new_date: date | None = None
    # A payment this step undoes (its time and method), taken off the day's counters.
    undone_payment: tuple[datetime, str] | None = None
    # Rows written once the event exists (a supplement request, a notification).
    after: list[Callable[[DossierEvent], None]] = field(default_factory=list)

    @property
    def day(self) -> date:
        return self.at.date()


@transaction.atomic
def dossier_act(
    *,
    dossier: Dossier,
    action: str,
    user: User,
    note: str = "",
    department: Department | None = None,
    new_date: date | None = None,
    items: list[str] | None = None,
    return_mode: str = "",
    payment: Payment | None = None,
    at: datetime | None = None,
    now: datetime | None = None,
) -> DossierEvent:
    """Move a dossier by `action` (see `WORKFLOW`), write the event and keep
    the statistics columns right. `user` None is the applicant acting through the
    public follow-up link (the caller checked the code + phone factor): only the
    moves the table gives to the applicant side (answer a supplement, withdraw).

    - request_payment records the fee due, receive_payment how it was paid and the
      receipt number (`payment`); return_result how the result was handed over
      (`return_mode`: electronic needs the result file attached);

    - request_supplement pauses the clock; receive_supplement restarts the working
      days that were left from the day the supplement arrives; a second request
      flags the dossier late for statistics (QĐ 766);
    - finish / refuse / stop end processing (`finished_at`, `finish_outcome`);
    - apologize stores the new date in `apology_date`; `due_date` does not move;
    - transfer hands the dossier to `department`; its step is on time when done the
      day of the hand-over, or the next working day after the afternoon cut-off.

    Who may act is answered before what the status allows (403 before 409): an
    officer who never takes this action learns who does. Each action has one
    handler (`_HANDLERS`); `_conclude` closes the dossier, counts the day and
    writes the event for all of them.
    """
    if action not in WORKFLOW:
        raise ValidationError({"action": f"Thao tác không hợp lệ: {action!r}."})
    # Lock the row: two officers acting at once must not both move it.
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "department")
        .get(pk=dossier.pk)
    )
    move = WORKFLOW.get(action)
    if user is None:
        caps = {APPLICANT}
        at = None  # the applicant acts now, never after the fact
    else:
        check_commune(user, dossier.commune_id, write=True)
        caps = capabilities(user, dossier)
    if not move.permits(caps):
        raise PermissionDenied(_denied(move, caps))
    WORKFLOW.check(action, dossier.status)
    now = _local(now or timezone.now())
    at, historical = _check_time(user, at, now, what="Thời điểm thao tác")
    last = dossier.events.order_by("-at", "-id").first()
    if last and at < last.at:
        raise ValidationError(
            f"Thời điểm thao tác ({at:%H:%M %d/%m/%Y}) không được trước bước trước đó "
            f"({_local(last.at):%H:%M %d/%m/%Y})."
        )
    step = _Step(
        dossier=dossier,
        move=move,
        user=user,
        at=at,
        now=now,
        historical=historical,
        note=clean_text(note),
        department=department,
        new_date=new_date,
        items=[clean_text(i) for i in (items or []) if clean_text(i)],
        return_mode=return_mode,
        payment=payment,
        cal=get_calendar(),
        from_status=dossier.status,
        step_due=dossier.due_date,
    )
    _HANDLERS[move.action](step)
    return _conclude(step)


def _denied(move: Move, caps: set[str]) -> str:
    if not caps:
        return (
            "Hồ sơ này không được chuyển đến bộ phận của bạn; chỉ Bộ phận Một cửa, "
            "bộ phận đang giải quyết hồ sơ và lãnh đạo được thao tác."
        )
    if caps == {APPLICANT}:
        return f"Người nộp hồ sơ không tự thực hiện được thao tác “{move.label}”."
    # Staff are told which staff side acts (the applicant's own moves aside).
    who = " hoặc ".join(SIDE_LABELS[s] for s in sorted(move.allowed - {APPLICANT}))
    return f"Thao tác “{move.label}” do {who} thực hiện."


def _need_note(step: _Step, message: str = "Cần ghi lý do.") -> None:
    if not step.note:
        raise ValidationError({"note": message})


# --- one handler per action: validate the input, change the dossier --------------------
def _accept(step: _Step) -> None:
    """An online submission accepted: received now, due date from now (form 01)."""
    d = step.dossier
    due = step.cal.due(step.at, d.time_amount or 0, d.time_unit)
    d.received_at = step.at
    d.received_by = step.user
    # Its row in the register is taken now: waiting submissions have none.
    d.register_book = step.at.year
    d.register_number = next_register_number(commune_id=d.commune_id, year=step.at.year)
    d.rules_version = ruleset_for(step.day).key
    d.due_date = d.original_due_date = due.due_date
    d.due_at = due.due_at
    d.is_historical = d.is_historical or step.historical
    step.step_due = None
    step.note = step.note or f"Tiếp nhận hồ sơ nộp trực tuyến; hẹn trả {due.due_date:%d/%m/%Y}."
    step.after.append(lambda event: _mark_digitised(d, step.user, step.at))


def _mark_digitised(dossier: Dossier, user, at: datetime) -> None:
    """Accepting an online submission confirms its electronic components: the
    officer checked them, they count as digitised (docs/online.md §3)."""
    for document in dossier.files.filter(kind=DocumentKind.INPUT, digitised_at__isnull=True):
        document.digitised_at, document.digitised_by = at, user
        document.save(update_fields=["digitised_at", "digitised_by"])


def _transfer(step: _Step) -> None:
    d = step.dossier
    department = step.department or d.procedure.department
    if department is None:
        raise ValidationError({"department": "Cần chọn bộ phận giải quyết để chuyển hồ sơ."})
    if department.commune_id != d.commune_id:
        raise ValidationError({"department": "Bộ phận nhận phải thuộc cùng xã với hồ sơ."})
    if department.pk == d.department_id and step.from_status == Status.PROCESSING:
        raise IllegalMove(f"Hồ sơ đang ở {department}; hãy chọn bộ phận khác.")
    step.department_from, step.department_to = d.department, department
    d.department = department
    if step.from_status == Status.RECEIVED:
        # The hand-over clock runs from the last real step, not from a due-date adjustment.
        last_step = d.events.exclude(action=Action.ADJUST_DUE).order_by("-at", "-id").first()
        step.step_due = _handover_due(step.cal, last_step.at if last_step else d.received_at)
        d.transferred_at = d.transferred_at or step.at
    if not step.historical:
        step.after.append(lambda event: _notify_department(d, department, event))


def _request_supplement(step: _Step) -> None:
    d, day = step.dossier, step.day
    if not step.items:
        raise ValidationError({"items": "Cần liệt kê giấy tờ phải bổ sung."})
    _need_note(step, "Cần ghi lý do yêu cầu bổ sung.")
    d.supplement_count += 1
    if d.supplement_count >= 2:
        d.is_late_flagged = True
    d.paused_at = step.at
    # Working days already used end with the day of the request; the rest
    # restart when the supplement arrives. Already late: nothing is left.
    d.paused_remaining_days = step.cal.working_days_between(day, d.due_date) if day <= d.due_date else -1
    step.after.append(
        lambda event: SupplementRequest.objects.create(
            dossier=d,
            event=event,
            number=d.supplement_count,
            items=step.items,
            reason=step.note,
            requested_at=step.at,
        )
    )


def _receive_supplement(step: _Step) -> None:
    d, day = step.dossier, step.day
    remaining = d.paused_remaining_days
    if remaining is not None and remaining >= 0:
        new_due = step.cal.add_working_days(day, remaining) if remaining > 0 else step.cal.on_or_after(day)
        d.due_date = max(new_due, d.due_date)
        d.due_at = None
    d.paused_at = None
    d.paused_remaining_days = None
    SupplementRequest.objects.filter(dossier=d, answered_at__isnull=True).update(answered_at=step.at)
    step.step_due = None


def _request_payment(step: _Step) -> None:
    d, payment = step.dossier, step.payment
    amount = payment.amount if payment is not None else None
    if amount is None:
        amount = d.procedure.fee_amount
    if amount is None or amount <= 0:
        raise ValidationError({"fee_due": "Cần ghi số tiền phí, lệ phí phải nộp (lớn hơn 0 đồng)."})
    d.fee_due = amount
    if d.fee_paid_at is not None:
        step.undone_payment = (d.fee_paid_at, d.fee_method)
    d.fee_paid_at, d.fee_method, d.fee_receipt = None, "", ""
    step.note = step.note or f"Phí, lệ phí phải nộp: {f'{int(amount):,}'.replace(',', '.')} đồng."
    step.step_due = None  # waiting for the applicant: no deadline of ours


def _receive_payment(step: _Step) -> None:
    d, payment = step.dossier, step.payment or Payment()
    errors = {}
    if payment.method not in PaymentMethod.values:
        errors["fee_method"] = "Cần chọn hình thức nộp: tiền mặt, chuyển khoản hoặc thanh toán trực tuyến."
    receipt = clean_text(payment.receipt)[:60]
    if not receipt:
        errors["fee_receipt"] = "Cần ghi số biên lai hoặc mã giao dịch thanh toán."
    if errors:
        raise ValidationError(errors)
    d.fee_paid_at, d.fee_method, d.fee_receipt = step.at, payment.method, receipt
    step.note = step.note or f"{PaymentMethod(payment.method).label}; biên lai/chứng từ số {receipt}."
    step.step_due = None


def _finish(step: _Step) -> None:
    """Nothing to check: the shared tail fixes the outcome against the due date."""


def _return_result(step: _Step) -> None:
    d, mode = step.dossier, step.return_mode or ReturnMode.PAPER
    if step.user is None and mode != ReturnMode.ELECTRONIC:
        raise ValidationError({"return_mode": "Người nộp chỉ nhận kết quả điện tử qua đường dẫn theo dõi."})
    if mode not in ReturnMode.values:
        raise ValidationError({"return_mode": "Hình thức trả kết quả phải là điện tử hoặc bản giấy."})
    if mode == ReturnMode.ELECTRONIC and not d.files.filter(kind=DocumentKind.RESULT).exists():
        raise ValidationError(
            {"return_mode": "Chưa có tệp kết quả (PDF) đính kèm: không thể trả kết quả điện tử."}
        )
    d.returned_at = step.at
    d.return_mode = mode
    step.note = step.note or ReturnMode(mode).label


def _refuse(step: _Step) -> None:
    if step.dossier.was_received:
        _need_note(step)
    else:  # an online submission refused before acceptance (form 03): not timed
        _need_note(step, "Cần ghi lý do không tiếp nhận hồ sơ.")
        step.step_due = None


def _apologize(step: _Step) -> None:
    d, new_date = step.dossier, step.new_date
    if new_date is None:
        raise ValidationError({"new_date": "Cần ghi ngày hẹn trả kết quả mới."})
    _need_note(step, "Cần ghi lý do chậm giải quyết trong thư xin lỗi.")
    if new_date <= d.due_date:
        raise ValidationError({"new_date": f"Ngày hẹn mới phải sau hạn giải quyết {d.due_date:%d/%m/%Y}."})
    if new_date < step.day:
        raise ValidationError({"new_date": "Ngày hẹn mới không được ở quá khứ."})
    d.apology_date = step.event_new_date = new_date
    # docs/rules.md §4: the apology is due at the latest one working day before the due date.
    step.step_due = step.cal.previous_working_day(d.due_date)


def _withdraw(step: _Step) -> None:
    _need_note(step)
    step.step_due = None


def _stop(step: _Step) -> None:
    _need_note(step)


_HANDLERS: dict[str, Callable[[_Step], None]] = {
    Action.ACCEPT: _accept,
    Action.TRANSFER: _transfer,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.RECEIVE_SUPPLEMENT: _receive_supplement,
    Action.REQUEST_PAYMENT: _request_payment,
    Action.RECEIVE_PAYMENT: _receive_payment,
    Action.FINISH: _finish,
    Action.RETURN_RESULT: _return_result,
    Action.REFUSE: _refuse,
    Action.APOLOGIZE: _apologize,
    Action.WITHDRAW: _withdraw,
    Action.STOP: _stop,
}


# --- the tail shared by every move ------------------------------------------------------
def _conclude(step: _Step) -> DossierEvent:
    """The new status; the dossier closed when the move ends its handling; the
    day's counters derived from the event (`day_counts`); the event; the rows that
    hang on the event."""
    d = step.dossier
    outcome = _close(step)
    d.status = WORKFLOW.target(step.move, step.from_status, resume=lambda: _resume_status(d))
    d.save()
    bump_day(
        commune_id=d.commune_id,
        day=step.day,
        procedure_id=d.procedure_id,
        **day_counts(
            step.move.action,
            outcome,
            d.channel,
            online_level=d.online_level,
            return_mode=d.return_mode,
            fee_method=d.fee_method,
        ),
    )
    if step.undone_payment is not None:
        # A new fee request undoes the payment recorded before: off its day's counters.
        paid_at, method = step.undone_payment
        bump_day(
            commune_id=d.commune_id,
            day=paid_at.astimezone(TZ).date(),
            procedure_id=d.procedure_id,
            paid=-1,
            paid_online=-int(method == PaymentMethod.ONLINE),
        )
    event = DossierEvent.objects.create(
        dossier=d,
        at=step.at,
        actor=step.user,
        actor_label=str(step.user)[:200] if step.user is not None else APPLICANT_LABEL,
        action=step.move.action,
        from_status=step.from_status,
        to_status=d.status,
        department_from=step.department_from,
        department_to=step.department_to,
        note=step.note,
        step_due_date=step.step_due,
        outcome=outcome,
        new_date=step.event_new_date,
        is_historical=step.historical,
        recorded_at=step.now,
    )
    for effect in step.after:
        effect(event)
    if not step.historical:
        from .messaging import tell_applicant  # the messages module reads the models only

        transaction.on_commit(lambda: tell_applicant(event.pk))
    return event


def _close(step: _Step) -> str:
    """End the dossier's handling when the move does so; the event's outcome.

    Finish, refuse and stop fix `finished_at` and the outcome against the due date
    (a late flag stays late); a withdrawal closes without an outcome; an online
    submission refused before acceptance is closed but was never received, so never
    finished. Any other step is judged against its own deadline."""
    d, action, at = step.dossier, step.move.action, step.at
    if action in FINISHING and d.was_received:
        d.long_running = at - d.received_at > LONG_RUNNING
        d.finished_at = d.closed_at = at
        d.finish_outcome = outcome_for(step.day, d.due_date, flagged_late=d.is_late_flagged)
        d.paused_at = d.paused_remaining_days = None  # refused or stopped while waiting for a supplement
        return d.finish_outcome
    if action in FINISHING:
        d.closed_at = at
    elif action == Action.WITHDRAW:
        d.long_running = at - d.received_at > LONG_RUNNING
        d.withdrawn_at = d.closed_at = at
    return _step_outcome(step.day, step.step_due)


def day_counts(
    action: str,
    outcome: str,
    channel: str,
    *,
    online_level: str = "",
    return_mode: str = "",
    fee_method: str = "",
) -> dict[str, int]:
    """What one event adds to its day's `DossierDayStat` row — the one place the
    per-day counters are derived, from the event's action and outcome (the same
    definitions `stats.rebuild_day_stats` recounts from the dossiers):

    - a receipt (at the counter, or an online submission accepted) is received,
      and online when it came through the online channel — then also online in full
      or in part by the dossier's online level;
    - a finish, refusal or stop with an outcome is finished, counted by its outcome,
      refusals also as refused; a refusal without an outcome is an online
      submission never received and counts nothing;
    - a withdrawal is withdrawn;
    - a result returned is returned, and returned electronically by that mode;
    - a fee received is paid, and paid online by that method (a new fee request that
      undoes it takes it off its day: `_conclude`).
    """
    if action in (Action.RECEIVE, Action.ACCEPT):
        online = channel == Channel.ONLINE
        return {
            "received": 1,
            "online": int(online),
            "online_full": int(online and online_level == OnlineLevel.FULL),
            "online_partial": int(online and online_level == OnlineLevel.PARTIAL),
        }
    if action in FINISHING and outcome:
        return {"finished": 1, outcome: 1, "refused": int(action == Action.REFUSE)}
    if action == Action.WITHDRAW:
        return {"withdrawn": 1}
    if action == Action.RETURN_RESULT:
        return {"returned": 1, "returned_electronic": int(return_mode == ReturnMode.ELECTRONIC)}
    if action == Action.RECEIVE_PAYMENT:
        return {"paid": 1, "paid_online": int(fee_method == PaymentMethod.ONLINE)}
    return {}


def _resume_status(dossier: Dossier) -> str:
    """The status a paused dossier goes back to: the one before the pause."""
    pause = (
        dossier.events.filter(action__in=[Action.REQUEST_SUPPLEMENT, Action.REQUEST_PAYMENT])
        .order_by("-at", "-id")
        .first()
    )
    return pause.from_status if pause else Status.PROCESSING


def _notify_department(dossier: Dossier, department: Department, event: DossierEvent) -> None:
    from django.urls import reverse

    url = reverse("dossiers:detail", args=[dossier.code])
    for member in department.members.filter(is_active=True):
        notify(
            user=member,
            title=f"Hồ sơ {dossier.code} chuyển đến {department}",
            body=f"{dossier.procedure.name}. Hạn giải quyết {dossier.due_date:%d/%m/%Y}.",
            url=url,
            dedupe_key=f"dossier-transfer:{event.pk}",
        )


# --- calendar changes ---------------------------------------------------------------
@dataclass
class DueChange:
    dossier: Dossier
    old: date
    new: date
    reason: str
    kept: bool = False  # True: the change is not applied (see `dossiers_recompute_due_dates`)
    paused_remaining: int | None = None


@dataclass
class RecomputeSummary:
    checked: int = 0
    changes: list[DueChange] = field(default_factory=list)
    skipped: list[tuple[Dossier, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def applied(self) -> list[DueChange]:
        return [c for c in self.changes if not c.kept]

    @property
    def kept(self) -> list[DueChange]:
        return [c for c in self.changes if c.kept]


def can_recompute(user: User) -> bool:
    return user is not None and user.is_active and user.has_perm("dossiers.recompute_due_dates")


def _replayed_due(
    cal: WorkCalendar, dossier: Dossier, requests: list
) -> tuple[date, datetime | None, int | None]:
    """The due date `dossier_receive` + the supplement moves of `dossier_act` give
    under `cal`: (due date, due time or None, working days left if paused now)."""
    base = cal.due(dossier.received_at, dossier.time_amount or 0, dossier.time_unit)
    due, due_at = base.due_date, base.due_at
    for req in requests:
        asked = _local(req.requested_at).date()
        remaining = cal.working_days_between(asked, due) if asked <= due else -1
        if req.answered_at is None:
            return due, due_at, remaining
        arrived = _local(req.answered_at).date()
        if remaining >= 0:
            new_due = cal.add_working_days(arrived, remaining) if remaining > 0 else cal.on_or_after(arrived)
            due, due_at = max(new_due, due), None
    return due, due_at, None


def _change_reason(cal: WorkCalendar, first: date, last: date) -> str:
    """The local calendar corrections between `first` and `last` (the days that
    can explain the move), in words."""
    days = sorted(d for d in cal.overrides if first < d <= last)
    if not days:
        return "lịch làm việc được điều chỉnh (bỏ ngày điều chỉnh trước đây)"
    return "; ".join(
        f"{d:%d/%m/%Y} là {cal.status(d).reason} ({'làm việc' if cal.is_working_day(d) else 'nghỉ'})"
        for d in days
    )


@transaction.atomic
def dossiers_recompute_due_dates(
    *,
    commune_ids: Iterable[int] | None = None,
    since: date | None = None,
    at: datetime | None = None,
    user: User | None = None,
    dry_run: bool = False,
) -> RecomputeSummary:
    """Recompute the due dates of open dossiers after the working-day calendar
    changed (docs/rules.md §8): a `CalendarOverride` added or removed.

    Only dossiers being handled (received, in processing, waiting for a supplement
    or a payment) whose due date is on or after `since` (the first changed day; all
    open dossiers without it) are looked at; a due date that the calendar now gives
    differently is moved and the move is written as a `DossierEvent`
    ("Điều chỉnh hạn do thay đổi lịch làm việc: dd/mm/yyyy → dd/mm/yyyy", with the
    days behind it). Rules, so that no outcome changes retroactively:

    - `original_due_date` (the date printed on the receipt, form 01) never moves;
      the effective `due_date` does, and the statistics judge the finish against it;
    - a dossier already past its due date on the day of recomputation keeps its
      date (it does not become on time because a holiday was declared later);
    - a date moving earlier never moves before the day of recomputation (no dossier
      becomes late because a working day was added);
    - finished, withdrawn and not-yet-accepted dossiers are never touched.

    `user` None means a command (the caller sets the audit actor); a user needs
    `dossiers.recompute_due_dates` and only reaches the communes they may write.
    `dry_run` computes the same summary and writes nothing.
    """
    now = _local(at or timezone.now())
    today = now.date()
    if user is not None:
        if not can_recompute(user):
            raise PermissionDenied("Chỉ quản trị hoặc thường trực CCHC được cập nhật hạn theo lịch mới.")
        allowed = [c for c in user.commune_ids() if user.can_write_commune(c)]
        commune_ids = allowed if commune_ids is None else [c for c in commune_ids if c in allowed]
    qs = Dossier.objects.filter(status__in=OPEN_STATUSES, closed_at__isnull=True, received_at__isnull=False)
    if commune_ids is not None:
        qs = qs.filter(commune_id__in=list(commune_ids))
    if since is not None:
        qs = qs.filter(due_date__gte=since)
    if not dry_run:
        qs = qs.select_for_update(of=("self",))
    cal = get_calendar()
    summary = RecomputeSummary(dry_run=dry_run)
    for dossier in (
        qs.select_related("procedure").prefetch_related("supplement_requests").order_by("due_date", "pk")
    ):
        summary.checked += 1
        requests = sorted(dossier.supplement_requests.all(), key=lambda r: r.number)
        if len(requests) != dossier.supplement_count:
            summary.skipped.append((dossier, "thiếu dữ liệu yêu cầu bổ sung, không tính lại được"))
            continue
        new, new_at, remaining = _replayed_due(cal, dossier, requests)
        old = dossier.due_date
        paused_changed = remaining is not None and remaining != dossier.paused_remaining_days
        if new == old and not paused_changed:
            continue
        received = _local(dossier.received_at).date()
        reason = _change_reason(cal, received, max(old, new))
        if new != old and (old < today or dossier.is_late_flagged):
            summary.changes.append(DueChange(dossier, old, new, reason, kept=True))
            continue
        if new < today:
            new, new_at = today, None
            if new == old and not paused_changed:
                continue
        change = DueChange(dossier, old, new, reason, paused_remaining=remaining if paused_changed else None)
        summary.changes.append(change)
        if dry_run:
            continue
        if new != old:
            note = (
                f"Điều chỉnh hạn do thay đổi lịch làm việc: {old:%d/%m/%Y} → {new:%d/%m/%Y}. Lý do: {reason}."
            )
        else:
            note = (
                "Điều chỉnh số ngày làm việc còn lại khi chờ bổ sung do thay đổi lịch làm việc: "
                f"{dossier.paused_remaining_days} → {remaining}. Lý do: {reason}."
            )
        dossier.due_date = new
        dossier.due_at = new_at if new != old else dossier.due_at
        if paused_changed:
            dossier.paused_remaining_days = remaining
        dossier.save()
        DossierEvent.objects.create(
            dossier=dossier,
            at=now,
            actor=user,
            actor_label=str(user)[:200] if user is not None else "Hệ thống (lịch làm việc)",
            action=Action.ADJUST_DUE,
            from_status=dossier.status,
            to_status=dossier.status,
            note=note,
            new_date=new if new != old else None,
            recorded_at=now,
        )
    return summary
