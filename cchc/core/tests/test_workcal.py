"""The working-day calendar: examples on real 2024–2026 schedules and properties."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.workcal import TZ, DueDateOutOfRange, Override, TimeUnit, WorkCalendar

cal = WorkCalendar()


def test_it_does_not_count_the_day_of_receipt():
    # Monday 04/03/2024 + 1 working day = Tuesday.
    assert cal.due(date(2024, 3, 4), 1).due_date == date(2024, 3, 5)


def test_it_skips_weekends():
    # Friday 08/03/2024 + 1 working day = Monday 11/03.
    result = cal.due(date(2024, 3, 8), 1)
    assert result.due_date == date(2024, 3, 11)
    assert [s.day for s in result.skipped] == [date(2024, 3, 9), date(2024, 3, 10)]


def test_it_skips_tet_2024_and_explains_why():
    # Wednesday 07/02/2024; Tết holiday 08/02–14/02/2024.
    result = cal.due(date(2024, 2, 7), 2)
    assert result.due_date == date(2024, 2, 16)
    skipped = {s.day for s in result.skipped}
    assert date(2024, 2, 8) in skipped and date(2024, 2, 14) in skipped
    text = " ".join(result.explain())
    assert "Tết" in text and "16/02/2024" in text


def test_it_counts_the_2024_makeup_saturday():
    # 2024: Monday 29/4 off, Saturday 4/5 worked (swap announced by the government).
    assert not cal.is_working_day(date(2024, 4, 29))
    assert cal.is_working_day(date(2024, 5, 4))
    assert cal.due(date(2024, 4, 26), 3).due_date == date(2024, 5, 4)


def test_it_knows_2025_reunification_swap_and_national_day():
    assert not cal.is_working_day(date(2025, 5, 2))
    assert cal.is_working_day(date(2025, 4, 26))  # make-up Saturday
    assert not cal.is_working_day(date(2025, 9, 1))
    assert not cal.is_working_day(date(2025, 9, 2))


def test_it_knows_tet_2026():
    for day in range(16, 21):
        assert not cal.is_working_day(date(2026, 2, day))
    assert cal.due(date(2026, 2, 13), 1).due_date == date(2026, 2, 23)


def test_calendar_days_move_off_a_day_off():
    # 10 calendar days from Thursday 25/04/2024 = 05/05 (Sunday) → Monday 06/05.
    result = cal.due(date(2024, 4, 25), 10, TimeUnit.DAYS)
    assert result.due_date == date(2024, 5, 6)
    assert result.moved_from == date(2024, 5, 5)


def test_calendar_days_keep_a_working_deadline():
    assert cal.due(date(2024, 3, 4), 7, TimeUnit.DAYS).due_date == date(2024, 3, 11)


def test_working_hours_cross_lunch_and_nights():
    start = datetime(2024, 3, 4, 10, 0, tzinfo=TZ)  # Monday
    result = cal.due(start, 4, TimeUnit.WORKING_HOURS)
    # 10:00–11:30 (1.5h) + 13:30–16:00 (2.5h)
    assert result.due_at == datetime(2024, 3, 4, 16, 0, tzinfo=TZ)
    result = cal.due(start, 8, TimeUnit.WORKING_HOURS)
    # 1.5 + 3.5 = 5h on Monday, 3h on Tuesday from 07:30 → 10:30
    assert result.due_at == datetime(2024, 3, 5, 10, 30, tzinfo=TZ)


def test_working_hours_received_on_a_sunday_start_monday():
    result = cal.due(datetime(2024, 3, 10, 9, 0, tzinfo=TZ), 2, TimeUnit.WORKING_HOURS)
    assert result.due_at == datetime(2024, 3, 11, 9, 30, tzinfo=TZ)


def test_same_day_before_and_after_cutoff():
    assert cal.due(datetime(2024, 3, 4, 14, 59, tzinfo=TZ), 0, TimeUnit.SAME_DAY).due_date == date(2024, 3, 4)
    # Exactly at the cut-off is still "today" (docs/rules.md §4); one second later is not.
    assert cal.due(datetime(2024, 3, 4, 15, 0, tzinfo=TZ), 0, TimeUnit.SAME_DAY).due_date == date(2024, 3, 4)
    assert cal.due(datetime(2024, 3, 4, 15, 0, 1, tzinfo=TZ), 0, TimeUnit.SAME_DAY).due_date == date(
        2024, 3, 5
    )
    assert cal.due(datetime(2024, 3, 4, 15, 1, tzinfo=TZ), 0, TimeUnit.SAME_DAY).due_date == date(2024, 3, 5)
    # Friday after the cut-off → Monday.
    assert cal.due(datetime(2024, 3, 8, 16, 0, tzinfo=TZ), 0, TimeUnit.SAME_DAY).due_date == date(2024, 3, 11)


def test_overrides_take_precedence():
    custom = WorkCalendar(
        {
            date(2024, 3, 5): Override(False, "Nghỉ bão", "CĐ 01/CĐ-UBND"),
            date(2024, 3, 9): Override(True, "Làm bù"),
        }
    )
    assert not custom.is_working_day(date(2024, 3, 5))
    assert custom.is_working_day(date(2024, 3, 9))
    result = custom.due(date(2024, 3, 4), 1)
    assert result.due_date == date(2024, 3, 6)
    assert "CĐ 01/CĐ-UBND" in result.skipped[0].reason


def test_negative_amount_is_refused():
    try:
        cal.due(date(2024, 3, 4), -1)
    except ValueError as exc:
        assert "âm" in str(exc)
    else:
        raise AssertionError("negative amount accepted")


days = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31))
amounts = st.integers(min_value=0, max_value=60)


@settings(max_examples=150, deadline=None)
@given(days, amounts)
def test_property_due_date_is_a_working_day_with_exactly_n_working_days(start, amount):
    due = cal.due(start, amount).due_date
    if amount == 0:
        assert due == start
        return
    assert due > start
    assert cal.is_working_day(due)
    assert cal.working_days_between(start, due) == amount


@settings(max_examples=150, deadline=None)
@given(days, amounts, amounts)
def test_property_working_days_compose(start, a, b):
    assert cal.add_working_days(cal.add_working_days(start, a), b) == cal.add_working_days(start, a + b)


@settings(max_examples=100, deadline=None)
@given(days, amounts)
def test_property_counted_and_skipped_cover_every_day(start, amount):
    result = cal.due(start, amount)
    covered = sorted([*result.counted, *[s.day for s in result.skipped]])
    expected = [start + timedelta(days=i) for i in range(1, (result.due_date - start).days + 1)]
    assert covered == expected


@settings(max_examples=100, deadline=None)
@given(days, st.integers(min_value=0, max_value=90))
def test_property_calendar_days_never_land_on_a_day_off(start, amount):
    result = cal.due(start, amount, TimeUnit.DAYS)
    assert cal.is_working_day(result.due_date)
    assert result.due_date >= start + timedelta(days=amount)


@settings(max_examples=100, deadline=None)
@given(days, st.integers(min_value=0, max_value=23), st.integers(min_value=1, max_value=40))
def test_property_working_hours_end_inside_office_hours(start, hour, amount):
    result = cal.due(datetime.combine(start, time(hour, 0), TZ), amount, TimeUnit.WORKING_HOURS)
    end = result.due_at.timetz().replace(tzinfo=None)
    assert cal.is_working_day(result.due_at.date())
    assert any(b < end <= e for b, e in cal.working_periods)


def test_too_long_a_processing_time_is_refused_with_the_limit_named():
    for amount, unit, text in [
        (100000, TimeUnit.WORKING_DAYS, "Thời hạn 100000 ngày làm việc quá dài"),
        (3000000, TimeUnit.DAYS, "Thời hạn 3000000 ngày quá dài"),
        (18001, TimeUnit.WORKING_HOURS, "tối đa 18000 giờ làm việc"),
    ]:
        with pytest.raises(DueDateOutOfRange, match=text):
            cal.due(date(2024, 1, 1), amount, unit)
    # The limits themselves are computed (about ten years ahead).
    assert cal.due(date(2024, 1, 1), 2400).due_date.year == 2033
    assert cal.due(date(2024, 1, 1), 3650, TimeUnit.DAYS).due_date == date(2033, 12, 29)
    assert cal.due(datetime(2024, 1, 1, 8, tzinfo=TZ), 18000, TimeUnit.WORKING_HOURS).due_date.year == 2033


def test_explain_names_a_make_up_saturday_whatever_the_unit():
    line = "Tính Thứ Bảy 04/05/2024 là ngày làm việc: Ngày làm việc bù theo thông báo của Chính phủ."
    for result in [
        cal.due(date(2024, 4, 26), 3),  # working days: 26/4 + 3 → Saturday 4/5
        cal.due(date(2024, 4, 24), 10, TimeUnit.DAYS),  # calendar days ending on it
        cal.due(datetime(2024, 5, 3, 16, 0, tzinfo=TZ), 4, TimeUnit.WORKING_HOURS),
        cal.due(datetime(2024, 5, 3, 16, 0, tzinfo=TZ), 0, TimeUnit.SAME_DAY),
    ]:
        assert result.due_date == date(2024, 5, 4)
        assert line in result.explain()
    # An ordinary Saturday is never named as worked.
    assert not any("Tính Thứ Bảy" in line for line in cal.due(date(2024, 3, 8), 1).explain())


def test_explain_names_a_start_on_a_day_off():
    result = cal.due(date(2024, 1, 6), 2)  # Saturday
    assert result.due_date == date(2024, 1, 9)
    assert (
        "Ngày tiếp nhận Thứ Bảy 06/01/2024 là ngày nghỉ (Nghỉ cuối tuần (Thứ Bảy)): "
        "việc đếm bắt đầu từ ngày làm việc kế tiếp."
    ) in result.explain()
    hours = cal.due(datetime(2024, 3, 10, 9, 0, tzinfo=TZ), 2, TimeUnit.WORKING_HOURS)  # Sunday
    assert any(
        line.startswith("Ngày tiếp nhận Chủ nhật 10/03/2024 là ngày nghỉ")
        and "giờ làm việc được tính từ đầu giờ làm việc của ngày làm việc kế tiếp" in line
        for line in hours.explain()
    )
    weekday = cal.due(date(2024, 1, 8), 2)  # Monday: no such line
    assert not any(line.startswith("Ngày tiếp nhận Thứ") for line in weekday.explain())


def test_explain_names_the_afternoon_cut_off_when_it_decides():
    at_cutoff = cal.due(datetime(2024, 3, 4, 15, 0, tzinfo=TZ), 0, TimeUnit.SAME_DAY).explain()
    assert (
        "Tiếp nhận lúc 15:00, không muộn hơn giờ chốt buổi chiều 15:00: kết quả trả trong ngày." in at_cutoff
    )
    after = cal.due(datetime(2024, 3, 8, 15, 1, tzinfo=TZ), 0, TimeUnit.SAME_DAY)
    assert after.due_date == date(2024, 3, 11)
    text = after.explain()
    assert (
        "Tiếp nhận lúc 15:01, sau giờ chốt buổi chiều 15:00: kết quả trả vào ngày làm việc kế tiếp." in text
    )
    assert "Bỏ qua Thứ Bảy 09/03/2024: Nghỉ cuối tuần (Thứ Bảy)." in text
    assert text[0] == "Tiếp nhận: 15:01 08/03/2024; thời hạn trong ngày."
    # A configured cut-off is the one named.
    custom = WorkCalendar(afternoon_cutoff=time(16, 0))
    assert "sau giờ chốt" not in " ".join(
        custom.due(datetime(2024, 3, 8, 15, 30, tzinfo=TZ), 0, "same_day").explain()
    )
