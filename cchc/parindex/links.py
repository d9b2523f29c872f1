"""Evidence the product already holds, picked instead of uploaded again: the
commune's plan of the year and its document, the evidence files of the plan's tasks,
the periodic reform reports sent in the year, the published procedure catalogue, the
statistics pages for the assessment's window, the registers of the year.

A link is stored with its kind, the object's id, a label and the URL at the time it
was picked; the target page checks the viewer's permission itself (an appraiser
of the province may read the commune's plan and statistics).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from .models import Assessment


@dataclass(frozen=True)
class Link:
    kind: str
    object_id: str
    label: str
    url: str
    group: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"


def _url(name: str, *args, query: dict | None = None) -> str:
    try:
        base = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{base}?{urlencode(query)}" if query else base


def candidates(assessment: Assessment) -> list[Link]:
    """Everything of the assessment's commune that may be linked as evidence."""
    from cchc.plans.models import Evidence, Plan
    from cchc.procedures.models import Procedure

    commune = assessment.commune
    year = assessment.year
    period = assessment.criteria_set.window
    out: list[Link] = []
    for plan in Plan.objects.filter(commune=commune, year__in=[year, year - 1]).order_by("-year"):
        number = f" số {plan.number_display}" if plan.number else ""
        out.append(
            Link(
                "plan",
                str(plan.pk),
                f"Kế hoạch CCHC năm {plan.year}{number}",
                _url("plans:plan_detail", plan.pk),
                "Kế hoạch CCHC",
            )
        )
        out.append(
            Link(
                "plan_document",
                str(plan.pk),
                f"Văn bản Kế hoạch CCHC năm {plan.year}{number} (.docx)",
                _url("plans:plan_document", plan.pk),
                "Kế hoạch CCHC",
            )
        )
    evidence = (
        Evidence.objects.filter(
            update__task__area__plan__commune=commune, update__task__area__plan__year=year
        )
        .select_related("update__task__area__plan")
        .order_by("update__task__area__sort_key", "update__task__position", "id")
    )
    for item in evidence:
        task = item.update.task
        plan = task.area.plan
        out.append(
            Link(
                "plan_evidence",
                str(item.pk),
                f"Minh chứng nhiệm vụ “{task.title[:80]}” ({item.update.on:%d/%m/%Y}): {item.original_name}",
                _url("plans:evidence_download", plan.pk, item.pk),
                "Minh chứng nhiệm vụ kế hoạch",
            )
        )
    from cchc.reports.models import Report

    for report in Report.objects.filter(commune=commune, year=year).sent().order_by("deadline"):
        number = f" số {report.number_display}" if report.number else ""
        out.append(
            Link(
                "report",
                str(report.pk),
                f"Báo cáo CCHC {report.period.label}{number} (gửi {timezone.localtime(report.sent_at):%d/%m/%Y})",
                _url("reports:detail", report.pk),
                "Báo cáo CCHC đã gửi",
            )
        )
    published = Procedure.objects.filter(commune=commune).published().count()
    out.append(
        Link(
            "procedures",
            "published",
            f"Danh mục thủ tục hành chính công khai của xã ({published} thủ tục)",
            _url("portal:commune", commune.slug),
            "Thủ tục hành chính",
        )
    )
    window = {"date_from": period.date_from.isoformat(), "date_to": period.date_to.isoformat()}
    for name, label in (
        ("dossiers:stats", "Thống kê hồ sơ TTHC"),
        ("satisfaction:stats", "Thống kê mức độ hài lòng"),
        ("petitions:stats", "Thống kê phản ánh, kiến nghị"),
    ):
        url = _url(name, query=window)
        if url:
            out.append(
                Link(
                    "statistics",
                    name,
                    f"{label} {period.window_text}",
                    url,
                    "Số liệu thống kê của kỳ đánh giá",
                )
            )
    # The registers of the other reform areas, for the assessment year (each links
    # only when its app provides the page).
    for name, label in (("registers:communication_list", "Sổ theo dõi tuyên truyền CCHC"),):
        url = _url(name, query={"year": year})
        if url:
            out.append(Link("register", name, f"{label} năm {year}", url, "Sổ theo dõi"))
    return out


def resolve(assessment: Assessment, key: str) -> Link | None:
    """The candidate named by `key` ("kind:id"), or None when it is not the commune's."""
    return next((link for link in candidates(assessment) if link.key == key), None)
