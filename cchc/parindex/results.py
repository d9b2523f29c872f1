"""Results of an assessment and the province's ranking (docs/par-index.md, "Results").

Two sides are computed from the same tree: the commune's self-assessment and the
appraisal. For each node: its maximum, its applicable maximum (the maximum less the
criteria found not applicable), its points (a leaf's score; a parent's is the sum of
its children's, never above its maximum) and its percentage of the applicable
maximum. Survey criteria are scored by the appraiser only, so they are outside the
self-assessment's maximum.

The total is put back on the set's scale when criteria are not applicable:
scaled = points ÷ applicable maximum × scale, shown with its arithmetic. The
percentage and the result group (the set's bands) use the same ratio.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .models import FINAL_STATUSES, SENT_STATUSES, Assessment, CriteriaSet, Criterion, Score, Status
from .rules import RuleKind, pct, pts, rounded

ZERO = Decimal(0)


@dataclass
class Side:
    points: Decimal = ZERO
    applicable: Decimal = ZERO
    missing: int = 0  # leaves without a score on this side
    not_applicable: list[str] = field(default_factory=list)
    survey: list[str] = field(default_factory=list)  # left out of the self side

    @property
    def percent(self) -> Decimal | None:
        return rounded(self.points * 100 / self.applicable) if self.applicable else None


@dataclass
class NodeResult:
    criterion: Criterion
    score: Score | None
    children: list[NodeResult] = field(default_factory=list)
    self: Side = field(default_factory=Side)
    appraised: Side = field(default_factory=Side)

    @property
    def code(self) -> str:
        return self.criterion.code

    @property
    def max_points(self) -> Decimal:
        return self.criterion.max_points

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass
class Total:
    points: Decimal
    applicable: Decimal
    maximum: Decimal
    scale: Decimal
    not_applicable: list[str]
    missing: int
    survey: list[str] = field(default_factory=list)

    @property
    def scaled(self) -> Decimal | None:
        return rounded(self.points * self.scale / self.applicable) if self.applicable else None

    @property
    def percent(self) -> Decimal | None:
        return rounded(self.points * 100 / self.applicable) if self.applicable else None

    @property
    def rescaled(self) -> bool:
        return self.applicable != self.scale

    @property
    def rescale_text(self) -> str:
        """'Quy đổi: 80,5 ÷ 94 × 100 = 85,64 (không áp dụng: 7.2)' when the applicable
        maximum differs from the scale; '' otherwise."""
        if not self.rescaled or not self.applicable:
            return ""
        text = f"Quy đổi về thang {pts(self.scale)}: {pts(self.points)} ÷ {pts(self.applicable)} × {pts(self.scale)} = {pts(self.scaled)}"
        notes = []
        if self.not_applicable:
            notes.append(f"không áp dụng: {', '.join(self.not_applicable)}")
        if self.survey:
            notes.append(f"điều tra xã hội học do cấp trên chấm: {', '.join(self.survey)}")
        return text + (f" ({'; '.join(notes)})" if notes else "")

    @property
    def complete(self) -> bool:
        return self.missing == 0


@dataclass
class Result:
    assessment: Assessment
    nodes: list[NodeResult]  # document order
    areas: list[NodeResult]  # the roots
    self_total: Total
    appraised_total: Total

    @property
    def final(self) -> Total:
        """The appraisal once it is done, the self-assessment before."""
        return self.appraised_total if self.assessment.status in FINAL_STATUSES else self.self_total

    @property
    def is_final(self) -> bool:
        return self.assessment.status in FINAL_STATUSES

    def band(self) -> str:
        return self.assessment.criteria_set.band_for(self.final.percent)


def _leaf(node: NodeResult) -> None:
    c, s = node.criterion, node.score
    survey = c.rule_kind == RuleKind.SURVEY
    # The commune's side (survey criteria are outside it).
    if survey:
        node.self.survey.append(c.code)
    elif s is not None and s.self_not_applicable:
        node.self.not_applicable.append(c.code)
    else:
        node.self.applicable = c.max_points
        if s is not None and s.self_points is not None:
            node.self.points = s.self_points
        else:
            node.self.missing = 1
    # The appraiser's side.
    if s is not None and s.appraised_not_applicable:
        node.appraised.not_applicable.append(c.code)
    else:
        node.appraised.applicable = c.max_points
        if s is not None and s.appraised_points is not None:
            node.appraised.points = s.appraised_points
        else:
            node.appraised.missing = 1


def _parent(node: NodeResult) -> None:
    for name in ("self", "appraised"):
        side: Side = getattr(node, name)
        kids = [getattr(k, name) for k in node.children]
        full = sum((k.criterion.max_points for k in node.children), ZERO)
        applicable = sum((k.applicable for k in kids), ZERO)
        # The parent's applicable maximum: its maximum less what its children lost,
        # (the same as the children's applicable sum when their maxima add up to it).
        side.applicable = max(node.max_points - (full - applicable), ZERO)
        side.points = min(sum((k.points for k in kids), ZERO), side.applicable)
        side.missing = sum(k.missing for k in kids)
        side.not_applicable = [code for k in kids for code in k.not_applicable]
        side.survey = [code for k in kids for code in k.survey]


def compute(
    assessment: Assessment, scores: Iterable[Score] | None = None, criteria: list[Criterion] | None = None
) -> Result:
    """The result tree of one assessment (pass `scores` / `criteria` already loaded to
    compute many assessments without a query each)."""
    criteria_set = assessment.criteria_set
    if criteria is None:
        criteria = list(criteria_set.criteria.all())
    if scores is None:
        scores = assessment.scores.all()
    by_criterion = {s.criterion_id: s for s in scores}
    nodes = {c.pk: NodeResult(c, by_criterion.get(c.pk)) for c in criteria}
    roots: list[NodeResult] = []
    for c in criteria:
        if c.parent_id is None:
            roots.append(nodes[c.pk])
        else:
            nodes[c.parent_id].children.append(nodes[c.pk])
    ordered = [nodes[c.pk] for c in criteria]
    for node in reversed(ordered):  # children before parents (document order reversed)
        if node.is_leaf:
            _leaf(node)
        else:
            _parent(node)

    def total(name: str) -> Total:
        sides = [getattr(r, name) for r in roots]
        return Total(
            points=sum((s.points for s in sides), ZERO),
            applicable=sum((s.applicable for s in sides), ZERO),
            maximum=sum((r.max_points for r in roots), ZERO),
            scale=criteria_set.scale,
            not_applicable=[code for s in sides for code in s.not_applicable],
            missing=sum(s.missing for s in sides),
            survey=[code for s in sides for code in s.survey],
        )

    # The self-assessment's applicable maximum leaves survey criteria out, so that
    # it, too, is put back on the set's scale (70 of 70 self-assessed reads 100).
    return Result(assessment, ordered, roots, total("self"), total("appraised"))


def last_year(assessment: Assessment) -> Result | None:
    """The commune's result of the year before (appraised if it was), for the chart."""
    previous = (
        Assessment.objects.filter(commune_id=assessment.commune_id, year=assessment.year - 1)
        .select_related("criteria_set", "commune")
        .order_by("-criteria_set__version")
        .first()
    )
    return compute(previous) if previous is not None else None


