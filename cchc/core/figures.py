"""The figures catalogue: every number the product shows, exports, reports or scores.

A `Figure` is declared once, in the app that owns the data, in `<app>/figures.py`:
a stable key, its Vietnamese label and unit, its definition (the exact counting rule)
and legal source, and how it is computed for a `Scope` — communes, a window of local
days (both ends included) and optional filters. Statistics pages, the API, Excel
exports, the portal, plan targets, periodic reports, the service index and the
PAR-index read figures through this module by plain imports:

    from cchc.dossiers import figures as dossier_figures
    values = evaluate([dossier_figures.RECEIVED, dossier_figures.ON_TIME_RATE], scope)
    values[dossier_figures.ON_TIME_RATE]  # Decimal('98.50') or None

Records that store a reference to a figure (a report's quoted figure, a criterion
bound to a figure, a plan target) store its key; `get(key)` resolves it and refuses a
key the catalogue does not know — the only look-up by string, and it never guesses.

Computation: a figure names a `provider`, a function of the scope returning one
value or a typed bundle of related counts (e.g. the dossier counts of a window),
and a `pick` that takes the figure's value out of the bundle by attribute. `evaluate`
calls each provider once per scope however many of its figures are asked for, so
that "received / finished / on time" of one window cost one pass over the data. A
provider may also offer `provider.by_commune(scope) -> {commune_id: bundle}` to
compute a whole province in one grouped query (`evaluate_by_commune`).

Values: `int` for counts, `Decimal` for rates and amounts, `None` for "no data"
(nothing to divide by, or nothing recorded) — never 0 and never 100 in its place.
Every percentage is rounded by `percent()`: half up, two decimals, and shown with a
decimal comma ("98,50%"); `None` is shown as "chưa có dữ liệu".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models

Value = int | Decimal | None

PERCENT = "%"
NO_DATA = "chưa có dữ liệu"
_TWO_PLACES = Decimal("0.01")


# --- one rounding rule ------------------------------------------------------------
def percent(part: int | Decimal | float | None, whole: int | Decimal | float | None) -> Decimal | None:
    """`part` ÷ `whole` × 100, rounded half up to 2 decimals; None when `whole` is
    0 or None (no data)."""
    if not whole or part is None:
        return None
    return (Decimal(str(part)) * 100 / Decimal(str(whole))).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def rounded(value: int | float | Decimal | None) -> Decimal | None:
    """A non-count value (rate, amount, points) rounded by the same rule."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def _group_thousands(digits: str) -> str:
    out = ""
    while len(digits) > 3:
        out = "." + digits[-3:] + out
        digits = digits[:-3]
    return digits + out


def format_number(value: int | Decimal | float, places: int | None = None) -> str:
    """Vietnamese number format: thousands with '.', decimals with ',' (1.234,50)."""
    if isinstance(value, int) and places is None:
        sign = "-" if value < 0 else ""
        return sign + _group_thousands(str(abs(value)))
    dec = Decimal(str(value))
    if places is None:
        places = 2 if dec != dec.to_integral_value() else 0
    text = f"{abs(dec):.{places}f}"
    whole, _, frac = text.partition(".")
    sign = "-" if dec < 0 else ""
    return sign + _group_thousands(whole) + ("," + frac if frac else "")


def format_value(value: Value, unit: str = "") -> str:
    """A figure's value as shown on pages and documents: '98,50%', '1.234 hồ sơ',
    'chưa có dữ liệu'."""
    if value is None:
        return NO_DATA
    if unit == PERCENT:
        return f"{format_number(Decimal(str(value)), 2)}%"
    text = format_number(value)
    return f"{text} {unit}".strip()


