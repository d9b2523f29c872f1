"""The reports app's home-page panel (registered through `cchc.core.nav`): the
reports a commune must send next, and the sections a department still owes."""

from __future__ import annotations

from django.utils import timezone

from .models import WRITABLE_SECTION_STATUSES, Report, ReportStatus, Section


def shows_panel(user) -> bool:
    return bool(user.home_commune) and user.has_perm("reports.view_report")


def panel_context(user) -> dict:
    today = timezone.localdate()
    commune = user.home_commune
    reports = list(
        Report.objects.filter(commune=commune).exclude(status=ReportStatus.SENT).order_by("deadline")[:4]
    )
    sections = []
    if user.department_id:
        sections = list(
            Section.objects.filter(
                department_id=user.department_id,
                status__in=WRITABLE_SECTION_STATUSES,
                report__status=ReportStatus.DRAFTING,
            )
            .select_related("report")
            .order_by("due_date", "position")[:5]
        )
    return {
        "reports": [(r, r.is_overdue(today)) for r in reports],
        "sections": [(s, s.is_late(today)) for s in sections],
        "today": today,
    }
