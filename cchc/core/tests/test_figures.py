"""The figures catalogue: one rounding rule, "no data" as None, one provider call
per scope, stored keys resolved strictly."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from cchc.core import figures
from cchc.core.figures import Figure, Scope, evaluate, evaluate_by_commune, percent


def test_percentages_round_half_up_to_two_decimals():
    assert percent(2, 3) == Decimal("66.67")
    assert percent(1, 8) == Decimal("12.50")
    assert percent(1, 800) == Decimal("0.13")  # 0.125 → 0.13, not banker's 0.12
    assert percent(0, 5) == Decimal("0.00")
    assert percent(5, 5) == Decimal("100.00")


def test_no_denominator_is_no_data_never_zero_or_hundred():
    assert percent(0, 0) is None
    assert percent(3, None) is None
    assert figures.format_value(None, "%") == "chưa có dữ liệu"


def test_values_are_shown_the_vietnamese_way():
    assert figures.format_value(Decimal("98.5"), "%") == "98,50%"
    assert figures.format_value(1234567, "hồ sơ") == "1.234.567 hồ sơ"
    assert figures.format_value(Decimal("1234.5"), "đồng") == "1.234,50 đồng"
    assert figures.format_value(0, "hồ sơ") == "0 hồ sơ"


@dataclass
class Counts:
    good: int
    total: int


def test_evaluate_calls_each_provider_once_per_scope():
    calls = []

    def provider(scope: Scope) -> Counts:
        calls.append(scope)
        return Counts(good=len(scope.commune_ids), total=4)

    good = Figure("t.good", "Tốt", "hồ sơ", "d", "s", provider, pick=lambda c: c.good)
    total = Figure("t.total", "Tổng", "hồ sơ", "d", "s", provider, pick=lambda c: c.total)
    share = Figure("t.share", "Tỷ lệ", "%", "d", "s", provider, pick=lambda c: percent(c.good, c.total))
    scope = Scope.of(commune_ids=[3, 1, 3], date_from=date(2024, 1, 1), date_to=date(2024, 1, 31))
    values = evaluate([good, total, share], scope)
    assert values == {good: 2, total: 4, share: Decimal("50.00")}
    assert len(calls) == 1 and calls[0].commune_ids == (1, 3)


def test_by_commune_uses_the_grouped_provider_when_there_is_one():
    def provider(scope: Scope) -> int:
        return sum(scope.commune_ids)

    def grouped(scope: Scope) -> dict[int, int]:
        return {cid: cid * 10 for cid in scope.commune_ids}

    plain = Figure("t.plain", "Một", "hồ sơ", "d", "s", provider)
    scope = Scope.of(commune_ids=[1, 2], date_from=date(2024, 1, 1), date_to=date(2024, 1, 2))
    assert evaluate_by_commune([plain], scope) == {1: {plain: 1}, 2: {plain: 2}}
    provider.by_commune = grouped
    assert evaluate_by_commune([plain], scope) == {1: {plain: 10}, 2: {plain: 20}}


def test_a_filter_the_figure_cannot_apply_is_refused():
    fig = Figure("t.f", "Lọc", "hồ sơ", "d", "s", lambda s: 1, filters={"department"})
    ok = Scope.of(commune_ids=[1], date_from=date(2024, 1, 1), date_to=date(2024, 1, 1), department=5)
    assert evaluate([fig], ok)[fig] == 1
    bad = Scope.of(commune_ids=[1], date_from=date(2024, 1, 1), date_to=date(2024, 1, 1), field="Hộ tịch")
    with pytest.raises(figures.UnsupportedFilter, match="không lọc được theo: field"):
        evaluate([fig], bad)
    # Empty filters are not filters.
    assert (
        Scope.of(commune_ids=[1], date_from=date(2024, 1, 1), date_to=date(2024, 1, 1), field="").filters
        == ()
    )


def test_a_backwards_window_is_refused():
    with pytest.raises(ValueError, match="trước ngày bắt đầu"):
        Scope.of(commune_ids=[1], date_from=date(2024, 2, 1), date_to=date(2024, 1, 1))


def test_stored_keys_resolve_strictly(monkeypatch):
    monkeypatch.setattr(figures, "_REGISTRY", {})
    fig = Figure("t.known", "Biết", "hồ sơ", "d", "s", lambda s: 1)
    figures.register(fig)
    figures.register(fig)  # idempotent for the same object
    assert figures.get("t.known") is fig
    with pytest.raises(figures.UnknownFigure, match="không có trong danh mục"):
        figures.get("t.unknown")
    with pytest.raises(ValueError, match="declared twice"):
        figures.register(Figure("t.known", "Khác", "hồ sơ", "d", "s", lambda s: 2))
    assert figures.choices() == [("t.known", "Biết")]


def test_every_registered_figure_is_fully_declared():
    # Whatever the apps declare: a dotted key, a label, a unit, a definition and a source.
    for fig in figures.all_figures():
        assert "." in fig.key, fig
        assert fig.label and fig.unit and fig.definition and fig.source, fig
