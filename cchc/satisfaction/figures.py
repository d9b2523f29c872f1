"""Satisfaction figures (SIPAS ratings, QĐ 766 satisfaction with procedure handling),
declared once for the whole product (catalogue: `cchc.core.figures`; list:
docs/figures.md)."""

from __future__ import annotations

from cchc.core.figures import PERCENT, Figure, Scope, register

from .services import SatisfactionCounts, filtered_ratings, satisfaction_counts

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

STATISTICS = (RATED, SATISFIED, RATE, PROCEDURE_766)
BY_OFFICER = (RATED, SATISFIED, RATE)

register(*STATISTICS)
