"""Every rule kind, exactly: Decimal arithmetic, threshold and band edges compared on
the unrounded rate, "nothing to count", entered points within [0, max] in steps."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from cchc.parindex.rules import Band, Rule, RuleKind, WhenNone, format_bands, parse_bands


def test_ratio_is_max_times_rate_rounded_half_up():
    rule = Rule(RuleKind.RATIO)
    out = rule.apply(D(10), numerator=949, denominator=1000)
    assert out.points == D("9.49")
    assert out.explanation == "Tỷ lệ 949/1.000 = 94,90%; điểm = 10 × 94,90% = 9,49."
    # 4 × 1/8 = 0,5 exactly; 2 × 1/3 = 0,666… → 0,67 (half up)
    assert rule.apply(D(4), numerator=1, denominator=8).points == D("0.50")
    assert rule.apply(D(2), numerator=1, denominator=3).points == D("0.67")
    assert rule.apply(D(2), numerator=5, denominator=5).points == D(2)


def test_threshold_gives_full_points_at_the_threshold_exactly_and_linear_below():
    rule = Rule(RuleKind.RATIO_THRESHOLD, threshold=D(90))
    assert rule.apply(D(6), numerator=90, denominator=100).points == D(6)
    assert rule.apply(D(6), numerator=9, denominator=10).points == D(6)
    assert rule.apply(D(6), numerator=100, denominator=100).points == D(6)
    # Just below: 8999/10000 = 89,99 % → 6 × 89,99 / 90 = 5,9993… → 6,00 after rounding,
    # but the explanation says it is below the threshold.
    below = rule.apply(D(6), numerator=8999, denominator=10000)
    assert below.points == D("6.00") and "< ngưỡng 90%" in below.explanation
    assert rule.apply(D(6), numerator=85, denominator=100).points == D("5.67")  # 6 × 85/90
    assert rule.apply(D(6), numerator=0, denominator=100).points == D(0)
    half = Rule(RuleKind.RATIO_THRESHOLD, threshold=D(50))
    assert half.apply(D(6), numerator=1, denominator=2).points == D(6)
    assert half.apply(D(6), numerator=49, denominator=100).points == D("5.88")


def test_a_rate_that_rounds_onto_the_threshold_is_still_below_it():
    rule = Rule(RuleKind.RATIO_THRESHOLD, threshold=D(95))
    out = rule.apply(D(4), numerator=18999, denominator=20000)  # 94,995 %
    assert "94,9950% < ngưỡng 95%" in out.explanation
    # 4 × 94,995 ÷ 95 = 3,9998 → 4,00 once rounded: linear below, never "full" by rounding the rate.
    assert out.points == D("4.00") and "≥" not in out.explanation


def test_bands_include_their_lower_bound_and_nothing_rounds_up_into_a_band():
    rule = Rule(RuleKind.BANDS, bands=parse_bands("100% → 2; 95–<100% → 1; < 95% → 0"))
    assert rule.apply(D(2), numerator=100, denominator=100).points == D(2)
    assert rule.apply(D(2), numerator=999, denominator=1000).points == D(1)
    assert rule.apply(D(2), numerator=95, denominator=100).points == D(1)
    assert rule.apply(D(2), numerator=19, denominator=20).points == D(1)  # 95 % exactly
    edge = rule.apply(D(2), numerator=18999, denominator=20000)  # 94,995 % shows as 95,00 %
    assert edge.points == D(0)
    assert "94,9950%" in edge.explanation and "dưới 95%" in edge.explanation
    assert rule.apply(D(2), numerator=0, denominator=7).points == D(0)


def test_bands_read_and_written_in_both_forms():
    assert parse_bands("100:2; 95:1; 0:0") == (Band(D(100), D(2)), Band(D(95), D(1)), Band(D(0), D(0)))
    assert parse_bands("≥ 98% → 1,5\n90% – dưới 98% → 0,75\ndưới 90% → 0") == (
        Band(D(98), D("1.5")),
        Band(D(90), D("0.75")),
        Band(D(0), D(0)),
    )
    text = format_bands(parse_bands("100:2; 95:1; 0:0"))
    assert text == "100% → 2; 95% – dưới 100% → 1; dưới 95% → 0"
    assert parse_bands(text) == parse_bands("100:2; 95:1; 0:0")
    with pytest.raises(ValidationError, match="không đúng dạng"):
        parse_bands("một trăm phần trăm")


def test_deduction_per_occurrence_never_goes_below_the_floor():
    rule = Rule(RuleKind.DEDUCTION, per_occurrence=D(1), floor=D(0))
    assert rule.apply(D(3), occurrences=0).points == D(3)
    assert rule.apply(D(3), occurrences=2).points == D(1)
    assert rule.apply(D(3), occurrences=3).points == D(0)
    out = rule.apply(D(3), occurrences=5)
    assert out.points == D(0) and "không thấp hơn 0" in out.explanation
    floor = Rule(RuleKind.DEDUCTION, per_occurrence=D("1.5"), floor=D(1))
    assert floor.apply(D(4), occurrences=1).points == D("2.50")
    assert floor.apply(D(4), occurrences=2).points == D(1)
    with pytest.raises(ValidationError, match="âm"):
        rule.apply(D(3), occurrences=-1)


def test_nothing_to_count_is_not_a_rate_of_zero():
    full = Rule(RuleKind.RATIO, when_none=WhenNone.FULL)
    out = full.apply(D(4), numerator=0, denominator=0)
    assert out.points == D(4) and "mẫu số 0" in out.explanation
    assert Rule(RuleKind.RATIO, when_none=WhenNone.ZERO).apply(D(4), numerator=0, denominator=0).points == D(
        0
    )
    na = Rule(RuleKind.RATIO_THRESHOLD, threshold=D(90), when_none=WhenNone.NOT_APPLICABLE).apply(
        D(6), numerator=0, denominator=0
    )
    assert na.points is None and na.not_applicable
    enter = Rule(RuleKind.RATIO).apply(D(4), numerator=0, denominator=0)
    assert enter.points is None and not enter.not_applicable
    # No data at all (the figure said None) is the same case.
    assert full.apply(D(4), numerator=None, denominator=None).points == D(4)
    # Deduction with "full when nothing to count": no violation → full points.
    assert Rule(RuleKind.DEDUCTION, per_occurrence=D(1), when_none=WhenNone.FULL).apply(
        D(3), occurrences=0
    ).points == D(3)


def test_bad_measures_are_refused_in_vietnamese():
    rule = Rule(RuleKind.RATIO)
    with pytest.raises(ValidationError, match="lớn hơn mẫu số"):
        rule.apply(D(4), numerator=11, denominator=10)
    with pytest.raises(ValidationError, match="không phải là số"):
        rule.apply(D(4), numerator="mười", denominator=10)


def test_entered_points_are_within_zero_and_max_in_steps():
    rule = Rule(RuleKind.ENTERED, step=D("0.5"))
    assert rule.check_entered(D(3), "2,5") == D("2.5")
    assert rule.check_entered(D(3), 0) == D(0)
    assert rule.check_entered(D(3), "3") == D(3)
    with pytest.raises(ValidationError, match="từ 0 đến 3"):
        rule.check_entered(D(3), "3.5")
    with pytest.raises(ValidationError, match="từ 0 đến 3"):
        rule.check_entered(D(3), "-0.5")
    with pytest.raises(ValidationError, match="bội số của 0,5"):
        rule.check_entered(D(3), "2.25")
    # Without its own step, the set's step applies (default 0,25).
    assert Rule(RuleKind.ENTERED).check_entered(D(3), "2.25") == D("2.25")
    with pytest.raises(ValidationError, match="bội số của 1"):
        Rule(RuleKind.ENTERED).check_entered(D(3), "2.5", set_step=D(1))


def test_rules_explain_themselves_and_name_their_problems():
    assert Rule(RuleKind.RATIO_THRESHOLD, threshold=D(50)).describe(D(6)) == (
        "Tỷ lệ từ 50% trở lên: 6 điểm; dưới đó: 6 × tỷ lệ ÷ 50%."
    )
    assert "không có gì để tính (mẫu số 0): đạt điểm tối đa" in Rule(
        RuleKind.RATIO, when_none=WhenNone.FULL
    ).describe(D(2))
    assert Rule(RuleKind.RATIO_THRESHOLD, threshold=D(120)).problems(D(6)) == [
        "ngưỡng đạt tối đa phải trong khoảng (0%, 100%]"
    ]
    assert "các mức phải phủ đến 0% (mức thấp nhất bắt đầu từ 0%)" in Rule(
        RuleKind.BANDS, bands=(Band(D(95), D(1)),)
    ).problems(D(2))
    assert "điểm của mỗi mức phải từ 0 đến 2" in Rule(RuleKind.BANDS, bands=(Band(D(0), D(3)),)).problems(
        D(2)
    )
    assert Rule(RuleKind.DEDUCTION).problems(D(3)) == ["số điểm trừ mỗi lần phải lớn hơn 0"]
    assert Rule("magic").problems(D(1))[0].startswith("loại quy tắc “magic” không có")


def test_rules_round_trip_through_storage():
    for rule in (
        Rule(RuleKind.ENTERED, step=D("0.5")),
        Rule(RuleKind.RATIO, when_none=WhenNone.FULL),
        Rule(RuleKind.RATIO_THRESHOLD, threshold=D(80)),
        Rule(RuleKind.BANDS, bands=parse_bands("100:2; 95:1; 0:0")),
        Rule(RuleKind.DEDUCTION, per_occurrence=D(2), floor=D(0)),
        Rule(RuleKind.SURVEY),
    ):
        assert Rule.from_json(rule.kind, rule.to_json()) == Rule.from_json(rule.kind, rule.to_json())
        again = Rule.from_json(rule.kind, rule.to_json())
        assert again.to_json() == rule.to_json()