# --- the chart -----------------------------------------------------------------------------
def area_chart_svg(result: Result, previous: Result | None = None) -> str:
    """One horizontal bar group per area: the maximum (outline), this year's points
    (self-assessed, and appraised once there is an appraisal) and last year's, with
    the numbers written beside the bars — a server-rendered SVG (no script, prints)."""
    from django.utils.html import escape

    prev_by_code = {a.code: a for a in previous.areas} if previous else {}
    rows = result.areas
    label_w, bar_w, row_h = 260, 360, 58 if previous else 44
    height = 34 + row_h * len(rows) + 10
    width = label_w + bar_w + 150
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Điểm từng lĩnh vực so với điểm tối đa" font-family="sans-serif" font-size="12">'
    ]
    legend = [("#9ec5fe", "Tự đánh giá")]
    if result.assessment.status in SENT_STATUSES:
        legend.append(("#0a58ca", "Thẩm định"))
    if previous:
        legend.append(("#adb5bd", f"Năm {previous.assessment.year}"))
    x = label_w
    for color, text in legend:
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{color}"/><text x="{x + 16}" y="16">{escape(text)}</text>'
        )
        x += 24 + 8 * len(text)
    parts.append(
        f'<rect x="{x}" y="6" width="12" height="12" fill="none" stroke="#6c757d"/><text x="{x + 16}" y="16">Điểm tối đa</text>'
    )
    top_max = max((a.max_points for a in rows), default=Decimal(1)) or Decimal(1)
    for i, area in enumerate(rows):
        y = 34 + i * row_h
        title = f"{area.code}. {area.criterion.title}"
        short = title if len(title) <= 40 else title[:39] + "…"
        parts.append(f'<text x="0" y="{y + 12}"><title>{escape(title)}</title>{escape(short)}</text>')
        full = float(area.max_points / top_max) * bar_w
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{full:.1f}" height="{row_h - 14}" fill="none" stroke="#6c757d"/>'
        )
        bars = [("#9ec5fe", area.self.points, "tự đánh giá")]
        if result.assessment.status in SENT_STATUSES and area.appraised.missing < _leaves(area):
            bars.append(("#0a58ca", area.appraised.points, "thẩm định"))
        if previous:
            old = prev_by_code.get(area.code)
            if old is not None:
                side = old.appraised if previous.is_final else old.self
                bars.append(("#adb5bd", side.points, f"năm {previous.assessment.year}"))
        bar_h = (row_h - 14) / max(len(bars), 1)
        for j, (color, value, what) in enumerate(bars):
            w = float(min(value, area.max_points) / top_max) * bar_w
            by = y + j * bar_h
            parts.append(
                f'<rect x="{label_w}" y="{by:.1f}" width="{w:.1f}" height="{bar_h - 1:.1f}" fill="{color}">'
                f"<title>{escape(what)}: {pts(value)}/{pts(area.max_points)}</title></rect>"
            )
        text = " · ".join(f"{pts(v)}" for _, v, _ in bars)
        parts.append(
            f'<text x="{label_w + full + 6:.1f}" y="{y + 14}">{escape(text)} / {pts(area.max_points)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _leaves(node: NodeResult) -> int:
    return 1 if node.is_leaf else sum(_leaves(k) for k in node.children)


# --- the province's table ------------------------------------------------------------------------
@dataclass
class RankRow:
    commune: object
    assessment: Assessment | None
    result: Result | None
    rank: int | None = None
    band: str = ""
    ranked: bool = False  # sent (or, for the published table, published)

    @property
    def status_label(self) -> str:
        return self.assessment.get_status_display() if self.assessment else "Chưa lập bản tự đánh giá"

    @property
    def is_sent(self) -> bool:
        return self.ranked

    @property
    def provisional(self) -> bool:
        """Ranked on the self-assessment: not appraised yet."""
        return self.result is not None and not self.result.is_final

    @property
    def total(self) -> Total | None:
        return self.result.final if self.result else None

    def area_points(self, code: str) -> Decimal | None:
        if self.result is None:
            return None
        for area in self.result.areas:
            if area.code == code:
                return (area.appraised if self.result.is_final else area.self).points
        return None


@dataclass
class Ranking:
    criteria_set: CriteriaSet  # the reference version (areas, bands)
    rows: list[RankRow]  # ranked rows first, then the others
    areas: list[Criterion]
    published_only: bool = False

    @property
    def not_sent(self) -> list[RankRow]:
        return [r for r in self.rows if not r.is_sent]

    @property
    def sent(self) -> list[RankRow]:
        return [r for r in self.rows if r.is_sent]

    def by_band(self) -> list[tuple[str, list[RankRow]]]:
        groups: dict[str, list[RankRow]] = {}
        for row in self.sent:
            groups.setdefault(row.band or "Chưa xếp nhóm", []).append(row)
        order = [
            b["label"]
            for b in sorted(
                self.criteria_set.bands or [], key=lambda b: Decimal(str(b["from"])), reverse=True
            )
        ]
        return sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))


