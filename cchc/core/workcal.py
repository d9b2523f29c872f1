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

    def explain(self) -> list[str]:
        """Human-readable lines (Vietnamese) saying how the due date was reached."""
        lines = [
            f"Tiếp nhận: {self.start.astimezone(TZ):%H:%M %d/%m/%Y}; thời hạn {self.amount} {self.unit.label}.",
        ]
        if self.unit == TimeUnit.WORKING_DAYS:
            lines.append(
                "Ngày tiếp nhận không tính; ngày thứ nhất là ngày làm việc kế tiếp (BLDS 2015, Điều 147)."
            )
        for status in self.skipped:
            lines.append(
                f"Bỏ qua {WEEKDAY_NAMES[status.day.weekday()]} {status.day:%d/%m/%Y}: {status.reason}."
            )
        for status in self._worked_weekends():
            lines.append(
                f"Tính {WEEKDAY_NAMES[status.day.weekday()]} {status.day:%d/%m/%Y}: {status.reason}."
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
        start_dt = _as_local_datetime(start)
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
            result = DueResult(start_dt, amount, unit, due, skipped=skipped)
        else:
            due_at, skipped = self._add_working_hours(start_dt, amount)
            result = DueResult(start_dt, amount, unit, due_at.date(), due_at=due_at, skipped=skipped)
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
        else:  # pragma: no cover - only with a calendar of nothing but days off
            raise ValueError("Không tìm được đủ ngày làm việc.")
        return current, counted, skipped

    def _add_working_hours(self, start: datetime, hours: int) -> tuple[datetime, list[DayStatus]]:
        remaining = timedelta(hours=hours)
        skipped: list[DayStatus] = []
        day = start.date()
        cursor = start
        for _ in range(_MAX_SCAN_DAYS):
            status = self.status(day)
            if status.working:
                for begin, end in self.working_periods:
                    period_start = datetime.combine(day, begin, TZ)
                    period_end = datetime.combine(day, end, TZ)
                    if cursor >= period_end:
                        continue
                    cursor = max(cursor, period_start)
                    available = period_end - cursor
                    if remaining <= available:
                        return cursor + remaining, skipped
                    remaining -= available
                    cursor = period_end
            elif day != start.date():
                skipped.append(status)
            day += timedelta(days=1)
            cursor = datetime.combine(day, time(0, 0), TZ)
        raise ValueError("Không tìm được đủ giờ làm việc.")  # pragma: no cover


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
