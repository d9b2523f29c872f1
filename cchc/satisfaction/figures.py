"""Satisfaction figures (SIPAS ratings, QĐ 766 satisfaction with procedure handling),
declared once for the whole product (catalogue: `cchc.core.figures`; list:
docs/figures.md)."""

from __future__ import annotations

from cchc.core.figures import PERCENT, Figure, Scope, register

from .models import FACTORS
from .services import SatisfactionCounts, filtered_ratings, satisfaction_counts, satisfaction_means

FILTERS = frozenset({"department", "procedure"})
OFFICER_FILTERS = FILTERS | {"officer"}
SOURCE = "QĐ 1001/QĐ-BNV (SIPAS); docs/rules.md §9"


def _args(scope: Scope) -> dict:
    return dict(
        commune_ids=scope.commune_ids,
        date_from=scope.date_from,
        date_to=scope.date_to,
        department=scope.get("department"),
        procedure=scope.get("procedure"),
        officer=scope.get("officer"),
    )


def counts(scope: Scope) -> SatisfactionCounts:
    return satisfaction_counts(**_args(scope))


counts.by_commune = lambda scope: satisfaction_counts(**_args(scope), grouped=True)


def _rated_rows(scope: Scope):
    return filtered_ratings(**_args(scope))


RATED = Figure(
    key="satisfaction.rated",
    label="Lượt đánh giá sự hài lòng",
    unit="lượt",
    definition=(
        "Số lượt người dân, tổ chức đánh giá trong kỳ (thời điểm đánh giá trong cửa sổ số liệu); mỗi hồ "
        "sơ đã giải quyết được đánh giá một lần, tại quầy hoặc qua mã QR trên phiếu kết quả."
    ),
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.rated,
    filters=OFFICER_FILTERS,
    records=_rated_rows,
)
SATISFIED = Figure(
    key="satisfaction.satisfied",
    label="Lượt đánh giá hài lòng",
    unit="lượt",
    definition="Trong số lượt đánh giá của kỳ, số lượt trả lời “hài lòng” ở câu đánh giá chung.",
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.satisfied,
    filters=OFFICER_FILTERS,
    records=lambda scope: _rated_rows(scope).filter(satisfied=True),
)
RATE = Figure(
    key="satisfaction.rate",
    label="Tỷ lệ người dân, tổ chức hài lòng",
    unit=PERCENT,
    definition=(
        "Lượt đánh giá hài lòng ÷ lượt đánh giá trong kỳ × 100. Không có lượt đánh giá: chưa có dữ liệu."
    ),
    source=SOURCE + "; Kế hoạch CCHC (chỉ tiêu ≥ 90%)",
    provider=counts,
    pick=lambda c: c.satisfaction_rate,
    filters=OFFICER_FILTERS,
    numerator=SATISFIED,
    denominator=RATED,
)
PROCEDURE_766 = Figure(
    key="satisfaction.procedure_766",
    label="Mức độ hài lòng về giải quyết TTHC (QĐ 766)",
    unit=PERCENT,
    definition=(
        "100% − (số hồ sơ giải quyết quá hạn + số hồ sơ có đánh giá “không hài lòng”) ÷ số hồ sơ đã giải "
        "quyết trong kỳ × 100, không dưới 0. Hai tỷ lệ được cộng như quyết định quy định: hồ sơ vừa quá hạn "
        "vừa bị phàn nàn bị trừ hai lần. Không có hồ sơ đã giải quyết: chưa có dữ liệu."
    ),
    source="QĐ 766/QĐ-TTg; docs/rules.md §9, §14",
    provider=counts,
    pick=lambda c: c.procedure_satisfaction_766,
    filters=FILTERS,
)

COMPLAINTS = Figure(
    key="satisfaction.complaints",
    label="Hồ sơ bị đánh giá không hài lòng",
    unit="hồ sơ",
    definition=(
        "Trong số hồ sơ đã giải quyết trong kỳ, số hồ sơ có phiếu đánh giá “không hài lòng” (đánh giá vào bất "
        "kỳ lúc nào) — phần “có phản ánh, không hài lòng” của chỉ số QĐ 766."
    ),
    source="QĐ 766/QĐ-TTg; docs/rules.md §9",
    provider=counts,
    pick=lambda c: c.with_complaint,
    filters=FILTERS,
)


def means(scope: Scope) -> dict[str, object]:
    """Mean 1–5 score of each SIPAS factor over the ratings of the window."""
    return satisfaction_means(**_args(scope))


def _mean(key: str, label: str) -> Figure:
    return Figure(
        key=f"satisfaction.mean_{key}",
        label=f"Điểm trung bình: {label}",
        unit="điểm",
        definition=(
            f"Trung bình điểm (1–5) của tiêu chí “{label}” trên các phiếu đánh giá trong kỳ, làm tròn 2 chữ số "
            "thập phân. Không có phiếu: chưa có dữ liệu."
        ),
        source=SOURCE,
        provider=means,
        pick=lambda m: m[key],
        filters=OFFICER_FILTERS,
    )


FACTOR_MEANS = tuple(_mean(key, label) for key, label in FACTORS.items())

STATISTICS = (RATED, SATISFIED, RATE, PROCEDURE_766, COMPLAINTS)
BY_OFFICER = (RATED, SATISFIED, RATE)

register(*STATISTICS, *FACTOR_MEANS)
