"""Builders for the reports tests: the plans tests' commune, users and 2024 plan, and
figures declared here (keys `test_reports.*`) over real dossier data, so that the
tests do not depend on which figures other apps declare."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from unittest import mock

from cchc.core import figures
from cchc.core.figures import Figure, Scope
from cchc.core.periods import Period
from cchc.dossiers.stats import dossier_stats
from cchc.plans.tests.helpers import PlanTestCase
from cchc.reports import services, tables
from cchc.reports.models import Report, SectionStatus


def _dossiers(scope: Scope) -> dict:
    return dossier_stats(
        commune_ids=scope.commune_ids,
        date_from=scope.date_from,
        date_to=scope.date_to,
        field=scope.get("field"),
        now=scope.now,
    )


RECEIVED = Figure(
    key="test_reports.received",
    label="Số hồ sơ tiếp nhận (thử)",
    unit="hồ sơ",
    definition="Hồ sơ tiếp nhận trong kỳ.",
    source="thử nghiệm",
    provider=_dossiers,
    pick=lambda s: s["received"],
    filters={"field"},
)
FINISHED = Figure(
    key="test_reports.finished",
    label="Số hồ sơ đã giải quyết (thử)",
    unit="hồ sơ",
    definition="Hồ sơ giải quyết xong trong kỳ.",
    source="thử nghiệm",
    provider=_dossiers,
    pick=lambda s: s["finished"],
    filters={"field"},
)
ON_TIME_RATE = Figure(
    key="test_reports.on_time_rate",
    label="Tỷ lệ giải quyết đúng hạn (thử)",
    unit=figures.PERCENT,
    definition="(Trước hạn + đúng hạn) ÷ đã giải quyết × 100.",
    source="thử nghiệm",
    provider=_dossiers,
    pick=lambda s: figures.percent(s["early"] + s["on_time"], s["finished"]),
)
# Known to the catalogue only inside these tests (never in the product's registry,
# which other apps' tests and docs/figures.md list in full).
TEST_FIGURES = {f.key: f for f in (RECEIVED, FINISHED, ON_TIME_RATE)}

TEST_TABLES = (
    tables.TableSpec(
        code="t_field",
        title="Hồ sơ theo lĩnh vực (thử)",
        columns=(
            tables.Column(RECEIVED.key, "Tổng số", "Tiếp nhận"),
            tables.Column(FINISHED.key, "Tổng số", "Đã giải quyết"),
        ),
        rows_by="field",
    ),
    tables.TableSpec(
        code="t_head",
        title="Chỉ tiêu (thử)",
        columns=(
            tables.Column(ON_TIME_RATE.key, ""),
            tables.Column("reports.sent", ""),
            tables.Column("khong.co", ""),
        ),
    ),
)


@contextmanager
def test_tables():
    with mock.patch.object(tables, "TABLES", TEST_TABLES), mock.patch.dict(figures._REGISTRY, TEST_FIGURES):
        yield


class ReportTestCase(PlanTestCase):
    """The 2024 plan in effect (areas: institutions led by Tư pháp, procedures led by
    the one-stop office); helpers to build and move a report."""

    def setUp(self) -> None:
        super().setUp()
        for patcher in (
            mock.patch.object(tables, "TABLES", TEST_TABLES),
            mock.patch.dict(figures._REGISTRY, TEST_FIGURES),
        ):
            patcher.start()
            self.addCleanup(patcher.stop)

    def make_report(self, period: Period | None = None, *, plan: bool = True) -> Report:
        if plan and not self.commune.plans.filter(year=(period or Period.year_of(2024)).year).exists():
            self.make_plan()
        return services.report_create(
            user=self.vanphong, commune=self.commune, period=period or Period.year_of(2024)
        )

    def section(self, report: Report, title_part: str):
        return report.sections.get(title__icontains=title_part)

    def fill_and_accept_all(self, report: Report, text: str = "Đã thực hiện đầy đủ các nhiệm vụ.") -> None:
        """Every section written, submitted and accepted (by the office)."""
        for section in report.sections.all():
            if section.status == SectionStatus.ACCEPTED:
                continue
            if section.status in (SectionStatus.ASSIGNED, SectionStatus.RETURNED):
                services.section_save(user=self.vanphong, section=section, body=section.body or text)
                services.section_act(user=self.vanphong, section=section, action="submit")
            services.section_act(user=self.vanphong, section=section, action="accept")

    def send(
        self, report: Report, *, number: str = "12", issued_on: date = date(2024, 12, 13), at=None
    ) -> Report:
        self.fill_and_accept_all(report)
        services.report_act(user=self.vanphong, report=report, action="submit", at=at)
        services.report_act(user=self.chutich, report=report, action="approve", at=at)
        return services.report_act(
            user=self.vanphong, report=report, action="send", number=number, issued_on=issued_on, at=at
        )


__all__ = ["ON_TIME_RATE", "RECEIVED", "ReportTestCase", "Decimal", "test_tables"]