def ranking(
    criteria_set: CriteriaSet, *, commune_ids: Iterable[int] | None = None, published_only: bool = False
) -> Ranking:
    """Every commune under the set's issuing unit (or `commune_ids` of them), with its
    assessment in any version of the set: ranked by the result in % of the applicable
    maximum (the appraisal once done, else the self-assessment, marked provisional);
    communes that have not sent theirs are listed after, unranked (completeness).
    Equal results share a rank."""
    communes = criteria_set.owner.descendant_communes().filter(is_active=True).order_by("name")
    if commune_ids is not None:
        communes = communes.filter(pk__in=list(commune_ids))
    communes = list(communes)
    family = criteria_set.family()
    assessments = {
        a.commune_id: a
        for a in Assessment.objects.filter(criteria_set__in=family, commune__in=communes).select_related(
            "criteria_set", "commune"
        )
    }
    criteria_by_set: dict[int, list[Criterion]] = {}
    scores_by_assessment: dict[int, list[Score]] = {}
    for score in Score.objects.filter(assessment__in=assessments.values()):
        scores_by_assessment.setdefault(score.assessment_id, []).append(score)
    rows = []
    for commune in communes:
        a = assessments.get(commune.pk)
        result = None
        if a is not None:
            if a.criteria_set_id not in criteria_by_set:
                criteria_by_set[a.criteria_set_id] = list(a.criteria_set.criteria.all())
            result = compute(a, scores_by_assessment.get(a.pk, []), criteria_by_set[a.criteria_set_id])
        ranked = a is not None and (a.status == Status.PUBLISHED if published_only else a.is_sent)
        row = RankRow(commune=commune, assessment=a, result=result, ranked=ranked)
        if row.is_sent and result is not None:
            row.band = a.criteria_set.band_for(result.final.percent)
        rows.append(row)
    ranked = sorted(
        (r for r in rows if r.is_sent), key=lambda r: (-(r.total.percent or ZERO), r.commune.name)
    )
    previous_value, previous_rank = None, 0
    for index, row in enumerate(ranked, start=1):
        value = row.total.percent
        row.rank = previous_rank if value == previous_value else index
        previous_value, previous_rank = value, row.rank
    others = [r for r in rows if not r.is_sent]
    reference = family.filter(status="open").first() or criteria_set
    areas = [c for c in reference.criteria.all() if c.parent_id is None]
    return Ranking(reference, ranked + others, areas, published_only)


def percent_text(value: Decimal | None) -> str:
    return "—" if value is None else pct(value, trim=False)
