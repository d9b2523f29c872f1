"""Reporting periods: the NĐ 09/2019 cut-off windows, codes, labels and deadlines."""

from datetime import date

import pytest

from cchc.core import periods
from cchc.core.periods import Period, PeriodKind, containing, for_year, parse


def test_it_gives_the_seed_plans_windows_exactly():
    # The seed plan, section III: Q1, six months, Q3 and the year of 2024.
    assert (Period.quarter(2024, 1).date_from, Period.quarter(2024, 1).date_to) == (
        date(2023, 12, 15),
        date(2024, 3, 14),
    )
    assert (Period.half(2024).date_from, Period.half(2024).date_to) == (date(2023, 12, 15), date(2024, 6, 14))
    assert (Period.quarter(2024, 3).date_from, Period.quarter(2024, 3).date_to) == (
        date(2024, 6, 15),
        date(2024, 9, 14),
    )
    assert (Period.year_of(2024).date_from, Period.year_of(2024).date_to) == (
        date(2023, 12, 15),
        date(2024, 12, 14),
    )
    assert (Period.nine_months(2024).date_from, Period.nine_months(2024).date_to) == (
        date(2023, 12, 15),
        date(2024, 9, 14),
    )


def test_month_windows_run_from_the_15th_to_the_14th_across_the_year_end():
    jan = Period.month(2025, 1)
    assert (jan.date_from, jan.date_to) == (date(2024, 12, 15), date(2025, 1, 14))
    may = Period.month(2024, 5)
    assert (may.date_from, may.date_to) == (date(2024, 4, 15), date(2024, 5, 14))
    assert may.days() == 30


def test_the_first_and_last_day_of_a_window_belong_to_it():
    assert containing(date(2023, 12, 15), PeriodKind.YEAR) == Period.year_of(2024)
    assert containing(date(2023, 12, 14), PeriodKind.YEAR) == Period.year_of(2023)
    assert containing(date(2024, 12, 14), PeriodKind.YEAR) == Period.year_of(2024)
    assert containing(date(2024, 3, 14), PeriodKind.QUARTER) == Period.quarter(2024, 1)
    assert containing(date(2024, 3, 15), PeriodKind.QUARTER) == Period.quarter(2024, 2)
    assert containing(date(2023, 12, 15), PeriodKind.MONTH) == Period.month(2024, 1)
    assert containing(date(2024, 1, 14), PeriodKind.MONTH) == Period.month(2024, 1)
    assert containing(date(2024, 1, 15), PeriodKind.MONTH) == Period.month(2024, 2)
    with pytest.raises(ValueError):
        containing(date(2024, 7, 1), PeriodKind.HALF)


def test_codes_and_labels_round_trip():
    for p in for_year(2024):
        assert parse(p.code) == p
    assert parse("2024-05").label == "Tháng 5/2024"
    assert parse("2024-Q1").label == "Quý I/2024"
    assert parse("2024-q4").label == "Quý IV/2024"
    assert parse("2024-H1").label == "6 tháng đầu năm 2024"
    assert parse("2024-9M").label == "9 tháng năm 2024"
    assert parse("2024").label == "Năm 2024"
    free = parse("2024-01-01..2024-03-31")
    assert (free.kind, free.date_from, free.date_to) == (
        PeriodKind.RANGE,
        date(2024, 1, 1),
        date(2024, 3, 31),
    )
    assert free.label == "Từ 01/01/2024 đến 31/03/2024"
    assert Period.year_of(2024).window_text == "từ ngày 15/12/2023 đến ngày 14/12/2024"


@pytest.mark.parametrize("bad", ["", "2024-13", "2024-Q5", "2024-H2", "hôm qua", "2024-03-31..2024-01-01"])
def test_bad_codes_are_refused_in_vietnamese(bad):
    with pytest.raises(ValueError, match="Kỳ"):
        parse(bad)


def test_deadlines_are_before_the_16th_of_the_last_month():
    assert Period.quarter(2024, 1).deadline() == date(2024, 3, 15)
    assert Period.half(2024).deadline() == date(2024, 6, 15)
    assert Period.year_of(2024).deadline() == date(2024, 12, 15)
    assert Period.month(2025, 1).deadline() == date(2025, 1, 15)
    assert Period.year_of(2024).deadline(day=20) == date(2024, 12, 20)
    assert Period.between(date(2024, 1, 1), date(2024, 1, 31)).deadline() is None
    with pytest.raises(ValueError):
        Period.year_of(2024).deadline(day=14)


def test_previous_periods_cross_the_year_end():
    assert Period.quarter(2024, 1).previous() == Period.quarter(2023, 4)
    assert Period.month(2024, 1).previous() == Period.month(2023, 12)
    assert Period.year_of(2024).previous() == Period.year_of(2023)
    assert Period.between(date(2024, 1, 11), date(2024, 1, 20)).previous() == Period.between(
        date(2024, 1, 1), date(2024, 1, 10)
    )


def test_a_year_is_its_twelve_monthly_windows():
    months = Period.year_of(2024).months()
    assert [m.code for m in months] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert months[0].date_from == Period.year_of(2024).date_from
    assert months[-1].date_to == Period.year_of(2024).date_to
    # Consecutive windows leave no gap and do not overlap.
    for a, b in zip(months, months[1:], strict=False):
        assert (b.date_from - a.date_to).days == 1


def test_for_year_lists_every_fixed_period_in_deadline_order():
    listed = for_year(2024)
    assert len(listed) == 19
    assert listed[-1] == Period.year_of(2024)
    deadlines = [p.deadline() for p in listed]
    assert deadlines == sorted(deadlines)


def test_resolve_prefers_the_period_code_then_the_dates():
    default = Period.year_of(2024)
    assert periods.resolve(period="2024-Q2", default=default) == Period.quarter(2024, 2)
    assert periods.resolve(date_from=date(2024, 2, 1), default=default) == Period.between(
        date(2024, 2, 1), date(2024, 12, 14)
    )
    assert periods.resolve(default=default) == default
