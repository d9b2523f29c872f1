"""Synthetic dossier histories for the demo and the benchmark, written with bulk
inserts (the services would take minutes for years of history).

The rows obey the same invariants as the services' (code pattern and gap-free
daily serials, due dates from the calendar, supplement pauses, finish outcome,
closed_at) so that every page and statistic reads them like real ones. Shares
follow docs/rules.md §16: mostly civil status and certification, ~15–25 % online,
~97–99 % early or on time, some supplements, refusals, withdrawals and apologies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings

from cchc.core.text import search_key
from cchc.core.workcal import TZ, WorkCalendar

from .models import (
    LONG_RUNNING,
    Action,
    Channel,
    Dossier,
    DossierEvent,
    Outcome,
    Status,
    SupplementRequest,
    outcome_for,
)
from .rules import ruleset_for

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Phan",
    "Trịnh",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hữu", "Kim", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phúc",
         "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến", "Hương", "Long", "Khánh", "Nhung"]  # fmt: skip
HAMLETS = [
    "Thôn Đông",
    "Thôn Tây",
    "Thôn Nam",
    "Thôn Bắc",
    "Thôn Trung",
    "Thôn Thượng",
    "Thôn Hạ",
    "Khu Phố Mới",
]
HEAVY_FIELDS = ("hộ tịch", "chứng thực")


@dataclass
class Batch:
    dossiers: list[Dossier] = field(default_factory=list)
    events: list[list[DossierEvent]] = field(default_factory=list)  # per dossier
    supplements: list[list[tuple[int, SupplementRequest]]] = field(default_factory=list)  # (event index, row)
    serials: dict[date, int] = field(default_factory=dict)
    books: dict[int, int] = field(default_factory=dict)  # year → last register row


@dataclass
class Site:
    """A commune and who works there."""

    commune: object
    procedures: list
    weights: list[float]
    one_stop: object | None
    counter_user: object | None
    dept_user: dict  # department id → user acting for it
    fallback_department: object | None


# Relative volumes at a commune counter (docs/rules.md §16: dominated by civil status
# and certification): the everyday procedures by name, foreign-element and mobile
# registrations rare.
COMMON_PROCEDURES = {
    "chung thuc ban sao": 50.0,
    "khai sinh": 40.0,
    "chung thuc chu ky": 25.0,
    "khai tu": 15.0,
    "tinh trang hon nhan": 15.0,
    "ket hon": 12.0,
    "chung thuc hop dong": 10.0,
    "lien thong": 8.0,
}
RARE_MARKERS = ("yeu to nuoc ngoai", "luu dong")


def procedure_weights(procedures) -> list[float]:
    weights = []
    for p in procedures:
        name = search_key(p.name)
        if any(marker in name for marker in RARE_MARKERS):
            weights.append(0.2)
            continue
        common = [w for key, w in COMMON_PROCEDURES.items() if key in name]
        heavy = any(f in search_key(p.field) for f in ("ho tich", "chung thuc"))
        if "lien thong" in name:
            common = [COMMON_PROCEDURES["lien thong"]]
        weights.append(max(common) if common else (4.0 if heavy else 1.0))
    return weights


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _moment(rng: random.Random, day: date) -> datetime:
    minutes = rng.randint(7 * 60 + 30, 16 * 60 + 45)
    return datetime.combine(day, time(minutes // 60, minutes % 60), TZ)


def _later(rng: random.Random, day: date) -> datetime:
    minutes = rng.randint(8 * 60, 16 * 60 + 30)
    return datetime.combine(day, time(minutes // 60, minutes % 60), TZ)


def generate(
    *,
    site: Site,
    days: list[date],
    per_day: float,
    now: datetime,
    cal: WorkCalendar,
    rng: random.Random,
    with_events: bool = True,
) -> Batch:
    """Dossiers received on `days` (working days), about `per_day` a day; those
    whose finish would lie after `now` are left open at the stage they reached."""
    batch = Batch()
    commune = site.commune
    pattern = settings.DOSSIER_CODE_PATTERN
    keys: dict[str, str] = {}
    now = now.astimezone(TZ)
    for day in days:
        count = max(0, round(rng.gauss(per_day, per_day**0.5)))
        moments = sorted(_moment(rng, day) for _ in range(count))
        for at in moments:
            if at > now:
                break
            batch.serials[day] = serial = batch.serials.get(day, 0) + 1
            proc = rng.choices(site.procedures, weights=site.weights)[0]
            d, events, supps = _one(site, proc, day, at, serial, now, cal, rng, with_events)
            d.code = pattern.format(
                agency=commune.agency_code, yymmdd=f"{day:%y%m%d}", yyyymmdd=f"{day:%Y%m%d}", serial=serial
            )
            name_key = keys.get(d.applicant_name) or keys.setdefault(
                d.applicant_name, search_key(d.applicant_name)
            )
            d.search_key = f"{d.code.lower()} {name_key}"[:300]
            # Every generated dossier is received: it takes the next row of its year's register.
            d.register_book = day.year
            d.register_number = batch.books[day.year] = batch.books.get(day.year, 0) + 1
            batch.dossiers.append(d)
            batch.events.append(events)
            batch.supplements.append(supps)
    return batch


def _one(site: Site, proc, day: date, at: datetime, serial: int, now: datetime, cal, rng, with_events):
    channel = Channel.IN_PERSON
    r = rng.random()
    if proc.online and r < 0.24:
        channel = Channel.ONLINE
    elif proc.postal and r > 0.985:
        channel = Channel.POSTAL
    due = cal.due(at, proc.time_amount or 0, proc.time_unit)
    dept = proc.department or site.fallback_department or site.one_stop
    # *_id keyword arguments: assigning model instances costs more than the rest of a row.
    d = Dossier(
        commune_id=site.commune.pk,
        serial=serial,
        procedure_id=proc.pk,
        department_id=site.one_stop.pk if site.one_stop else None,
        channel=channel,
        status=Status.RECEIVED,
        applicant_name=_name(rng),
        applicant_id_number=f"0{rng.randint(10, 99)}{rng.randint(0, 1)}{rng.randint(10, 99)}{rng.randint(0, 999999):06d}",
        applicant_phone=f"09{rng.randint(0, 99999999):08d}",
        applicant_address=f"{rng.choice(HAMLETS)}, {site.commune.short_name}",
        request=proc.name[:500],
        documents="\n".join(proc.document_list[:3]),
        copies=1,
        result_place=f"Bộ phận Một cửa {site.commune}",
        received_at=at,
        received_by_id=site.counter_user.pk if site.counter_user else None,
        rules_version=ruleset_for(day).key,
        time_amount=proc.time_amount,
        time_unit=proc.time_unit,
        due_date=due.due_date,
        due_at=due.due_at,
        original_due_date=due.due_date,
        created_at=at,
    )
    events: list[DossierEvent] = []
    supps: list[tuple[int, SupplementRequest]] = []
    counter = site.counter_user
    worker = site.dept_user.get(dept.pk if dept else None) or counter

    def ev(action, when, frm, to, actor, **kw):
        if with_events:
            events.append(
                DossierEvent(
                    action=action,
                    at=when,
                    from_status=frm,
                    to_status=to,
                    actor=actor,
                    actor_label=str(actor or "")[:200],
                    recorded_at=when,
                    **kw,
                )
            )

    ev(Action.RECEIVE, at, "", Status.RECEIVED, counter, department_to=site.one_stop, step_due_date=day,
       outcome=Outcome.ON_TIME)  # fmt: skip
    fate = rng.random()
    if fate < 0.02:  # refused at the counter
        return _finish(d, Action.REFUSE, Status.REFUSED, at + timedelta(minutes=20), now, ev, counter,
                       "Hồ sơ không thuộc thẩm quyền giải quyết của xã"), events, supps  # fmt: skip
    if fate < 0.03:  # withdrawn a few days later
        when = _later(rng, cal.add_working_days(day, 1))
        if when <= now:
            d.status, d.withdrawn_at, d.closed_at = Status.WITHDRAWN, when, when
            d.long_running = when - d.received_at > LONG_RUNNING
            ev(
                Action.WITHDRAW,
                when,
                Status.RECEIVED,
                Status.WITHDRAWN,
                counter,
                note="Người nộp xin rút hồ sơ",
            )
        return d, events, supps
    # transfer to the handling department the same day (next working day after the cut-off)
    handover = at + timedelta(minutes=30)
    if at.time() > time(15, 0):
        handover = _later(rng, cal.next_working_day(day)).replace(hour=8, minute=0)
    if handover > now:
        return d, events, supps
    d.status, d.department_id, d.transferred_at = Status.PROCESSING, dept.pk if dept else None, handover
    ev(Action.TRANSFER, handover, Status.RECEIVED, Status.PROCESSING, counter, department_from=site.one_stop,
       department_to=dept, step_due_date=day, outcome=Outcome.ON_TIME)  # fmt: skip
    cursor = handover
    supplements = 2 if fate > 0.997 else 1 if fate > 0.94 else 0
    for n in range(1, supplements + 1):
        asked = _later(rng, cal.on_or_after(cursor.date() + timedelta(days=1)))
        asked = max(asked, cursor + timedelta(minutes=5))
        if asked.date() > d.due_date or asked > now:
            break
        remaining = cal.working_days_between(asked.date(), d.due_date)
        d.status, d.supplement_count, d.paused_at, d.paused_remaining_days = (
            Status.SUPPLEMENT,
            n,
            asked,
            remaining,
        )
        d.is_late_flagged = n >= 2
        items = ["Bản sao giấy tờ tùy thân", "Tờ khai bổ sung thông tin"][: rng.randint(1, 2)]
        reason = "Thông tin trên tờ khai chưa khớp với giấy tờ tùy thân"
        ev(Action.REQUEST_SUPPLEMENT, asked, Status.PROCESSING, Status.SUPPLEMENT, worker, note=reason,
           step_due_date=d.due_date, outcome=outcome_for(asked.date(), d.due_date))  # fmt: skip
        supps.append(
            (len(events) - 1, SupplementRequest(number=n, items=items, reason=reason, requested_at=asked))
        )
        back = _later(rng, cal.add_working_days(asked.date(), rng.randint(1, 6)))
        if back > now:
            return d, events, supps
        supps[-1][1].answered_at = back
        d.due_date = max(
            cal.add_working_days(back.date(), remaining) if remaining else back.date(), d.due_date
        )
        d.due_at = None
        d.status, d.paused_at, d.paused_remaining_days = Status.PROCESSING, None, None
        ev(Action.RECEIVE_SUPPLEMENT, back, Status.SUPPLEMENT, Status.PROCESSING, counter)
        cursor = back
    # when processing ends
    budget = cal.working_days_between(cursor.date(), d.due_date)
    late = fate > 0.94 and fate < 0.955
    if late:
        if rng.random() < 0.6 and d.due_date > cursor.date() + timedelta(days=1):
            apology_at = _later(rng, cal.previous_working_day(d.due_date))
            if apology_at <= now and apology_at > cursor:
                new_date = cal.add_working_days(d.due_date, rng.randint(2, 5))
                d.apology_date = new_date
                ev(Action.APOLOGIZE, apology_at, d.status, d.status, worker, new_date=new_date,
                   note="Cần xác minh thêm thông tin với cơ quan liên quan",
                   step_due_date=cal.previous_working_day(d.due_date), outcome=Outcome.ON_TIME)  # fmt: skip
                cursor = apology_at
        end_day = cal.add_working_days(d.due_date, rng.randint(1, 4))
    elif budget <= 0:
        end_day = cal.on_or_after(cursor.date())
    else:
        end_day = cal.add_working_days(
            cursor.date(), rng.randint(max(budget - 2, 0), budget) if rng.random() < 0.55 else budget
        )
        end_day = min(end_day, d.due_date) if end_day > cursor.date() else cal.on_or_after(cursor.date())
    end = max(_later(rng, end_day), cursor + timedelta(minutes=10))
    if fate > 0.9955:
        return _finish(d, Action.STOP, Status.STOPPED, end, now, ev, worker, "Người nộp đề nghị dừng giải quyết"), events, supps  # fmt: skip
    d = _finish(d, Action.FINISH, Status.PROCESSED, end, now, ev, worker, "")
    if d.status == Status.PROCESSED:
        back = _later(rng, cal.add_working_days(end.date(), rng.choice([0, 0, 1, 1, 2])))
        back = max(back, end + timedelta(minutes=15))
        if back <= now:
            d.status, d.returned_at = Status.RETURNED, back
            ev(Action.RETURN_RESULT, back, Status.PROCESSED, Status.RETURNED, counter, step_due_date=d.due_date,
               outcome=outcome_for(back.date(), d.due_date))  # fmt: skip
    return d, events, supps


def _finish(d: Dossier, action, status, when: datetime, now: datetime, ev, actor, note: str) -> Dossier:
    if when > now:
        return d
    outcome = outcome_for(when.astimezone(TZ).date(), d.due_date, flagged_late=d.is_late_flagged)
    ev(action, when, d.status, status, actor, note=note, step_due_date=d.due_date, outcome=outcome)
    d.status, d.finished_at, d.closed_at, d.finish_outcome = status, when, when, outcome
    d.long_running = when - d.received_at > LONG_RUNNING
    d.paused_at = d.paused_remaining_days = None
    return d


def save(batch: Batch, *, chunk: int = 2000) -> int:
    """Insert a batch: dossiers, then their events and supplement requests. The
    caller rebuilds the per-day summary (`stats.rebuild_day_stats`) afterwards."""
    from .models import DailySerial, RegisterSerial

    Dossier.objects.bulk_create(batch.dossiers, batch_size=chunk)
    events: list[DossierEvent] = []
    for d, evs in zip(batch.dossiers, batch.events, strict=True):
        for e in evs:
            e.dossier_id = d.pk
        events.extend(evs)
    if events:
        DossierEvent.objects.bulk_create(events, batch_size=chunk)
    supplements = []
    for d, evs, supps in zip(batch.dossiers, batch.events, batch.supplements, strict=True):
        for index, req in supps if evs else ():  # no events (benchmark): no requests either
            req.dossier_id, req.event_id = d.pk, evs[index].pk
            supplements.append(req)
    if supplements:
        SupplementRequest.objects.bulk_create(supplements, batch_size=chunk)
    commune_id = batch.dossiers[0].commune_id if batch.dossiers else None
    if commune_id is not None:
        DailySerial.objects.bulk_create(
            [DailySerial(commune_id=commune_id, day=day, last=last) for day, last in batch.serials.items()],
            batch_size=chunk,
        )
        RegisterSerial.objects.bulk_create(
            [
                RegisterSerial(commune_id=commune_id, year=year, last=last)
                for year, last in batch.books.items()
            ],
            batch_size=chunk,
        )
    return len(batch.dossiers)


class MemoCalendar(WorkCalendar):
    """A calendar that remembers each day's status and each due date: generating a
    million dossiers asks the same questions millions of times."""

    def __init__(self, base: WorkCalendar) -> None:
        super().__init__(base.overrides, base.working_periods, base.afternoon_cutoff)
        self._status: dict = {}
        self._due: dict = {}

    def status(self, day: date):
        found = self._status.get(day)
        if found is None:
            found = self._status[day] = super().status(day)
        return found

    def due(self, start, amount, unit="working_days"):
        if unit == "working_hours":
            return super().due(start, amount, unit)
        local = start.astimezone(TZ)
        key = (local.date(), local.time() > self.afternoon_cutoff, amount, unit)
        found = self._due.get(key)
        if found is None:
            found = self._due[key] = super().due(start, amount, unit)
        return found


def working_days(cal: WorkCalendar, start: date, end: date) -> list[date]:
    out, day = [], start
    while day <= end:
        if cal.is_working_day(day):
            out.append(day)
        day += timedelta(days=1)
    return out
