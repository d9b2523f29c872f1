"""The annual report's sections for reform areas 1, 2, 3, 5 and 6 quote figures of
the registers (docs/registers.md): the picker offers them first, the section renders
their values, and sending the report freezes exactly the values the catalogue gives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cchc.core import figures
from cchc.core.figures import Scope, evaluate
from cchc.core.periods import Period
from cchc.plans import services as plan_services
from cchc.plans.models import AreaKind, PlanStatus
from cchc.registers.communication import figures as communication_figures
from cchc.registers.communication import services as communication
from cchc.registers.inspections import figures as inspection_figures
from cchc.registers.inspections import services as inspections
from cchc.registers.legal import figures as legal_figures
from cchc.registers.legal import services as legal
from cchc.registers.spending import figures as spending_figures
from cchc.registers.spending import services as spending
from cchc.registers.training import figures as training_figures
from cchc.registers.training import services as training
from cchc.reports import services, suggestions, tables
from cchc.reports.models import ReportFigure
from cchc.testing import BaseTestCase

# Area kind → what its section writes, quoting register figures.
TEXTS = {
    AreaKind.DIRECTION: "Kiểm tra {{inspections.planned_done}} trên {{inspections.planned}}; "
    "tuyên truyền {{communication.items}}.",
    AreaKind.INSTITUTIONS: "Ban hành {{legal.issued}}; còn hiệu lực {{legal.in_force}}.",
    AreaKind.PROCEDURES: "Rà soát {{procedure_reviews.reviewed}}; kiến nghị {{procedure_reviews.proposals}}.",
    AreaKind.CIVIL_SERVICE: "Tỷ lệ được bồi dưỡng {{training.trained_share}}.",
    AreaKind.PUBLIC_FINANCE: "Dự toán {{spending.estimate}}, đã chi {{spending.spent}} ({{spending.share_spent}}).",
}


class RegisterQuotesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        plan = plan_services.plan_create(user=None, commune=cls.commune, year=2024)
        cls.tasks = {}
        for kind in TEXTS:
            area = plan_services.area_add(user=None, plan=plan, kind=kind)
            cls.tasks[kind] = plan_services.task_create(
                user=None, area=area, title=f"Nhiệm vụ {kind}", lead_department=cls.dept_office
            )
        for to in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
            plan_services.plan_transition(user=None, plan=plan, to=to)
        plan_services.plan_transition(
            user=None, plan=plan, to=PlanStatus.IN_EFFECT, number="05", issued_on=date(2024, 1, 5)
        )
        cls.plan = plan
        # One row or two in each register, in the 2024 reporting year.
        legal.document_save(
            user=None,
            commune=cls.commune,
            number="01/2024/NQ-HĐND",
            kind="resolution",
            issuer="council",
            is_normative=True,
            issued_on=date(2024, 3, 1),
            effective_from=date(2024, 3, 15),
            subject="Nghị quyết thử",
        )
        inspection_plan = inspections.plan_save(user=None, commune=cls.commune, year=2024)
        done = inspections.inspection_plan_add(
            user=None,
            plan=inspection_plan,
            kind="cchc",
            subject="Bộ phận Một cửa",
            planned_on=date(2024, 5, 1),
        )
        inspections.inspection_act(
            user=None, inspection=done, action="conduct", conducted_on=date(2024, 5, 2), findings="Tốt"
        )
        inspections.inspection_plan_add(
            user=None, plan=inspection_plan, kind="cchc", subject="Tư pháp", planned_on=date(2024, 9, 1)
        )
        communication.communication_save(
            user=None, commune=cls.commune, channel="news", title="Tin CCHC", on=date(2024, 4, 2)
        )
        course = training.course_save(
            user=None,
            commune=cls.commune,
            title="Bồi dưỡng CCHC",
            subjects=["cchc"],
            starts_on=date(2024, 4, 16),
        )
        training.attendance_save(user=None, course=course, official=cls.tuphap)
        spending.expense_save(
            user=None,
            commune=cls.commune,
            task=cls.tasks[AreaKind.PUBLIC_FINANCE],
            kind="estimate",
            amount=Decimal(10_000_000),
            on=date(2024, 1, 10),
        )
        spending.expense_save(
            user=None,
            commune=cls.commune,
            task=cls.tasks[AreaKind.PUBLIC_FINANCE],
            kind="spent",
            amount=Decimal(2_500_000),
            on=date(2024, 6, 1),
        )

    def test_the_area_sections_quote_register_figures_and_freeze_their_values(self):
        period = Period.year_of(2024)
        report = services.report_create(user=self.vanphong, commune=self.commune, period=period)
        sections = {s.area.kind: s for s in report.sections.filter(area__isnull=False).select_related("area")}
        assert set(TEXTS) <= set(sections)
        for kind, text in TEXTS.items():
            offered = [f.key for f in suggestions.suggested(sections[kind])]
            quoted = tables.quoted_keys(text)
            assert set(quoted) <= set(offered) | {"spending.share_spent"}, (kind, quoted, offered)
            services.section_save(user=self.vanphong, section=sections[kind], body=text)
        # The page offers an area's figures first.
        self.login(self.vanphong)
        page = self.client.get(
            f"/bao-cao/{report.pk}/phan/{sections[AreaKind.INSTITUTIONS].pk}/"
        ).content.decode()
        assert (
            page.index('label="Gợi ý cho lĩnh vực này"')
            < page.index('value="legal.issued"')
            < page.index('label="Tất cả số liệu"')
        )
        scope = Scope.of(commune_ids=[self.commune.pk], date_from=period.date_from, date_to=period.date_to)
        keys = [k for text in TEXTS.values() for k in tables.quoted_keys(text)]
        expected = evaluate([figures.get(k) for k in keys], scope)
        cells = tables.quote_cells(report, list(TEXTS.values()))
        assert {k: cells[k].value for k in keys} == {f.key: v for f, v in expected.items()}
        assert expected[inspection_figures.PLANNED] == 2 and expected[inspection_figures.PLANNED_DONE] == 1
        assert expected[legal_figures.ISSUED] == 1 and expected[legal_figures.IN_FORCE] == 1
        assert expected[communication_figures.ITEMS] == 1
        assert expected[training_figures.TRAINED_SHARE] == Decimal("20.00")  # 1 of the 5 officials
        assert expected[spending_figures.SHARE] == Decimal("25.00")
        rendered = tables.render_quotes(TEXTS[AreaKind.PUBLIC_FINANCE], cells)
        assert rendered == "Dự toán 10.000.000 đồng, đã chi 2.500.000 đồng (25,00%)."
        # Sending freezes the quoted values.
        tables.freeze(report)
        frozen = {
            r.key: r.typed_value for r in ReportFigure.objects.filter(report=report, table=tables.QUOTES)
        }
        assert frozen == {k: expected[figures.get(k)] for k in keys}
