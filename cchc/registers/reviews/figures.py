"""Figures of the procedure-review register (docs/registers.md, "Rà soát TTHC").

The rows counted are the reviews of the scope's communes whose review date falls
in the window (both ends included). A proposal is a review whose option is not
"keep". Outcomes are those known at the window's end: a proposal answered after
`date_to` still counts as waiting. Filter: `proposal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from cchc.core.figures import PERCENT, Figure, Scope, percent, register

from .models import ACCEPTED, DECIDED, ProcedureReview, Proposal

SOURCE = (
    "Nghị định 63/2010/NĐ-CP về kiểm soát thủ tục hành chính (sửa đổi bởi Nghị định 48/2013/NĐ-CP, "
    "92/2017/NĐ-CP), chương rà soát, đánh giá TTHC; Thông tư 02/2017/TT-VPCP (rà soát, đánh giá, tính chi phí "
    "tuân thủ); Kế hoạch CCHC của xã, mục II.3b; docs/registers.md"
)
FILTERS = frozenset({"proposal"})


@dataclass(frozen=True)
class ReviewCounts:
    reviews: int
    procedures: int
    proposals: int
    sent: int
    decided: int
    accepted: int
    saving: Decimal

    @property
    def accepted_rate(self) -> Decimal | None:
        return percent(self.accepted, self.decided)


def records(scope: Scope) -> QuerySet[ProcedureReview]:
    qs = ProcedureReview.objects.filter(
        commune_id__in=scope.commune_ids, reviewed_on__gte=scope.date_from, reviewed_on__lte=scope.date_to
    )
    if scope.get("proposal"):
        qs = qs.filter(proposal=scope.get("proposal"))
    return qs


def _aggregates(scope: Scope) -> dict:
    proposal = ~Q(proposal=Proposal.KEEP)
    sent = proposal & Q(sent_on__isnull=False, sent_on__lte=scope.date_to)
    decided = proposal & Q(status__in=DECIDED, outcome_on__lte=scope.date_to)
    accepted = proposal & Q(status__in=ACCEPTED, outcome_on__lte=scope.date_to)
    costed = proposal & Q(cost_before__isnull=False, cost_after__isnull=False)
    return {
        "reviews": Count("id"),
        "procedures": Count("procedure_id", distinct=True),
        "proposals": Count("id", filter=proposal),
        "sent": Count("id", filter=sent),
        "decided": Count("id", filter=decided),
        "accepted": Count("id", filter=accepted),
        "saving": Sum(F("cost_before") - F("cost_after"), filter=costed),
    }


def _bundle(values: dict) -> ReviewCounts:
    saving = values.get("saving")
    return ReviewCounts(
        reviews=values.get("reviews") or 0,
        procedures=values.get("procedures") or 0,
        proposals=values.get("proposals") or 0,
        sent=values.get("sent") or 0,
        decided=values.get("decided") or 0,
        accepted=values.get("accepted") or 0,
        saving=Decimal(saving or 0),
    )


def review_counts(scope: Scope) -> ReviewCounts:
    return _bundle(records(scope).aggregate(**_aggregates(scope)))


def _by_commune(scope: Scope) -> dict[int, ReviewCounts]:
    rows = {r["commune_id"]: r for r in records(scope).values("commune_id").annotate(**_aggregates(scope))}
    return {cid: _bundle(rows.get(cid, {})) for cid in scope.commune_ids}


review_counts.by_commune = _by_commune


def _proposals(scope: Scope):
    return records(scope).exclude(proposal=Proposal.KEEP)


REVIEWED = Figure(
    key="procedure_reviews.reviewed",
    label="Số thủ tục hành chính được rà soát",
    unit="thủ tục",
    definition="Số thủ tục (đếm mỗi thủ tục một lần) có dòng rà soát với ngày rà soát trong kỳ.",
    source=SOURCE,
    provider=review_counts,
    pick=lambda c: c.procedures,
    filters=FILTERS,
    records=records,
)
PROPOSALS = Figure(
    key="procedure_reviews.proposals",
    label="Số kiến nghị đơn giản hóa thủ tục hành chính",
    unit="kiến nghị",
    definition="Số dòng rà soát trong kỳ có phương án đơn giản hóa, bãi bỏ hoặc gộp (khác “giữ nguyên”).",
    source=SOURCE,
    provider=review_counts,
    pick=lambda c: c.proposals,
    filters=FILTERS,
    records=_proposals,
)
SENT = Figure(
    key="procedure_reviews.sent",
    label="Số kiến nghị đơn giản hóa đã gửi cơ quan có thẩm quyền",
    unit="kiến nghị",
    definition="Trong các kiến nghị của kỳ, số đã gửi (ngày gửi không sau ngày cuối kỳ).",
    source=SOURCE,
    provider=review_counts,
    pick=lambda c: c.sent,
    filters=FILTERS,
    records=lambda s: _proposals(s).filter(sent_on__isnull=False, sent_on__lte=s.date_to),
)
ACCEPTED_COUNT = Figure(
    key="procedure_reviews.accepted",
    label="Số kiến nghị đơn giản hóa được chấp nhận",
    unit="kiến nghị",
    definition=(
        "Trong các kiến nghị của kỳ, số được chấp nhận toàn bộ hoặc một phần, với ngày có kết quả không sau "
        "ngày cuối kỳ."
    ),
    source=SOURCE,
    provider=review_counts,
    pick=lambda c: c.accepted,
    filters=FILTERS,
    records=lambda s: _proposals(s).filter(status__in=ACCEPTED, outcome_on__lte=s.date_to),
)
DECIDED_COUNT = Figure(
    key="procedure_reviews.decided",
    label="Số kiến nghị đơn giản hóa đã có kết quả xử lý",
    unit="kiến nghị",
    definition="Trong các kiến nghị của kỳ, số đã có kết quả (chấp nhận, chấp nhận một phần, không chấp nhận) đến ngày cuối kỳ.",
    source=SOURCE,
    provider=review_counts,
    pick=lambda c: c.decided,
    filters=FILTERS,
    records=lambda s: _proposals(s).filter(status__in=DECIDED, outcome_on__lte=s.date_to),
)
ACCEPTED_RATE = Figure(
    key="procedure_reviews.accepted_rate",
    label="Tỷ lệ kiến nghị đơn giản hóa được chấp nhận",
    unit=PERCENT,
    definition=(
        "Kiến nghị được chấp nhận (toàn bộ hoặc một phần) ÷ kiến nghị đã có kết quả, trong các kiến nghị của kỳ; "
        "chưa có kiến nghị nào có kết quả thì “chưa có dữ liệu”."
    ),
    source=SOURCE,
    provider=review_counts,
    pick=lambda c: c.accepted_rate,
    filters=FILTERS,
    numerator=ACCEPTED_COUNT,
    denominator=DECIDED_COUNT,
)
SAVING = Figure(
    key="procedure_reviews.saving",
    label="Chi phí tuân thủ TTHC ước tiết kiệm được theo kiến nghị",
    unit="đồng/năm",
    definition=(
        "Tổng (chi phí tuân thủ trước − chi phí tuân thủ sau) của các kiến nghị trong kỳ có ghi cả hai chi phí "
        "(cách tính theo Thông tư 02/2017/TT-VPCP); kiến nghị không ghi chi phí không được cộng, nên 0 có thể là "
        "“chưa ước tính” — xem số kiến nghị."
    ),
    source=SOURCE,
    provider=review_counts,
    pick=lambda c: c.saving,
    filters=FILTERS,
    records=lambda s: _proposals(s).filter(cost_before__isnull=False, cost_after__isnull=False),
)

FIGURES = [REVIEWED, PROPOSALS, SENT, DECIDED_COUNT, ACCEPTED_COUNT, ACCEPTED_RATE, SAVING]
register(*FIGURES)
HEADLINE = [REVIEWED, PROPOSALS, ACCEPTED_COUNT, ACCEPTED_RATE]
