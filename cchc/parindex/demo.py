"""Demo PAR index: the example criteria set (clearly an example, not a legal text)
issued by the demo province for 2024 and 2025; xã Đức Xương's 2024 result published
(last year, beside this year on the chart) and its 2025 self-assessment in draft,
with the scores suggested from its own data accepted where there is data and the
rest left to score from the pages; xã Gia Lộc's 2025 self-assessment submitted, so
that the province's ranking shows both. Re-runnable: what exists is left alone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from cchc.core.demo import DemoLog
from cchc.org.models import Unit, User

from . import criteria_io, services
from .models import Assessment, CriteriaSet, Score

EXAMPLE = Path(__file__).resolve().parent / "data" / "example_criteria.json"
# Areas 1–2 of the draft are scored (with evidence and notes); the rest waits for the
# standing office in the demo.
DRAFT_SCORED_AREAS = ("1", "2")


def _example_set(log: DemoLog, province: Unit, year: int) -> CriteriaSet:
    existing = (
        CriteriaSet.objects.filter(owner=province, year=year, is_example=True).order_by("-version").first()
    )
    if existing is not None:
        log.had(f"bộ tiêu chí ví dụ năm {year} (phiên bản {existing.version})")
        return existing
    spec = criteria_io.read_json(EXAMPLE.read_bytes())
    result = services.criteria_set_import(
        user=None,
        owner=province,
        year=year,
        spec=spec,
        title=f"Bộ tiêu chí Chỉ số CCHC cấp xã năm {year} (VÍ DỤ – không phải văn bản pháp lý)",
        source_name="example_criteria.json",
    )
    criteria_set = result.criteria_set
    bound = services.bind_example(criteria_set)
    today = timezone.localdate()
    services.criteria_set_update(
        user=None,
        criteria_set=criteria_set,
        decision="(ví dụ – chưa có quyết định thật)",
        submit_due=today + timedelta(days=21) if year == today.year - 1 or year >= today.year else None,
        appraisal_due=today + timedelta(days=45) if year == today.year - 1 or year >= today.year else None,
    )
    services.criteria_set_open(user=None, criteria_set=criteria_set)
    criteria_set.refresh_from_db()
    log.made(
        f"bộ tiêu chí ví dụ năm {year}: {criteria_set.criteria.count()} dòng, "
        f"{criteria_set.criteria.exclude(figure='', numerator_figure='').count()} tiêu chí gắn số liệu"
        + (f" (theo mã: {', '.join(bound)})" if bound else "")
    )
    return criteria_set


def _score(assessment: Assessment, *, areas: tuple[str, ...] | None, variant: int, evidence: bool) -> int:
    """Score the assessment's criteria: the suggestion where the data gives one,
    otherwise points from a fixed pattern (most at the maximum, some below), with a
    note; plan links as evidence where `evidence`."""
    from .links import candidates

    links: dict = {}
    for link in candidates(assessment) if evidence else []:
        links.setdefault(link.kind, link)  # the assessment year's plan comes first
    suggestions = services.suggestions_for(assessment)
    count = 0
    for i, score in enumerate(assessment.scores.select_related("criterion").order_by("criterion__position")):
        c = score.criterion
        if areas is not None and c.code.split(".")[0] not in areas:
            continue
        if c.rule_kind == "survey" or score.self_scored:
            continue
        suggestion = suggestions.get(c.pk)
        note = f"Theo hồ sơ lưu tại Văn phòng UBND xã, năm {assessment.year}."
        if suggestion is not None and suggestion.available:
            services.score_self(
                user=None, assessment=assessment, criterion=c, accept_suggestion=True, note=note
            )
        elif c.rule_obj.is_computed:
            if c.rule_kind == "deduction":
                services.score_self(
                    user=None,
                    assessment=assessment,
                    criterion=c,
                    numerator=(i + variant) % 2,
                    note=note,
                    reason="Số liệu của xã.",
                )
            else:
                done = 20 - (i + variant) % 3
                services.score_self(
                    user=None,
                    assessment=assessment,
                    criterion=c,
                    numerator=done,
                    denominator=20,
                    note=note,
                    reason="Số liệu của xã.",
                )
        else:
            step = assessment.criteria_set.points_step
            points = c.max_points - (step * 2 if (i + variant) % 4 == 0 else Decimal(0))
            services.score_self(
                user=None, assessment=assessment, criterion=c, points=max(points, Decimal(0)), note=note
            )
        if evidence and c.code.startswith("1.") and "plan" in links:
            services.evidence_add_link(
                user=None, assessment=assessment, criterion=c, key=links["plan"].key, location="toàn văn"
            )
        count += 1
    return count


def _assessment(log: DemoLog, commune: Unit, criteria_set: CriteriaSet) -> tuple[Assessment, bool]:
    existing = Assessment.objects.filter(commune=commune, criteria_set__in=criteria_set.family()).first()
    if existing is not None:
        log.had(
            f"bản đánh giá Chỉ số CCHC năm {criteria_set.year} của {commune} ({existing.get_status_display().lower()})"
        )
        return existing, False
    return services.assessment_create(user=None, commune=commune, criteria_set=criteria_set), True


def _send(assessment: Assessment, chairman: User | None) -> None:
    services.assessment_act(user=None, assessment=assessment, action="self_assess")
    services.assessment_act(user=chairman, assessment=assessment, action="approve")
    services.assessment_act(user=None, assessment=assessment, action="submit")


def load(log: DemoLog) -> None:
    province = Unit.objects.filter(slug="haiphong").first()
    ducxuong = Unit.objects.filter(slug="ducxuong").first()
    gialoc = Unit.objects.filter(slug="gialoc").first()
    if province is None or ducxuong is None or gialoc is None:
        log.had("(chưa có tỉnh và hai xã mẫu: bỏ qua Chỉ số CCHC)")
        return
    chairman = User.objects.filter(username="chutich", unit=ducxuong).first()
    appraiser = User.objects.filter(username="captren").first()

    # Last year, appraised and published (the chart's "last year").
    set2024 = _example_set(log, province, 2024)
    for commune, variant in ((ducxuong, 1), (gialoc, 2)):
        a, new = _assessment(log, commune, set2024)
        if not new:
            continue
        _score(a, areas=None, variant=variant, evidence=False)
        _send(a, chairman if commune == ducxuong else None)
        services.assessment_act(user=appraiser, assessment=a, action="start_appraisal")
        first = (
            a.scores.select_related("criterion")
            .filter(criterion__rule_kind="entered")
            .order_by("criterion__position")
            .first()
        )
        services.score_appraise(
            user=appraiser,
            assessment=a,
            criterion=first.criterion,
            points=first.self_points - Decimal("0.5"),
            comment="Minh chứng chưa đủ (ví dụ).",
        )
        services.appraise_agree_rest(user=appraiser, assessment=a)
        survey = a.scores.get(criterion__rule_kind="survey").criterion
        services.score_appraise(
            user=appraiser, assessment=a, criterion=survey, points=Decimal(4) + variant % 2
        )
        services.assessment_act(user=appraiser, assessment=a, action="appraise")
        services.assessment_act(
            user=appraiser, assessment=a, action="publish", note="Công bố kết quả (dữ liệu mẫu)."
        )
        log.made(f"kết quả Chỉ số CCHC năm 2024 của {commune} (đã công bố)")

    set2025 = _example_set(log, province, 2025)
    # xã Gia Lộc: submitted, waiting for appraisal.
    a, new = _assessment(log, gialoc, set2025)
    if new:
        _score(a, areas=None, variant=3, evidence=False)
        services.assessment_letter(
            user=None, assessment=a, letter_number="87", letter_date=timezone.localdate()
        )
        _send(a, None)
        log.made("bản tự đánh giá Chỉ số CCHC năm 2025 của xã Gia Lộc (đã gửi, chờ thẩm định)")
    # xã Đức Xương: draft, suggestions from its data accepted, areas 1–2 scored.
    a, new = _assessment(log, ducxuong, set2025)
    if new:
        suggested = 0
        for c, suggestion in services.suggestions_for(a).items():
            if suggestion.available:
                criterion = a.criteria_set.criteria.get(pk=c)
                services.score_self(user=None, assessment=a, criterion=criterion, accept_suggestion=True)
                suggested += 1
        scored = _score(a, areas=DRAFT_SCORED_AREAS, variant=0, evidence=True)
        waiting = (
            Score.objects.filter(assessment=a, self_points__isnull=True, self_not_applicable=False)
            .exclude(criterion__rule_kind="survey")
            .count()
        )
        log.made(
            f"bản tự đánh giá Chỉ số CCHC năm 2025 của xã Đức Xương (đang chấm: {suggested} tiêu chí theo điểm gợi ý "
            f"từ số liệu, {scored} tiêu chí lĩnh vực 1–2, còn {waiting} tiêu chí chờ chấm)"
        )
