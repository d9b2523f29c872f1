"""Reporting periods as values (NĐ 09/2019/NĐ-CP art. 12; docs/rules.md, reporting).

The data of a periodic report is cut off on fixed windows, not calendar months:
- month M: the 15th of the previous month → the 14th of M;
- quarter: the 15th of the month before the quarter → the 14th of its last month
  (Q1 = 15/12 of the previous year → 14/3);
- first half: 15/12 of the previous year → 14/6;
- nine months (where a province asks for it): 15/12 of the previous year → 14/9;
- year: 15/12 of the previous year → 14/12;
plus free ranges of days. Both ends are included.

A report is due before the 16th of the period's last month (the seed plan, section
III; NĐ 09/2019 art. 8 keeps at least one working day between cut-off and deadline):
`Period.deadline()` gives the last day it may be sent, by default the 15th of that
month; a province may set another day (`day=`).

Codes (`period=` on pages and the API): `2024-05`, `2024-Q1`, `2024-H1`, `2024-9M`,
`2024`, and `2024-01-01..2024-03-31` for a free range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models

CUTOFF_DAY = 14  # the last day of a window in its last month
DEFAULT_DEADLINE_DAY = 15  # "trước ngày 16 của tháng cuối kỳ báo cáo"

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodKind(models.TextChoices):
    MONTH = "month", "Tháng"
    QUARTER = "quarter", "Quý"
    HALF = "half", "6 tháng"
    NINE_MONTHS = "nine_months", "9 tháng"
    YEAR = "year", "Năm"
    RANGE = "range", "Khoảng thời gian"


def _window_start(year: int, first_month: int) -> date:
    """The 15th of the month before `first_month` of `year`."""
    if first_month == 1:
        return date(year - 1, 12, CUTOFF_DAY + 1)
    return date(year, first_month - 1, CUTOFF_DAY + 1)


@dataclass(frozen=True, order=True)
class Period:
    date_from: date
    date_to: date
    kind: str = PeriodKind.RANGE
    year: int | None = None
    number: int | None = None  # month 1–12 or quarter 1–4

    # --- constructors ----------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValueError(f"Tháng {month} không hợp lệ (1–12).")
        return cls(_window_start(year, month), date(year, month, CUTOFF_DAY), PeriodKind.MONTH, year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"Quý {quarter} không hợp lệ (1–4).")
        first, last = 3 * quarter - 2, 3 * quarter
        return cls(
            _window_start(year, first), date(year, last, CUTOFF_DAY), PeriodKind.QUARTER, year, quarter
        )

    @classmethod
    def half(cls, year: int) -> Period:
        return cls(_window_start(year, 1), date(year, 6, CUTOFF_DAY), PeriodKind.HALF, year)

    @classmethod
    def nine_months(cls, year: int) -> Period:
        return cls(_window_start(year, 1), date(year, 9, CUTOFF_DAY), PeriodKind.NINE_MONTHS, year)

    @classmethod
    def year_of(cls, year: int) -> Period:
        return cls(_window_start(year, 1), date(year, 12, CUTOFF_DAY), PeriodKind.YEAR, year)

    @classmethod
    def between(cls, date_from: date, date_to: date) -> Period:
        if date_to < date_from:
            raise ValueError(f"Ngày kết thúc {date_to:%d/%m/%Y} trước ngày bắt đầu {date_from:%d/%m/%Y}.")
        return cls(date_from, date_to, PeriodKind.RANGE)

    # --- properties ---------------------------------------------------------------
    @property
    def is_range(self) -> bool:
        return self.kind == PeriodKind.RANGE

    @property
    def last_month(self) -> int | None:
        """The month whose 14th closes the window (None for a free range)."""
        if self.is_range:
            return None
        return self.date_to.month

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind == PeriodKind.HALF:
            return f"{self.year}-H1"
        if self.kind == PeriodKind.NINE_MONTHS:
            return f"{self.year}-9M"
        if self.kind == PeriodKind.YEAR:
            return str(self.year)
        return f"{self.date_from.isoformat()}..{self.date_to.isoformat()}"

    @property
    def label(self) -> str:
        """Vietnamese name: 'Tháng 5/2024', 'Quý I/2024', '6 tháng đầu năm 2024',
        '9 tháng năm 2024', 'Năm 2024', 'Từ 01/01/2024 đến 31/03/2024'."""
        if self.kind == PeriodKind.MONTH:
            return f"Tháng {self.number}/{self.year}"
        if self.kind == PeriodKind.QUARTER:
            return f"Quý {_ROMAN[self.number]}/{self.year}"
        if self.kind == PeriodKind.HALF:
            return f"6 tháng đầu năm {self.year}"
        if self.kind == PeriodKind.NINE_MONTHS:
            return f"9 tháng năm {self.year}"
        if self.kind == PeriodKind.YEAR:
            return f"Năm {self.year}"
        return f"Từ {self.date_from:%d/%m/%Y} đến {self.date_to:%d/%m/%Y}"

    @property
    def window_text(self) -> str:
        """'từ ngày 15/12/2023 đến ngày 14/3/2024' style, dd/mm/yyyy."""
        return f"từ ngày {self.date_from:%d/%m/%Y} đến ngày {self.date_to:%d/%m/%Y}"

    def __str__(self) -> str:
        return self.label

    def deadline(self, day: int | None = None) -> date | None:
        """The last day the period's report may be sent: `day` (default the 15th) of
        the period's last month. None for a free range (no legal deadline)."""
        if self.is_range:
            return None
        day = day or DEFAULT_DEADLINE_DAY
        if not CUTOFF_DAY < day <= 28:
            raise ValueError(
                f"Ngày hạn báo cáo {day} phải sau ngày chốt số liệu ({CUTOFF_DAY}) và không quá 28."
            )
        return date(self.date_to.year, self.date_to.month, day)

    def contains(self, day: date) -> bool:
        return self.date_from <= day <= self.date_to

    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before (a range: the same length before)."""
        if self.kind == PeriodKind.MONTH:
            return Period.month(self.year - (self.number == 1), 12 if self.number == 1 else self.number - 1)
        if self.kind == PeriodKind.QUARTER:
            return Period.quarter(self.year - (self.number == 1), 4 if self.number == 1 else self.number - 1)
        if self.kind == PeriodKind.HALF:
            return Period.half(self.year - 1)
        if self.kind == PeriodKind.NINE_MONTHS:
            return Period.nine_months(self.year - 1)
        if self.kind == PeriodKind.YEAR:
            return Period.year_of(self.year - 1)
        length = self.days()
        return Period.between(self.date_from - timedelta(days=length), self.date_from - timedelta(days=1))

    def months(self) -> list[Period]:
        """The monthly windows that make up this period (trend charts); a free range
        gives the monthly windows it overlaps."""
        first = containing(self.date_from, PeriodKind.MONTH)
        out, cursor = [], first
        while cursor.date_from <= self.date_to:
            out.append(cursor)
            nxt_month = cursor.number % 12 + 1
            cursor = Period.month(cursor.year + (cursor.number == 12), nxt_month)
        return out


def containing(day: date, kind: str = PeriodKind.MONTH) -> Period:
    """The period of `kind` whose window contains `day` (e.g. 15/12/2023 belongs to
    the year 2024, the first quarter of 2024 and the month 1/2024)."""
    # The reporting year of `day`: days from the 15th of December belong to the next year.
    year = day.year + 1 if (day.month == 12 and day.day > CUTOFF_DAY) else day.year
    if kind == PeriodKind.YEAR:
        return Period.year_of(year)
    if kind == PeriodKind.HALF:
        period = Period.half(year)
        if not period.contains(day):
            raise ValueError(f"Ngày {day:%d/%m/%Y} không thuộc kỳ 6 tháng đầu năm nào.")
        return period
    if kind == PeriodKind.NINE_MONTHS:
        period = Period.nine_months(year)
        if not period.contains(day):
            raise ValueError(f"Ngày {day:%d/%m/%Y} không thuộc kỳ 9 tháng nào.")
        return period
    # Month: days after the 14th belong to the next month's window.
    if day.day > CUTOFF_DAY:
        month = day.month % 12 + 1
    else:
        month = day.month
    if kind == PeriodKind.MONTH:
        return Period.month(year, month)
    if kind == PeriodKind.QUARTER:
        return Period.quarter(year, (month - 1) // 3 + 1)
    raise ValueError(f"Loại kỳ “{kind}” không có cửa sổ cố định.")


def for_year(year: int) -> list[Period]:
    """Every fixed period of a reporting year: 12 months, 4 quarters, the first half,
    nine months and the year, in the order of their deadlines."""
    periods = [Period.month(year, m) for m in range(1, 13)]
    periods += [Period.quarter(year, q) for q in range(1, 5)]
    periods += [Period.half(year), Period.nine_months(year), Period.year_of(year)]
    kind_order = {
        PeriodKind.MONTH: 0,
        PeriodKind.QUARTER: 1,
        PeriodKind.HALF: 2,
        PeriodKind.NINE_MONTHS: 2,
        PeriodKind.YEAR: 3,
    }
    return sorted(periods, key=lambda p: (p.date_to, kind_order[p.kind]))


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_HALF = re.compile(r"^(\d{4})-[Hh]1$")
_NINE = re.compile(r"^(\d{4})-9[Mm]$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")

CODE_HELP = "2024-05 (tháng), 2024-Q1 (quý), 2024-H1 (6 tháng), 2024-9M (9 tháng), 2024 (năm)"


def parse(code: str) -> Period:
    """The period named by `code` (see the module docstring); ValueError with a
    Vietnamese message otherwise."""
    text = (code or "").strip()
    try:
        if m := _MONTH.match(text):
            return Period.month(int(m[1]), int(m[2]))
        if m := _QUARTER.match(text):
            return Period.quarter(int(m[1]), int(m[2]))
        if m := _HALF.match(text):
            return Period.half(int(m[1]))
        if m := _NINE.match(text):
            return Period.nine_months(int(m[1]))
        if m := _YEAR.match(text):
            return Period.year_of(int(m[1]))
        if m := _RANGE.match(text):
            return Period.between(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
    except ValueError as exc:
        raise ValueError(f"Kỳ “{text}” không hợp lệ: {exc}") from None
    raise ValueError(f"Kỳ “{text}” không hợp lệ; ví dụ: {CODE_HELP}.")


def resolve(
    *, period: str | None = None, date_from: date | None = None, date_to: date | None = None, default: Period
) -> Period:
    """The window asked for by a page or API call: `period=` wins; else `from`/`to`
    (a missing end is taken from `default`); else `default`."""
    if period:
        return parse(period)
    if date_from or date_to:
        return Period.between(date_from or default.date_from, date_to or default.date_to)
    return default


_DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def parse_day(text: str, what: str = "Ngày") -> date:
    """A day written as yyyy-mm-dd (API) or dd/mm/yyyy (pages)."""
    from datetime import datetime

    value = (text or "").strip()
    for fmt in _DAY_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{what} “{value}” không hợp lệ: ghi dạng dd/mm/yyyy (hoặc yyyy-mm-dd).")


def resolve_request(params, *, default: Period) -> Period:
    """The window of a page or API call from its query parameters: `period` (a code)
    wins; else `from`/`to` (or the forms' `date_from`/`date_to`), a missing end taken
    from `default`; else `default`. ValueError with a Vietnamese message when a value
    is bad."""
    code = (params.get("period") or "").strip()
    start = params.get("from") or params.get("date_from") or ""
    end = params.get("to") or params.get("date_to") or ""
    return resolve(
        period=code or None,
        date_from=parse_day(start, "Từ ngày") if start.strip() else None,
        date_to=parse_day(end, "Đến ngày") if end.strip() else None,
        default=default,
    )


def current(today: date, kind: str = PeriodKind.YEAR) -> Period:
    """The period of `kind` that holds `today` (the default window of figures pages:
    the reporting year so far)."""
    return containing(today, kind)


def recent_choices(today: date, years: int = 2) -> list[tuple[str, list[tuple[str, str]]]]:
    """(year label, [(code, label with window)]) for a period picker: this reporting
    year and the previous ones, most recent first, each period ending no later than
    the current one."""
    this_year = containing(today, PeriodKind.YEAR).year
    groups = []
    for year in range(this_year, this_year - years, -1):
        items = [p for p in for_year(year) if p.date_from <= today]
        items.reverse()
        groups.append(
            (
                f"Năm {year}",
                [(p.code, f"{p.label} ({p.date_from:%d/%m/%Y} – {p.date_to:%d/%m/%Y})") for p in items],
            )
        )
    return groups


def month_windows(period: Period) -> list[tuple[str, date, date]]:
    """The reporting months of `period` as (label, first day, last day), the first
    and last clipped to the period (trend tables and charts of a figures page)."""
    return [
        (m.label, max(m.date_from, period.date_from), min(m.date_to, period.date_to)) for m in period.months()
    ]
