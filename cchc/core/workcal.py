"""The working-day calendar: the one module every deadline in the product uses.

Sources, by precedence (docs/rules.md §8):
1. local overrides (`CalendarOverride` rows: a date made a day off or a working day,
   with the legal reference), because government announcements reach the
   `holidays` package late;
2. the `holidays` package's Vietnam calendar (Labour Code art. 112 holidays,
   compensatory days, announced swaps);
3. its make-up working Saturdays (`weekend_workdays`);
4. Saturday and Sunday are days off.

Counting follows the Civil Code 2015 art. 147–148: the day of the event is not
counted, day 1 is the next working day, and a deadline falling on a day off moves
to the next working day. Every result can explain itself: which days were skipped
and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAY_NAMES = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
# A processing time is never longer than this many calendar days beyond its amount;
# guards the day-by-day loops against a calendar made entirely of days off.
_MAX_SCAN_DAYS = 3660
# The calendar computes due dates up to ten years ahead; a longer processing time is a
# typing error (no published procedure comes near it) and is refused with this limit
# named rather than left to overflow the date range.
HORIZON_YEARS = 10
MAX_AMOUNT = {"working_days": 2400, "days": 3650, "working_hours": 18000}


class DueDateOutOfRange(ValueError):
    """A processing time too long for the calendar (see `MAX_AMOUNT`)."""


class TimeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    WORKING_HOURS = "working_hours"
    SAME_DAY = "same_day"

    @property
    def label(self) -> str:
        return {
            "working_days": "ngày làm việc",
            "days": "ngày",
            "working_hours": "giờ làm việc",
            "same_day": "trong ngày",
        }[self.value]


@dataclass(frozen=True)
class DayStatus:
    day: date
    working: bool
    reason: str  # why it is off, or why a weekend day is worked; "" for an ordinary weekday
    source: str  # "override", "holiday", "makeup", "weekend", "weekday"


@dataclass
class DueResult:
    start: datetime
    amount: int
    unit: TimeUnit
    due_date: date
    due_at: datetime | None = None  # set for working hours; otherwise end of due_date
    counted: list[date] = field(default_factory=list)
    skipped: list[DayStatus] = field(default_factory=list)
    moved_from: date | None = None  # calendar-day deadline that fell on a day off
    start_status: DayStatus | None = None  # the day of receipt, when it is a day off
    cutoff: time | None = None  # the afternoon cut-off, for a same-day processing time

    def explain(self) -> list[str]:
        """Human-readable lines (Vietnamese) saying how the due date was reached."""
        length = "trong ngày" if self.unit == TimeUnit.SAME_DAY else f"{self.amount} {self.unit.label}"
        lines = [f"Tiếp nhận: {self.start.astimezone(TZ):%H:%M %d/%m/%Y}; thời hạn {length}."]
        if self.unit == TimeUnit.WORKING_DAYS:
            lines.append(
                "Ngày tiếp nhận không tính; ngày thứ nhất là ngày làm việc kế tiếp (BLDS 2015, Điều 147)."
            )
        if self.start_status is not None:
            s = self.start_status
            then = {
                TimeUnit.WORKING_DAYS: "việc đếm bắt đầu từ ngày làm việc kế tiếp",
                TimeUnit.DAYS: "ngày nghỉ vẫn được tính khi đếm theo ngày",
                TimeUnit.WORKING_HOURS: "giờ làm việc được tính từ đầu giờ làm việc của ngày làm việc kế tiếp",
                TimeUnit.SAME_DAY: "kết quả trả vào ngày làm việc kế tiếp",
            }[self.unit]
            lines.append(
                f"Ngày tiếp nhận {WEEKDAY_NAMES[s.day.weekday()]} {s.day:%d/%m/%Y} là ngày nghỉ "
                f"({s.reason}): {then}."
            )
        if self.cutoff is not None and (self.start_status is None or self.start_status.working):
            at = f"{self.start.astimezone(TZ):%H:%M}"
            limit = f"{self.cutoff:%H:%M}"
            if self.start.astimezone(TZ).time() > self.cutoff:
                lines.append(
                    f"Tiếp nhận lúc {at}, sau giờ chốt buổi chiều {limit}: "
                    "kết quả trả vào ngày làm việc kế tiếp."
                )
            else:
                lines.append(
                    f"Tiếp nhận lúc {at}, không muộn hơn giờ chốt buổi chiều {limit}: kết quả trả trong ngày."
                )
        for status in self.skipped:
            lines.append(
                f"Bỏ qua {WEEKDAY_NAMES[status.day.weekday()]} {status.day:%d/%m/%Y}: {status.reason}."
            )
        for status in self._worked_weekends():
            lines.append(
                f"Tính {WEEKDAY_NAMES[status.day.weekday()]} {status.day:%d/%m/%Y} là ngày làm việc: "
                f"{status.reason}."
            )
        if self.moved_from:
            lines.append(
                f"Hạn {self.moved_from:%d/%m/%Y} rơi vào ngày nghỉ nên chuyển sang ngày làm việc kế tiếp (Điều 148)."
            )
        if self.due_at is not None:
            lines.append(f"Hạn giải quyết: {self.due_at.astimezone(TZ):%H:%M %d/%m/%Y}.")
        else:
            lines.append(f"Hạn giải quyết: {self.due_date:%d/%m/%Y}.")
        return lines

    def _worked_weekends(self) -> list[DayStatus]:
        return [s for s in self._counted_status if s.reason]

    _counted_status: list[DayStatus] = field(default_factory=list, repr=False)


@lru_cache(maxsize=1)
def _national_calendar() -> holidays.HolidayBase:
    return holidays.Vietnam(language="vi")


def national_status(day: date) -> DayStatus:
    """The status of `day` from the `holidays` package alone (no local overrides)."""
    national = _national_calendar()
    name = national.get(day)  # also expands the year, which fills weekend_workdays
    if name:
        return DayStatus(day, False, f"Nghỉ lễ: {name}", "holiday")
    if day in national.weekend_workdays:
        return DayStatus(day, True, "Ngày làm việc bù theo thông báo của Chính phủ", "makeup")
    if day.weekday() >= 5:
        return DayStatus(day, False, f"Nghỉ cuối tuần ({WEEKDAY_NAMES[day.weekday()]})", "weekend")
    return DayStatus(day, True, "", "weekday")


@dataclass(frozen=True)
class Override:
    working: bool
    reason: str
    reference: str = ""


class WorkCalendar:
    """Working-day arithmetic over the national calendar plus local overrides.

    Pure: the overrides are passed in, so the arithmetic can be tested without a
    database; `get_calendar()` builds one from the `CalendarOverride` table.
    """

    def __init__(
        self,
        overrides: Mapping[date, Override] | None = None,
        working_periods: list[tuple[time, time]] | None = None,
        afternoon_cutoff: time | None = None,
    ) -> None:
        self.overrides = dict(overrides or {})
        self.working_periods = working_periods or [(time(7, 30), time(11, 30)), (time(13, 30), time(17, 0))]
        self.afternoon_cutoff = afternoon_cutoff or time(15, 0)

    # --- single days -------------------------------------------------------
    def status(self, day: date) -> DayStatus:
        override = self.overrides.get(day)
        if override is not None:
            ref = f" ({override.reference})" if override.reference else ""
            return DayStatus(day, override.working, f"{override.reason}{ref}", "override")
        return national_status(day)

    def is_working_day(self, day: date) -> bool:
        return self.status(day).working

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        candidate = day
        for _ in range(_MAX_SCAN_DAYS):
            candidate += timedelta(days=1)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("Lịch không có ngày làm việc nào trong 10 năm tới.")

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before `day`."""
        candidate = day
        for _ in range(_MAX_SCAN_DAYS):
            candidate -= timedelta(days=1)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("Lịch không có ngày làm việc nào trong 10 năm trước.")

    def on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def working_days_between(self, after: date, upto: date) -> int:
        """Working days d with after < d <= upto (0 when upto <= after)."""
        count, day = 0, after
        while day < upto:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def add_working_days(self, day: date, amount: int) -> date:
        """The `amount`-th working day after `day` (`day` itself when amount is 0)."""
        return self._count_working_days(day, amount)[0]

    def days_off_between(self, after: date, upto: date) -> list[DayStatus]:
        out, day = [], after
        while day < upto:
            day += timedelta(days=1)
            status = self.status(day)
            if not status.working:
                out.append(status)
        return out

    # --- due dates ---------------------------------------------------------
    def due(
        self, start: datetime | date, amount: int, unit: TimeUnit | str = TimeUnit.WORKING_DAYS
    ) -> DueResult:
        """The due date of a processing time of `amount` `unit`s starting at `start`."""
        unit = TimeUnit(unit)
        if amount < 0:
            raise ValueError("Thời hạn không được âm.")
        limit = MAX_AMOUNT.get(unit.value)
        if limit is not None and amount > limit:
            raise DueDateOutOfRange(
                f"Thời hạn {amount} {unit.label} quá dài: lịch chỉ tính hạn trong vòng {HORIZON_YEARS} năm "
                f"(tối đa {limit} {unit.label}). Kiểm tra lại số đã nhập."
            )
        start_dt = _as_local_datetime(start)
        if start_dt.year + HORIZON_YEARS > date.max.year:
            raise DueDateOutOfRange(f"Ngày tiếp nhận {start_dt:%d/%m/%Y} nằm ngoài phạm vi của lịch.")
        if unit == TimeUnit.WORKING_DAYS:
            due, counted, skipped = self._count_working_days(start_dt.date(), amount)
            result = DueResult(start_dt, amount, unit, due, counted=counted, skipped=skipped)
        elif unit == TimeUnit.DAYS:
            target = start_dt.date() + timedelta(days=amount)
            due = self.on_or_after(target)
            result = DueResult(
                start_dt,
                amount,
                unit,
                due,
                # A calendar-day deadline on a make-up Saturday stays there: name it.
                counted=[due] if due.weekday() >= 5 else [],
                skipped=self.days_off_between(target - timedelta(days=1), due - timedelta(days=1))
                if due != target
                else [],
                moved_from=target if due != target else None,
            )
        elif unit == TimeUnit.SAME_DAY:
            day = start_dt.date()
            if self.is_working_day(day) and start_dt.time() <= self.afternoon_cutoff:
                due, skipped = day, []
            else:
                due = self.next_working_day(day)
                skipped = self.days_off_between(day, due)
            result = DueResult(
                start_dt, amount, unit, due, counted=[due], skipped=skipped, cutoff=self.afternoon_cutoff
            )
        else:
            due_at, counted, skipped = self._add_working_hours(start_dt, amount)
            result = DueResult(
                start_dt, amount, unit, due_at.date(), due_at=due_at, counted=counted, skipped=skipped
            )
        start_status = self.status(start_dt.date())
        if not start_status.working:
            result.start_status = start_status
        result._counted_status = [self.status(d) for d in result.counted]
        return result

    def _count_working_days(self, day: date, amount: int) -> tuple[date, list[date], list[DayStatus]]:
        counted: list[date] = []
        skipped: list[DayStatus] = []
        current = day
        for _ in range(amount + _MAX_SCAN_DAYS):
            if len(counted) >= amount:
                break
            current += timedelta(days=1)
            status = self.status(current)
            if status.working:
                counted.append(current)
            else:
                skipped.append(status)
        else:  # only with a calendar of nothing but days off
            raise DueDateOutOfRange(f"Lịch không có đủ {amount} ngày làm việc trong {HORIZON_YEARS} năm tới.")
        return current, counted, skipped

    def _add_working_hours(self, start: datetime, hours: int) -> tuple[datetime, list[date], list[DayStatus]]:
        remaining = timedelta(hours=hours)
        counted: list[date] = []
        skipped: list[DayStatus] = []
        day = start.date()
        cursor = start
        for _ in range(_MAX_SCAN_DAYS + hours // 2):
            status = self.status(day)
            if status.working:
                for begin, end in self.working_periods:
                    period_start = datetime.combine(day, begin, TZ)
                    period_end = datetime.combine(day, end, TZ)
                    if cursor >= period_end:
                        continue
                    cursor = max(cursor, period_start)
                    available = period_end - cursor
                    if not counted or counted[-1] != day:
                        counted.append(day)
                    if remaining <= available:
                        return cursor + remaining, counted, skipped
                    remaining -= available
                    cursor = period_end
            elif day != start.date():
                skipped.append(status)
            day += timedelta(days=1)
            cursor = datetime.combine(day, time(0, 0), TZ)
        raise DueDateOutOfRange(f"Lịch không có đủ {hours} giờ làm việc trong {HORIZON_YEARS} năm tới.")


def _as_local_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=TZ)
        return value.astimezone(TZ)
    return datetime.combine(value, time(8, 0), TZ)


def get_calendar() -> WorkCalendar:
    """The calendar in force: national rules plus the `CalendarOverride` table."""
    from django.conf import settings

    from .models import CalendarOverride

    overrides = {
        o.date: Override(
            working=o.kind == CalendarOverride.Kind.WORKDAY, reason=o.reason, reference=o.reference
        )
        for o in CalendarOverride.objects.all()
    }
    return WorkCalendar(overrides, settings.WORKING_PERIODS, settings.AFTERNOON_CUTOFF)