# --- scope -------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    """What a figure is computed over: communes, a window of local days (both ends
    included), optional filters (e.g. `department`, `procedure`, `field`, `officer`),
    and `now` — the moment "still open" is judged at when the window reaches it
    (None: the real time)."""

    commune_ids: tuple[int, ...]
    date_from: date
    date_to: date
    filters: tuple[tuple[str, Any], ...] = ()
    now: datetime | None = None

    @classmethod
    def of(
        cls,
        *,
        commune_ids: Iterable[int],
        date_from: date,
        date_to: date,
        now: datetime | None = None,
        **filters: Any,
    ) -> Scope:
        if date_to < date_from:
            raise ValueError(
                f"Kỳ số liệu không hợp lệ: ngày kết thúc {date_to:%d/%m/%Y} trước ngày bắt đầu "
                f"{date_from:%d/%m/%Y}."
            )
        kept = tuple(sorted((k, v) for k, v in filters.items() if v not in (None, "", [], ())))
        return cls(tuple(sorted(set(commune_ids))), date_from, date_to, kept, now)

    def get(self, name: str, default: Any = None) -> Any:
        for key, value in self.filters:
            if key == name:
                return value
        return default

    @property
    def filter_names(self) -> frozenset[str]:
        return frozenset(k for k, _ in self.filters)

    def for_communes(self, commune_ids: Iterable[int]) -> Scope:
        return Scope(tuple(sorted(set(commune_ids))), self.date_from, self.date_to, self.filters, self.now)

    def for_window(self, date_from: date, date_to: date) -> Scope:
        return Scope(self.commune_ids, date_from, date_to, self.filters, self.now)


Provider = Callable[[Scope], Any]


def _identity(value: Any) -> Value:
    return value


class UnsupportedFilter(ValueError):
    """A figure was asked for with a filter it cannot apply."""


class UnknownFigure(KeyError):
    """A stored key that the catalogue does not know."""

    def __str__(self) -> str:
        return f"Số liệu “{self.args[0]}” không có trong danh mục số liệu."


@dataclass(frozen=True, eq=False)
class Figure:
    """One figure of the catalogue (see the module docstring).

    `records`, when given, returns the queryset of the rows the figure counted for a
    scope (drill-down from a dashboard, a report or a criterion to the dossiers).
    """

    key: str
    label: str
    unit: str
    definition: str
    source: str
    provider: Provider
    pick: Callable[[Any], Value] = _identity
    filters: frozenset[str] = field(default_factory=frozenset)
    records: Callable[[Scope], Any] | None = None
    # For a rate: the figures it divides (shown beside it, e.g. "950/1.000").
    numerator: Figure | None = None
    denominator: Figure | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "filters", frozenset(self.filters))

    def __repr__(self) -> str:
        return f"<Figure {self.key}>"

    @property
    def is_rate(self) -> bool:
        return self.unit == PERCENT

    def value(
        self,
        *,
        commune_ids: Iterable[int],
        date_from: date,
        date_to: date,
        now: datetime | None = None,
        **filters: Any,
    ) -> Value:
        """The figure for one scope (prefer `evaluate` for several figures)."""
        scope = Scope.of(commune_ids=commune_ids, date_from=date_from, date_to=date_to, now=now, **filters)
        return evaluate([self], scope)[self]

    def format(self, value: Value) -> str:
        return format_value(value, self.unit)

    def check_scope(self, scope: Scope) -> None:
        extra = scope.filter_names - self.filters
        if extra:
            raise UnsupportedFilter(
                f"Số liệu “{self.label}” không lọc được theo: {', '.join(sorted(extra))}."
            )


def evaluate(figures: Sequence[Figure], scope: Scope) -> dict[Figure, Value]:
    """The values of `figures` for `scope`, each provider called once."""
    bundles: dict[Provider, Any] = {}
    out: dict[Figure, Value] = {}
    for figure in figures:
        figure.check_scope(scope)
        if figure.provider not in bundles:
            bundles[figure.provider] = figure.provider(scope)
        out[figure] = figure.pick(bundles[figure.provider])
    return out


def evaluate_by_commune(figures: Sequence[Figure], scope: Scope) -> dict[int, dict[Figure, Value]]:
    """The values of `figures` for each commune of `scope` separately (province
    comparison tables). Providers with a `by_commune` variant answer in one grouped
    query; the others are called once per commune."""
    out: dict[int, dict[Figure, Value]] = {cid: {} for cid in scope.commune_ids}
    by_provider: dict[Provider, list[Figure]] = {}
    for figure in figures:
        figure.check_scope(scope)
        by_provider.setdefault(figure.provider, []).append(figure)
    for provider, group in by_provider.items():
        grouped = getattr(provider, "by_commune", None)
        if grouped is not None:
            bundles = grouped(scope)
            for cid in scope.commune_ids:
                bundle = bundles[cid]
                for figure in group:
                    out[cid][figure] = figure.pick(bundle)
        else:
            for cid in scope.commune_ids:
                bundle = provider(scope.for_communes([cid]))
                for figure in group:
                    out[cid][figure] = figure.pick(bundle)
    return out


def evaluate_series(
    figures: Sequence[Figure], scope: Scope, windows: Sequence[tuple[date, date]]
) -> list[dict[Figure, Value]]:
    """The values of `figures` for each window (trend charts), in order."""
    return [evaluate(figures, scope.for_window(a, b)) for a, b in windows]


# --- the registry (for stored keys only) ---------------------------------------------
_REGISTRY: dict[str, Figure] = {}


def register(*figures: Figure) -> None:
    """Add figures to the catalogue (called by each app's `figures.py` at import)."""
    for figure in figures:
        existing = _REGISTRY.get(figure.key)
        if existing is not None and existing is not figure:
            raise ValueError(f"Figure key {figure.key!r} is declared twice.")
        _REGISTRY[figure.key] = figure


def get(key: str) -> Figure:
    """The figure stored under `key`; `UnknownFigure` if the catalogue has none."""
    try:
        return _REGISTRY[key]
    except KeyError:
        raise UnknownFigure(key) from None


def all_figures() -> list[Figure]:
    return sorted(_REGISTRY.values(), key=lambda f: f.key)


def choices(*, unit: str | None = None) -> list[tuple[str, str]]:
    """(key, label) pairs for forms binding a record to a figure."""
    return [(f.key, f.label) for f in all_figures() if unit is None or f.unit == unit]


def validate_key(value: str) -> None:
    """Model/form validator of a stored binding: the key must be in the catalogue."""
    from django.core.exceptions import ValidationError

    if value:
        try:
            get(value)
        except UnknownFigure as exc:
            raise ValidationError(str(exc), code="unknown_figure") from None


class FigureKeyField(models.CharField):
    """A stored binding to a figure (a plan target, a report's quoted figure, a
    criterion computed from data): the figure's catalogue key, validated by `get`.
    `stored_bindings()` finds every such field, so one check covers them all."""

    default_validators = [validate_key]
    description = "Khóa số liệu trong danh mục"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 80)
        super().__init__(*args, **kwargs)


