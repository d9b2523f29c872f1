"""Figures of the legal-documents register (docs/registers.md, "Văn bản của xã").

Issued: documents whose date of issue falls in the window. Reviewed / found /
handled: documents (each counted once) with a finding dated in the window; a
problem (unlawful, no longer suitable, overlapping, expired but not published)
counts as handled when its handling is dated on or before the window's last day.
In force: legal normative documents in force on the window's last day — effective
by then (or issued, when no effective date is recorded) and not ended on or before
it; a document amended in part is still in force. Filters: `kind`, `issuer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from cchc.core.figures import PERCENT, Figure, Scope, percent, register

from .models import PROBLEMS, Finding, LegalDocument, ReviewRound, RoundKind, Verdict

SOURCE = (
    "Luật Ban hành văn bản quy phạm pháp luật 2025 (64/2025/QH15); Nghị định 79/2025/NĐ-CP về kiểm tra, rà "
    "soát, hệ thống hóa và xử lý văn bản quy phạm pháp luật (trước đó Nghị định 34/2016/NĐ-CP); Kế hoạch CCHC "
    "của xã, mục II.2; docs/registers.md"
)
FILTERS = frozenset({"kind", "issuer"})


def documents(scope: Scope) -> QuerySet[LegalDocument]:
    qs = LegalDocument.objects.filter(commune_id__in=scope.commune_ids)
    if scope.get("kind"):
        qs = qs.filter(kind=scope.get("kind"))
    if scope.get("issuer"):
        qs = qs.filter(issuer=scope.get("issuer"))
    return qs


def issued(scope: Scope) -> QuerySet[LegalDocument]:
    return documents(scope).normative().filter(issued_on__gte=scope.date_from, issued_on__lte=scope.date_to)


def decisions(scope: Scope) -> QuerySet[LegalDocument]:
    return documents(scope).filter(
        is_normative=False, issued_on__gte=scope.date_from, issued_on__lte=scope.date_to
    )


def findings(scope: Scope) -> QuerySet[Finding]:
    return Finding.objects.filter(
        commune_id__in=scope.commune_ids,
        reviewed_on__gte=scope.date_from,
        reviewed_on__lte=scope.date_to,
        document__in=documents(scope),
    )


def problems(scope: Scope) -> QuerySet[Finding]:
    return findings(scope).filter(verdict__in=PROBLEMS)


def handled(scope: Scope) -> QuerySet[Finding]:
    return problems(scope).filter(handled_on__isnull=False, handled_on__lte=scope.date_to)


def in_force(scope: Scope) -> QuerySet[LegalDocument]:
    return documents(scope).normative().in_force_on(scope.date_to)


def rounds(scope: Scope) -> QuerySet[ReviewRound]:
    return ReviewRound.objects.filter(
        commune_id__in=scope.commune_ids, started_on__gte=scope.date_from, started_on__lte=scope.date_to
    )


def _distinct_documents(qs) -> int:
    return qs.values("document_id").distinct().count()


@dataclass(frozen=True)
class LegalCounts:
    issued: int
    decisions: int
    reviewed: int
    found: int
    found_unlawful: int
    handled: int
    in_force: int
    rounds: int
    self_checks: int

    @property
    def handled_rate(self) -> Decimal | None:
        return percent(self.handled, self.found)


def legal_counts(scope: Scope) -> LegalCounts:
    return LegalCounts(
        issued=issued(scope).count(),
        decisions=decisions(scope).count(),
        reviewed=_distinct_documents(findings(scope)),
        found=_distinct_documents(problems(scope)),
        found_unlawful=_distinct_documents(problems(scope).filter(verdict=Verdict.UNLAWFUL)),
        handled=_distinct_documents(handled(scope)),
        in_force=in_force(scope).count(),
        rounds=rounds(scope).count(),
        self_checks=rounds(scope).filter(kind=RoundKind.SELF_CHECK).count(),
    )


def _figure(key, label, unit, definition, pick, records=None, filters=FILTERS, **kw) -> Figure:
    return Figure(
        key=key,
        label=label,
        unit=unit,
        definition=definition,
        source=SOURCE,
        provider=legal_counts,
        pick=pick,
        filters=filters,
        records=records,
        **kw,
    )


def _documents_of(finding_qs):
    return lambda scope: LegalDocument.objects.filter(pk__in=finding_qs(scope).values("document_id"))


ISSUED = _figure(
    "legal.issued",
    "Số văn bản quy phạm pháp luật của xã ban hành",
    "văn bản",
    "Số nghị quyết của HĐND xã và quyết định quy phạm pháp luật của UBND xã có ngày ban hành trong kỳ.",
    lambda c: c.issued,
    records=issued,
)
DECISIONS = _figure(
    "legal.decisions_issued",
    "Số quyết định hành chính chủ yếu của xã ban hành",
    "văn bản",
    "Số văn bản không phải quy phạm pháp luật ghi trong sổ (quyết định hành chính chủ yếu) có ngày ban hành trong kỳ.",
    lambda c: c.decisions,
    records=decisions,
)
REVIEWED = _figure(
    "legal.reviewed",
    "Số văn bản được rà soát, tự kiểm tra",
    "văn bản",
    "Số văn bản (mỗi văn bản một lần) có kết quả rà soát, tự kiểm tra với ngày rà soát trong kỳ.",
    lambda c: c.reviewed,
    records=_documents_of(findings),
)
FOUND = _figure(
    "legal.found",
    "Số văn bản phát hiện trái pháp luật, không còn phù hợp",
    "văn bản",
    "Trong các văn bản rà soát trong kỳ, số văn bản có kết quả: trái pháp luật, không còn phù hợp, chồng chéo "
    "mâu thuẫn, hoặc đã hết hiệu lực mà chưa được công bố.",
    lambda c: c.found,
    records=_documents_of(problems),
)
FOUND_UNLAWFUL = _figure(
    "legal.found_unlawful",
    "Số văn bản phát hiện trái pháp luật",
    "văn bản",
    "Trong các văn bản rà soát trong kỳ, số văn bản có kết quả “trái pháp luật”.",
    lambda c: c.found_unlawful,
    records=_documents_of(lambda s: problems(s).filter(verdict=Verdict.UNLAWFUL)),
)
HANDLED = _figure(
    "legal.handled",
    "Số văn bản phát hiện có vấn đề đã được xử lý",
    "văn bản",
    "Trong các văn bản phát hiện có vấn đề trong kỳ, số văn bản đã xử lý xong (sửa đổi, thay thế, bãi bỏ, công bố "
    "hết hiệu lực…) đến ngày cuối kỳ.",
    lambda c: c.handled,
    records=_documents_of(handled),
)
HANDLED_RATE = _figure(
    "legal.handled_rate",
    "Tỷ lệ văn bản phát hiện có vấn đề đã được xử lý",
    PERCENT,
    "Văn bản đã xử lý ÷ văn bản phát hiện có vấn đề, trong các văn bản rà soát trong kỳ; không phát hiện văn bản "
    "nào thì “chưa có dữ liệu”.",
    lambda c: c.handled_rate,
    numerator=HANDLED,
    denominator=FOUND,
)
IN_FORCE = _figure(
    "legal.in_force",
    "Số văn bản quy phạm pháp luật của xã còn hiệu lực",
    "văn bản",
    "Số văn bản quy phạm pháp luật của xã còn hiệu lực (toàn bộ hoặc một phần) vào ngày cuối kỳ.",
    lambda c: c.in_force,
    records=in_force,
)
ROUNDS = _figure(
    "legal.review_rounds",
    "Số đợt rà soát, tự kiểm tra văn bản",
    "đợt",
    "Số đợt rà soát, tự kiểm tra văn bản bắt đầu trong kỳ.",
    lambda c: c.rounds,
    records=rounds,
    filters=frozenset(),  # rounds are not of a document kind or issuer
)

FIGURES = [ISSUED, DECISIONS, REVIEWED, FOUND, FOUND_UNLAWFUL, HANDLED, HANDLED_RATE, IN_FORCE, ROUNDS]
register(*FIGURES)
HEADLINE = [ISSUED, REVIEWED, FOUND, HANDLED, IN_FORCE]
