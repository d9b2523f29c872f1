"""Suggested scores: a criterion bound to figures of the catalogue is measured over
the assessment's window and its rule applied (docs/par-index.md, "Criteria computed
from data").

A suggestion says everything the commune and the appraiser need to check it: the
figure, its value (as a ratio with its counts when the figure declares them, so
that thresholds are compared exactly), the window, the rule and its arithmetic,
and where to see the records counted — the figure's own drill-down when it has
one (`Figure.records`), else the statistics page of its app for the window.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from cchc.core import figures as catalogue
from cchc.core.figures import Figure, Scope, evaluate, format_number
from cchc.core.periods import Period

from .models import Assessment, Criterion
from .rules import RATE_KINDS, RuleKind, pct

log = logging.getLogger(__name__)

# The statistics page of each app, for figures without a drill-down of their own
# (linked with the window as ?date_from=&date_to=).
STATISTICS_PAGES = {
    "dossiers": "dossiers:stats",
    "satisfaction": "satisfaction:stats",
    "petitions": "petitions:stats",
}


@dataclass(frozen=True)
class Suggestion:
    code: str
    points: Decimal | None
    not_applicable: bool
    explanation: str
    rule_text: str
    figure_label: str
    figure_keys: tuple[str, ...]
    value_text: str
    numerator: Decimal | None
    denominator: Decimal | None
    date_from: date
    date_to: date
    records_url: str = ""
    records_label: str = ""
    error: str = ""

    @property
    def available(self) -> bool:
        return not self.error and (self.points is not None or self.not_applicable)

    @property
    def window_text(self) -> str:
        return f"từ {self.date_from:%d/%m/%Y} đến {self.date_to:%d/%m/%Y}"

    def as_json(self) -> dict:
        """A snapshot stored with the self-score (what the commune was shown)."""
        data = asdict(self)
        for name in ("points", "numerator", "denominator"):
            data[name] = None if data[name] is None else str(data[name])
        data["date_from"], data["date_to"] = self.date_from.isoformat(), self.date_to.isoformat()
        data["figure_keys"] = list(self.figure_keys)
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> Suggestion | None:
        if not data:
            return None
        values = dict(data)
        for name in ("points", "numerator", "denominator"):
            values[name] = None if values.get(name) is None else Decimal(values[name])
        values["date_from"] = date.fromisoformat(values["date_from"])
        values["date_to"] = date.fromisoformat(values["date_to"])
        values["figure_keys"] = tuple(values.get("figure_keys") or ())
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in values.items() if k in known})


def _figures_for(criterion: Criterion) -> tuple[list[Figure], Figure, Figure | None, Figure | None]:
    """(figures to evaluate, the figure shown, numerator, denominator)."""
    if criterion.numerator_figure and criterion.denominator_figure:
        num, den = catalogue.get(criterion.numerator_figure), catalogue.get(criterion.denominator_figure)
        return [num, den], den, num, den
    figure = catalogue.get(criterion.figure)
    if criterion.rule_kind in RATE_KINDS and figure.numerator is not None and figure.denominator is not None:
        return [figure.numerator, figure.denominator], figure, figure.numerator, figure.denominator
    return [figure], figure, None, None


def records_link(assessment: Assessment, criterion: Criterion, period: Period) -> tuple[str, str]:
    """(url, label) of the records behind a bound criterion's figure."""
    _, shown, _, den = _figures_for(criterion)
    for figure in (den, shown):
        if figure is not None and figure.records is not None:
            url = reverse("parindex:records", args=[assessment.pk, criterion.code])
            return url, f"Danh sách {figure.label.lower()}"
    app = shown.key.split(".", 1)[0]
    name = STATISTICS_PAGES.get(app)
    if name:
        try:
            base = reverse(name)
        except NoReverseMatch:
            return "", ""
        query = {"date_from": period.date_from.isoformat(), "date_to": period.date_to.isoformat()}
        return f"{base}?{urlencode(query)}", f"Trang thống kê {period.window_text}"
    return "", ""


