"""The service index of a commune (or of each commune of a province) for a window:
every item of the version in force, measured through its binding (`bindings.py`)
and scored by its rule (`rules.py`).

Each item ends in one of these states:
- `scored`: points computed (possibly by the item's rule for an empty window:
  full points when there were no petitions, 0 when no dossier was rated);
- `empty`: measurable, but nothing to divide by in this window — "chưa có dữ liệu";
- `not_measured`: the product cannot measure it (the binding says why) — "không có
  dữ liệu", never 0;
- `unresolved`: no published formula — the figures are shown, no points;
- `track`: a follow-up item worth no points.

Totals: the points of the scored items over the maximum of the scored items
("over the measurable items"), and the maximum attainable — those points plus the
maximum of every item not scored (what the commune would reach with full marks on
all it cannot measure here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from cchc.core.figures import Figure, Scope, Value, evaluate, evaluate_by_commune
from cchc.core.periods import Period, PeriodKind, containing

from . import rules
from .bindings import Binding, Measure, binding_for
from .models import IfEmpty, IndexGroup, IndexItem, IndexVersion, RuleKind

SCORED = "scored"
EMPTY = "empty"
NOT_MEASURED = "not_measured"
UNRESOLVED = "unresolved"
TRACK = "track"

STATE_LABELS = {
    SCORED: "Đã tính điểm",
    EMPTY: "Chưa có dữ liệu trong kỳ",
    NOT_MEASURED: "Không có dữ liệu",
    UNRESOLVED: "Chưa có công thức: chỉ hiển thị số liệu",
    TRACK: "Theo dõi, không tính điểm",
}
ZERO = Decimal(0)


@dataclass
class ItemResult:
    item: IndexItem
    binding: Binding
    state: str
    ratio: Decimal | None = None
    value: Value = None
    points: Decimal | None = None
    note: str = ""
    shown: list[tuple[Figure, Value]] = field(default_factory=list)
    # (label, figure, value) of the counts behind the ratio: numerator and denominator.
    parts: list[tuple[str, Figure, Value]] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_scored(self) -> bool:
        return self.state == SCORED

    @property
    def rate_figure(self) -> Figure | None:
        return self.binding.measure.rate if self.binding.measure else None


@dataclass
class GroupResult:
    group: IndexGroup
    items: list[ItemResult]

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.items if i.is_scored), ZERO)

    @property
    def measured_max(self) -> Decimal:
        return sum((i.item.max_points for i in self.items if i.is_scored), ZERO)


@dataclass
class IndexResult:
    version: IndexVersion
    date_from: date
    date_to: date
    groups: list[GroupResult]

    @property
    def items(self) -> list[ItemResult]:
        return [i for g in self.groups for i in g.items]

    @property
    def points(self) -> Decimal:
        """Points of the scored items."""
        return sum((g.points for g in self.groups), ZERO)

    @property
    def measured_max(self) -> Decimal:
        """The maximum of the scored items (the total is "points / measured_max")."""
        return sum((g.measured_max for g in self.groups), ZERO)

    @property
    def unmeasured_max(self) -> Decimal:
        return self.version.max_total - self.measured_max

    @property
    def max_attainable(self) -> Decimal:
        """Points + the maximum of every item not scored."""
        return self.points + self.unmeasured_max

    @property
    def measured_percent(self) -> Decimal | None:
        from cchc.core.figures import percent

        return percent(self.points, self.measured_max)

    @property
    def applies(self) -> bool:
        return self.version.applies_to(self.date_to)

    def item(self, code: str) -> ItemResult | None:
        return next((i for i in self.items if i.item.code == code), None)


def structure(version: IndexVersion) -> list[tuple[IndexGroup, list[IndexItem]]]:
    groups = list(version.groups.order_by("position"))
    items = IndexItem.objects.filter(group__version=version).order_by("group__position", "position")
    by_group: dict[int, list[IndexItem]] = {g.pk: [] for g in groups}
    for item in items:
        by_group[item.group_id].append(item)
    return [(g, by_group[g.pk]) for g in groups]


def needed_figures(parts: list[tuple[IndexGroup, list[IndexItem]]]) -> list[Figure]:
    seen: dict[int, Figure] = {}
    for _, items in parts:
        for item in items:
            for fig in binding_for(item.code).figures():
                seen.setdefault(id(fig), fig)
    return list(seen.values())


def _ratio(measure: Measure, values: dict[Figure, Value]) -> Decimal | None:
    """The exact ratio (0–1) of a measure; None when there is nothing to divide by."""
    if measure.empty_when_zero is not None and not values.get(measure.empty_when_zero):
        return None
    rate = measure.rate
    if rate.numerator is not None and rate.denominator is not None:
        num, den = values.get(rate.numerator), values.get(rate.denominator)
        if num is None or not den:
            return None
        return Decimal(num) / Decimal(den)
    value = values.get(rate)
    return None if value is None else Decimal(str(value)) / 100


def _parts(measure: Measure, values: dict[Figure, Value]) -> list[tuple[str, Figure, Value]]:
    rate = measure.rate
    out = []
    if rate.numerator is not None:
        out.append(("Tử số", rate.numerator, values.get(rate.numerator)))
    if rate.denominator is not None:
        out.append(("Mẫu số", rate.denominator, values.get(rate.denominator)))
    return out


def score_item(item: IndexItem, values: dict[Figure, Value]) -> ItemResult:
    """One item's result from the figure values of the window."""
    binding = binding_for(item.code)
    shown = [(f, values.get(f)) for f in binding.shown]
    if item.rule == RuleKind.UNRESOLVED:
        return ItemResult(item, binding, UNRESOLVED, shown=shown, note=binding.reason)
    if not binding.measurable:
        return ItemResult(item, binding, NOT_MEASURED, shown=shown, note=binding.reason)
    if item.rule == RuleKind.EXPRESSION:
        return _score_expression(item, binding, values, shown)
    measure = binding.measure
    ratio = _ratio(measure, values)
    result = ItemResult(
        item,
        binding,
        SCORED,
        ratio=ratio,
        value=values.get(measure.rate),
        shown=shown,
        parts=_parts(measure, values),
    )
    if item.rule == RuleKind.TRACK_ONLY:
        result.state = TRACK
        return result
    if ratio is None:
        if item.if_empty == IfEmpty.MAX:
            result.points, result.note = (
                item.max_points,
                "Không có mẫu số trong kỳ: đạt điểm tối đa theo quy tắc.",
            )
        elif item.if_empty == IfEmpty.ZERO:
            result.points, result.note = ZERO, "Không có mẫu số trong kỳ: 0 điểm theo quy tắc."
        else:
            result.state, result.note = EMPTY, "Không có mẫu số trong kỳ."
        return result
    result.points = rules.points(item.rule, item.max_points, ratio, item.threshold)
    return result


