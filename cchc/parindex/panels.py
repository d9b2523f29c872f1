"""Home-page panel of the PAR index: the commune's assessment of the year (for its
standing office and leaders), the assessments waiting for an appraiser."""

from __future__ import annotations

from django.utils import timezone

from .models import Assessment, CriteriaSet, Status


def shows_panel(user) -> bool:
    if user.home_commune is not None:
        return user.has_perm("parindex.self_assess") or user.has_perm("parindex.approve_assessment")
    return user.has_perm("parindex.appraise_assessment")


def panel_context(user) -> dict:
    today = timezone.localdate()
    commune = user.home_commune
    if commune is not None:
        assessment = (
            Assessment.objects.filter(commune=commune)
            .select_related("criteria_set")
            .order_by("-year")
            .first()
        )
        open_sets = [
            s
            for s in CriteriaSet.objects.for_commune(commune).open()
            if not Assessment.objects.filter(commune=commune, criteria_set__in=s.family()).exists()
        ]
        return {"assessment": assessment, "open_sets": open_sets, "today": today, "commune": True}
    waiting = (
        Assessment.objects.filter(
            commune_id__in=user.commune_ids(),
            status__in=[Status.SUBMITTED, Status.UNDER_APPRAISAL, Status.EXPLAINED],
        )
        .select_related("commune")
        .order_by("submitted_at")
    )
    return {"waiting": list(waiting[:10]), "waiting_count": waiting.count(), "commune": False}