def _measure(
    criterion: Criterion, values: dict[Figure, object]
) -> tuple[Decimal | None, Decimal | None, str]:
    """(numerator, denominator, value text) — for a deduction the numerator is the
    number of occurrences and the denominator None."""
    _, shown, num_fig, den_fig = _figures_for(criterion)
    if num_fig is not None:
        num, den = values[num_fig], values[den_fig]
        if num is None or den is None:
            return None, None, catalogue.NO_DATA
        num, den = Decimal(num), Decimal(den)
        text = f"{format_number(num)}/{format_number(den)}"
        if den:
            text += f" = {pct(num * 100 / den, trim=False)}"
        return num, den, text
    value = values[shown]
    if value is None:
        return None, None, catalogue.NO_DATA
    if criterion.rule_kind in RATE_KINDS:
        return Decimal(value), Decimal(100), shown.format(value)
    return Decimal(value), None, shown.format(value)


def suggest(
    assessment: Assessment, criterion: Criterion, values: dict[Figure, object], period: Period
) -> Suggestion:
    """The suggestion for one bound criterion from evaluated figure values."""
    _, shown, num_fig, den_fig = _figures_for(criterion)
    rule = criterion.rule_obj
    numerator, denominator, value_text = _measure(criterion, values)
    if rule.kind == RuleKind.DEDUCTION:
        outcome = rule.apply(criterion.max_points, occurrences=numerator)
    else:
        outcome = rule.apply(criterion.max_points, numerator=numerator, denominator=denominator)
    url, label = records_link(assessment, criterion, period)
    keys = tuple(k for k in (criterion.figure, criterion.numerator_figure, criterion.denominator_figure) if k)
    figure_label = (
        shown.label if num_fig is None or criterion.figure else f"{num_fig.label} / {den_fig.label}"
    )
    return Suggestion(
        code=criterion.code,
        points=outcome.points,
        not_applicable=outcome.not_applicable,
        explanation=outcome.explanation,
        rule_text=criterion.rule_text,
        figure_label=figure_label,
        figure_keys=keys,
        value_text=value_text,
        numerator=numerator,
        denominator=denominator,
        date_from=period.date_from,
        date_to=period.date_to,
        records_url=url,
        records_label=label,
    )


def suggestions_for(assessment: Assessment, criteria: list[Criterion] | None = None) -> dict[int, Suggestion]:
    """Suggestions for every bound leaf criterion of the assessment (by criterion id),
    each provider of the catalogue called once for the window."""
    period = assessment.criteria_set.window
    if criteria is None:
        criteria = [s.criterion for s in assessment.scores.select_related("criterion")]
    bound = [c for c in criteria if c.is_bound and c.rule_obj.is_computed]
    if not bound:
        return {}
    wanted: list[Figure] = []
    usable: list[Criterion] = []
    out: dict[int, Suggestion] = {}
    for criterion in bound:
        try:
            needed, *_ = _figures_for(criterion)
        except catalogue.UnknownFigure as exc:
            out[criterion.pk] = _failed(criterion, period, str(exc))
            continue
        usable.append(criterion)
        wanted.extend(f for f in needed if f not in wanted)
    scope = Scope.of(commune_ids=[assessment.commune_id], date_from=period.date_from, date_to=period.date_to)
    try:
        values = evaluate(wanted, scope)
    except Exception as exc:  # a provider's failure must not take the scoring page down
        log.exception("PAR index: figures of assessment %s could not be evaluated", assessment.pk)
        for criterion in usable:
            out[criterion.pk] = _failed(
                criterion, period, f"Không tính được số liệu ({exc.__class__.__name__})."
            )
        return out
    for criterion in usable:
        try:
            out[criterion.pk] = suggest(assessment, criterion, values, period)
        except Exception as exc:  # bad data (e.g. a count above its total) is shown, not raised
            message = getattr(exc, "messages", [str(exc)])
            out[criterion.pk] = _failed(criterion, period, " ".join(message))
    return out


def _failed(criterion: Criterion, period: Period, error: str) -> Suggestion:
    return Suggestion(
        code=criterion.code,
        points=None,
        not_applicable=False,
        explanation="",
        rule_text=criterion.rule_text,
        figure_label="",
        figure_keys=(),
        value_text="",
        numerator=None,
        denominator=None,
        date_from=period.date_from,
        date_to=period.date_to,
        error=error,
    )