def stored_bindings() -> list[tuple[type, str]]:
    """(model, field name) of every `FigureKeyField` of the installed apps."""
    from django.apps import apps

    return [
        (model, f.name)
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, FigureKeyField)
    ]


def unknown_stored_keys() -> list[tuple[str, Any, str]]:
    """(model label, primary key, key) of every stored binding the catalogue does not
    know — empty when every stored key resolves (checked by a test and after upgrades)."""
    problems = []
    for model, name in stored_bindings():
        rows = model._default_manager.exclude(**{name: ""}).values_list("pk", name)
        for pk, key in rows.iterator():
            if key not in _REGISTRY:
                problems.append((model._meta.label, pk, key))
    return problems


def choices_grouped() -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a form binding a record to a figure, grouped by app (optgroups)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for fig in _REGISTRY.values():
        app = fig.key.split(".", 1)[0]
        groups.setdefault(_APP_TITLES.get(app, app), []).append((fig.key, f"{fig.label} ({fig.unit})"))
    return list(groups.items())


def autodiscover() -> None:
    """Import every installed app's `figures` module (from `CoreConfig.ready`)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("figures")


# --- the catalogue as a document (docs/figures.md) -------------------------------------
FILTER_LABELS = {
    "department": "bộ phận",
    "procedure": "thủ tục",
    "field": "lĩnh vực",
    "officer": "công chức",
}
_APP_TITLES = {
    "dossiers": "Hồ sơ một cửa",
    "satisfaction": "Đánh giá sự hài lòng",
    "petitions": "Phản ánh, kiến nghị",
    "procedures": "Danh mục thủ tục hành chính",
    "plans": "Kế hoạch CCHC",
    "registers": "Sổ theo dõi",
    "communication": "Tuyên truyền CCHC",
    "procedure_reviews": "Rà soát thủ tục hành chính",
    "training": "Bồi dưỡng, tập huấn",
    "reports": "Báo cáo CCHC định kỳ",
}

DOC_INTRO = """# Danh mục số liệu (figures catalogue)

Generated from the catalogue by `cchc figures-doc` (a test fails when this file and the
catalogue differ). Every number the product shows, exports, reports, scores or compares
with a plan target is one of these figures, read through `cchc.core.figures` by key.

- **Window** (kỳ số liệu): local days, both ends included — a reporting period of
  NĐ 09/2019/NĐ-CP (month 15th → 14th, quarter, first half, nine months, year
  15/12 → 14/12; docs/rules.md §11) or a free range `from`/`to`. Pages and the API take
  `period=2024-05 | 2024-Q1 | 2024-H1 | 2024-9M | 2024` or `from=…&to=…`.
- **"At the window's end"**: 24:00 of its last day, or now if the window has not ended.
- **Rounding** (one rule for every percentage): half up, two decimals, shown with a
  decimal comma ("98,50%"). **No data** (nothing to divide by) is `null` in the API and
  "chưa có dữ liệu" on pages — never 0 and never 100.
- **Filters**: the ones listed for a figure; asking for another is refused.
- **API**: `GET /api/v1/figures?keys=<key>,<key>&period=…&commune=…` gives any of these
  figures by key (key, label, unit, value, formatted, window); the reporting periods of a
  year with their deadlines: `GET /api/v1/periods?year=2024` (docs/dashboards.md).
"""


def render_markdown() -> str:
    """docs/figures.md: every figure with its key, label, unit, definition and source."""
    lines = [DOC_INTRO]
    groups: dict[str, list[Figure]] = {}
    for fig in _REGISTRY.values():  # declaration order: apps in dependency order
        groups.setdefault(fig.key.split(".", 1)[0], []).append(fig)
    for app, figs in groups.items():
        lines.append(f"## {_APP_TITLES.get(app, app)} (`{app}.*`)\n")
        for fig in figs:
            lines.append(f"### `{fig.key}` — {fig.label}\n")
            lines.append(f"- Đơn vị: {fig.unit}")
            if fig.numerator is not None and fig.denominator is not None:
                lines.append(f"- Tỷ lệ: `{fig.numerator.key}` ÷ `{fig.denominator.key}` × 100")
            filters = ", ".join(FILTER_LABELS.get(f, f) for f in sorted(fig.filters)) or "không"
            lines.append(f"- Lọc theo: {filters}")
            lines.append(f"- Cách tính: {fig.definition}")
            lines.append(f"- Căn cứ: {fig.source}\n")
    return "\n".join(lines).rstrip() + "\n"