def _score_expression(item: IndexItem, binding: Binding, values, shown) -> ItemResult:
    ratios = {name: _ratio(m, values) for name, m in binding.variables.items()}
    parts = [p for m in binding.variables.values() for p in _parts(m, values)]
    result = ItemResult(item, binding, SCORED, shown=shown, parts=parts)
    missing = sorted(rules.expression_names(item.expression) - set(ratios))
    if missing:
        result.state, result.note = NOT_MEASURED, binding.reason or rules_missing(missing)
        return result
    if any(r is None for r in ratios.values()):
        result.state, result.note = EMPTY, "Một tỷ lệ của biểu thức không có mẫu số trong kỳ."
        return result
    result.points = rules.expression(item.max_points, item.expression, ratios)
    return result


def rules_missing(names: list[str]) -> str:
    return f"Chưa đo được tỷ lệ {', '.join(names)} của biểu thức."


def _assemble(version, parts, values, date_from, date_to) -> IndexResult:
    groups = [GroupResult(g, [score_item(i, values) for i in items]) for g, items in parts]
    return IndexResult(version, date_from, date_to, groups)


def version_for(date_to: date) -> IndexVersion:
    version = IndexVersion.for_day(date_to)
    if version is None:
        raise IndexVersion.DoesNotExist("Chưa nạp bộ chỉ số phục vụ nào (lệnh: cchc serviceindex_load).")
    return version


def index_for(
    *,
    commune_ids,
    date_from: date,
    date_to: date,
    now: datetime | None = None,
    version: IndexVersion | None = None,
) -> IndexResult:
    """The index of the communes together (one commune: its own index) for a window."""
    version = version or version_for(date_to)
    parts = structure(version)
    scope = Scope.of(commune_ids=commune_ids, date_from=date_from, date_to=date_to, now=now)
    values = evaluate(needed_figures(parts), scope)
    return _assemble(version, parts, values, date_from, date_to)


def index_by_commune(
    *, commune_ids, date_from: date, date_to: date, now: datetime | None = None
) -> dict[int, IndexResult]:
    """The index of each commune separately (the province's view), grouped queries."""
    version = version_for(date_to)
    parts = structure(version)
    scope = Scope.of(commune_ids=commune_ids, date_from=date_from, date_to=date_to, now=now)
    by_commune = evaluate_by_commune(needed_figures(parts), scope)
    return {cid: _assemble(version, parts, values, date_from, date_to) for cid, values in by_commune.items()}


def trend_months(period: Period, today: date, count: int = 12) -> list[Period]:
    """The `count` reporting months ending with the one holding the period's last
    day (or today's month, if earlier), oldest first."""
    last = containing(min(period.date_to, today), PeriodKind.MONTH)
    months = [last]
    while len(months) < count:
        months.append(months[-1].previous())
    return list(reversed(months))


def index_trend(
    *, commune_ids, months: list[Period], now: datetime | None = None
) -> list[tuple[Period, IndexResult]]:
    """The index month by month (the monthly trend); each month by its own version."""
    return [
        (m, index_for(commune_ids=commune_ids, date_from=m.date_from, date_to=m.date_to, now=now))
        for m in months
    ]
