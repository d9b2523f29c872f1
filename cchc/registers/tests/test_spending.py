"""The reform-budget register: amounts per plan task, totals per area and plan on
the plan's page and in its appendix (.docx and .xlsx), import by appendix number,
scoping, and figures over the reporting year."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from cchc.core.figures import Scope, evaluate
from cchc.plans import services as plan_services
from cchc.plans.documents import appendix_xlsx, plan_docx
from cchc.plans.models import AreaKind, PlanStatus
from cchc.registers.common.models import SheetImport
from cchc.registers.spending import figures as F
from cchc.registers.spending import services
from cchc.registers.spending.models import Expense

from .helpers import RegisterTestCase, sheet_rows, workbook, xlsx_upload

URL = "/so-theo-doi/kinh-phi/"


def make_plan(commune, office, year: int = 2024, *, issue: bool = True):
    plan = plan_services.plan_create(user=None, commune=commune, year=year)
    direction = plan_services.area_add(user=None, plan=plan, kind=AreaKind.DIRECTION)
    digital = plan_services.area_add(user=None, plan=plan, kind=AreaKind.DIGITAL)
    dept = commune.departments.first()
    comms = plan_services.task_create(
        user=None, area=direction, title="Tuyên truyền CCHC", lead_department=dept, budget=Decimal(15_000_000)
    )
    inspect = plan_services.task_create(
        user=None, area=direction, title="Kiểm tra CCHC", lead_department=dept
    )
    iso = plan_services.task_create(
        user=None, area=digital, title="Duy trì ISO 9001:2015", lead_department=dept
    )
    if issue:
        for to in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
            plan_services.plan_transition(user=None, plan=plan, to=to)
        plan_services.plan_transition(
            user=None, plan=plan, to=PlanStatus.IN_EFFECT, number="05", issued_on=date(year, 1, 5)
        )
    return plan, comms, inspect, iso


class SpendingTestCase(RegisterTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan, cls.comms, cls.inspect, cls.iso = make_plan(cls.commune, cls.vanphong)
        cls.other_plan, cls.other_task, *_ = make_plan(cls.other_commune, None)

    def spend(self, task, amount, on, kind="spent", commune=None, **values):
        return services.expense_save(
            user=None,
            commune=commune or self.commune,
            task=task,
            kind=kind,
            amount=Decimal(amount),
            on=on,
            **values,
        )


class ServiceTests(SpendingTestCase):
    def test_amounts_belong_to_an_approved_plan_task_of_the_commune(self):
        draft, task, *_ = make_plan(self.commune, None, 2025, issue=False)
        with self.assertRaises(ValidationError) as exc:
            services.expense_save(
                user=None,
                commune=self.commune,
                task=task,
                kind="spent",
                amount=Decimal(5),
                on=date(2025, 2, 1),
            )
        assert exc.exception.message_dict == {
            "task": ["Kế hoạch CCHC năm 2025 chưa được phê duyệt: chưa ghi kinh phí được."]
        }
        with self.assertRaises(ValidationError) as exc:
            services.expense_save(
                user=None,
                commune=self.commune,
                task=self.other_task,
                kind="spent",
                amount=Decimal(-5),
                on=date(2030, 1, 1),
            )
        assert set(exc.exception.message_dict) == {"task", "amount", "on"}
        with self.assertRaises(PermissionDenied):
            services.expense_save(
                user=self.motcua,
                commune=self.commune,
                task=self.comms,
                kind="spent",
                amount=Decimal(5),
                on=date(2024, 2, 1),
            )
        adjustment = self.spend(self.iso, -5_000_000, date(2024, 6, 30), kind="estimate")
        assert adjustment.amount == Decimal(-5_000_000)

    def test_totals_per_task_area_and_plan(self):
        self.spend(self.comms, 15_000_000, date(2024, 1, 10), kind="estimate")
        self.spend(self.comms, 4_800_000, date(2024, 3, 28))
        self.spend(self.inspect, 2_200_000, date(2024, 8, 25))
        self.spend(self.iso, 30_000_000, date(2024, 1, 10), kind="estimate")
        self.spend(self.iso, -5_000_000, date(2024, 6, 30), kind="estimate")
        self.spend(self.iso, 18_000_000, date(2024, 10, 8))
        totals = services.plan_money(self.plan)
        assert totals.tasks[self.comms.pk] == services.Money(Decimal(15_000_000), Decimal(4_800_000))
        assert totals.tasks[self.inspect.pk].share is None  # spent without an estimate
        direction, digital = self.plan.areas.all()
        assert totals.areas[direction.pk] == services.Money(Decimal(15_000_000), Decimal(7_000_000))
        assert totals.areas[digital.pk].share == Decimal("72.00")
        assert totals.total == services.Money(Decimal(40_000_000), Decimal(25_000_000))
        assert totals.total.share == Decimal("62.50") and totals.planned == Decimal(15_000_000)


class PlanDocumentTests(SpendingTestCase):
    def test_the_plan_page_and_its_appendix_show_the_totals(self):
        self.spend(self.comms, 15_000_000, date(2024, 1, 10), kind="estimate")
        self.spend(self.comms, 4_800_000, date(2024, 3, 28))
        self.login(self.chutich)
        page = self.client.get(f"/ke-hoach/{self.plan.pk}/").content.decode()
        assert "Kinh phí thực hiện (đồng)" in page and "15.000.000" in page and "32,00%" in page
        rows = sheet_rows(appendix_xlsx(self.plan))
        header = next(r for r in rows if r and r[0] == "TT")
        assert list(header[-3:]) == ["Dự toán (đồng)", "Đã chi (đồng)", "Tỷ lệ đã chi"]
        task_row = next(r for r in rows if r and r[2] == "Tuyên truyền CCHC")
        assert list(task_row[-3:]) == [Decimal(15_000_000), Decimal(4_800_000), Decimal("32.00")]
        assert any(r and r[1] == "TỔNG CỘNG" and r[-3] == 15_000_000 for r in rows)
        table = Document(io.BytesIO(plan_docx(self.plan))).tables[-1]
        cells = [[c.text for c in row.cells] for row in table.rows]
        assert cells[0][-3:] == ["Dự toán (đồng)", "Đã chi (đồng)", "Tỷ lệ đã chi"]
        assert cells[-1][0] == "TỔNG CỘNG" and cells[-1][-3:] == ["15.000.000", "4.800.000", "32,00%"]
        assert ["15.000.000", "4.800.000", "32,00%"] in [r[-3:] for r in cells[1:-1]]

    def test_a_plan_without_entries_prints_as_before(self):
        rows = sheet_rows(appendix_xlsx(self.plan))
        assert next(r for r in rows if r and r[0] == "TT")[-1] == "Chỉ tiêu"
        table = Document(io.BytesIO(plan_docx(self.plan))).tables[-1]
        assert len(table.columns) == 6


class PageTests(SpendingTestCase):
    def test_lists_are_scoped_and_the_plan_summary_checks_the_commune(self):
        self.spend(self.comms, 4_800_000, date(2024, 3, 28), note="Băng rôn Đức Xương")
        self.spend(
            self.other_task, 9_999_000, date(2024, 3, 28), commune=self.other_commune, note="Băng rôn Gia Lộc"
        )
        self.login(self.vanphong)
        page = self.client.get(URL).content.decode()
        assert "4.800.000" in page and "9.999.000" not in page
        rows = sheet_rows(self.client.get(URL, {"format": "xlsx"}).content)
        assert any(r and r[1] == "1.a) Tuyên truyền CCHC" for r in rows)
        assert not any(r and r[6] == "Băng rôn Gia Lộc" for r in rows if len(r) > 6)
        assert self.client.get(f"{URL}ke-hoach/{self.other_plan.pk}/").status_code == 404
        summary = self.client.get(f"{URL}ke-hoach/{self.plan.pk}/").content.decode()
        assert "Tuyên truyền CCHC" in summary and "4.800.000" in summary


HEADER = ["Năm kế hoạch", "Nhiệm vụ", "Loại", "Số tiền (đồng)", "Ngày", "Số chứng từ"]


class ImportTests(SpendingTestCase):
    def test_tasks_are_found_by_appendix_number_or_title(self):
        content = workbook(
            HEADER,
            [2024, "1.a", "Dự toán", "15.000.000", "10/01/2024", "QĐ 12"],
            [2024, "Kiểm tra CCHC", "Thực chi", 2200000, "25/08/2024", "PC 101"],
            [2024, "2.a) Duy trì ISO 9001:2015", "thuc chi", "18.000.000 đ", "08/10/2024", "UNC 27"],
        )
        self.login(self.vanphong)
        self.client.post(f"{URL}nhap-excel/", {"file": xlsx_upload(content)})
        upload = SheetImport.objects.get()
        self.client.post(f"{URL}nhap-excel/{upload.pk}/xac-nhan/")
        assert {(e.task, e.kind, e.amount) for e in Expense.objects.all()} == {
            (self.comms, "estimate", Decimal(15_000_000)),
            (self.inspect, "spent", Decimal(2_200_000)),
            (self.iso, "spent", Decimal(18_000_000)),
        }
        self.client.post(
            f"{URL}nhap-excel/", {"file": xlsx_upload(self.client.get(URL, {"format": "xlsx"}).content)}
        )
        assert SheetImport.objects.filter(status="preview").get().summary["counts"]["unchanged"] == 3

    def test_unknown_tasks_and_bad_amounts_are_named_by_row(self):
        content = workbook(
            HEADER,
            [2023, "1.a", "Dự toán", 1000, "10/01/2023", ""],
            [2024, "3.a", "Thực chi", 1000, "10/01/2024", ""],
            [2024, "Không có nhiệm vụ này", "Thực chi", 1000, "10/01/2024", ""],
            [2024, "1.a", "Thực chi", -1000, "10/01/2024", ""],
        )
        self.login(self.vanphong)
        page = self.client.post(f"{URL}nhap-excel/", {"file": xlsx_upload(content)}).content.decode()
        assert "Dòng 2: xã chưa có kế hoạch CCHC năm 2023." in page
        assert "Dòng 3: kế hoạch CCHC năm 2024 không có nhiệm vụ 3.a)." in page
        assert "Dòng 4: kế hoạch CCHC năm 2024 không có nhiệm vụ “Không có nhiệm vụ này”" in page
        assert "Dòng 5: số tiền thực chi phải dương" in page
        assert Expense.objects.count() == 0


class FigureTests(SpendingTestCase):
    def scope(self, date_from=date(2023, 12, 15), date_to=date(2024, 12, 14), **filters):
        return Scope.of(commune_ids=[self.commune.pk], date_from=date_from, date_to=date_to, **filters)

    def test_the_window_counts_its_plans_entries_up_to_its_last_day(self):
        self.spend(self.comms, 15_000_000, date(2023, 12, 20), kind="estimate")  # allotted before the year
        self.spend(self.comms, 1_000_000, date(2023, 12, 14))  # before the window, still the 2024 plan
        self.spend(self.comms, 4_000_000, date(2024, 12, 14))  # the last day
        self.spend(self.iso, 10_000_000, date(2024, 1, 10), kind="estimate")
        self.spend(self.iso, 2_000_000, date(2024, 12, 15))  # after the cut-off
        self.spend(self.other_task, 7_000_000, date(2024, 5, 1), commune=self.other_commune)
        values = evaluate(F.FIGURES, self.scope())
        assert values[F.ESTIMATE] == Decimal(25_000_000)
        assert values[F.SPENT] == Decimal(5_000_000)
        assert values[F.SPENT_IN_PERIOD] == Decimal(4_000_000)
        assert values[F.SHARE] == Decimal("20.00")
        direction = evaluate(F.FIGURES, self.scope(area="direction"))
        assert (direction[F.ESTIMATE], direction[F.SPENT]) == (Decimal(15_000_000), Decimal(5_000_000))
        q1 = evaluate([F.SPENT, F.SPENT_IN_PERIOD], self.scope(date_to=date(2024, 3, 14)))
        assert q1 == {F.SPENT: Decimal(1_000_000), F.SPENT_IN_PERIOD: Decimal(0)}
        # The plan's own totals are the same sums when every entry is in the year's window.
        Expense.objects.filter(on__gt=date(2024, 12, 14)).delete()
        totals = services.plan_money(self.plan)
        values = evaluate(F.FIGURES, self.scope())
        assert (values[F.ESTIMATE], values[F.SPENT]) == (totals.total.estimate, totals.total.spent)

    def test_the_demo_register_gives_the_figures_counted_by_hand(self):
        from cchc.core.demo import DemoLog
        from cchc.org import demo as org_demo
        from cchc.plans import demo as plans_demo
        from cchc.plans.models import Plan
        from cchc.registers.spending import demo

        quiet = DemoLog(write=lambda s: None)
        Plan.objects.filter(commune=self.commune).delete()  # the demo builds the seed's plans
        org_demo.load(quiet)
        plans_demo.load(quiet)
        today = date(2026, 11, 30)
        demo.load(DemoLog(write=lambda s: None), today)
        again = DemoLog(write=lambda s: None)
        demo.load(again, today)
        assert again.created == 0
        rows = demo.demo_entries(2024, today)
        values = evaluate(F.FIGURES, self.scope())
        estimate = sum(r[4] for r in rows if r[2] == "estimate")
        spent = sum(r[4] for r in rows if r[2] == "spent")
        assert (
            (values[F.ESTIMATE], values[F.SPENT])
            == (estimate, spent)
            == (Decimal(75_000_000), Decimal(53_600_000))
        )
        assert values[F.SHARE] == Decimal("71.47")
        digital = evaluate([F.ESTIMATE, F.SPENT], self.scope(area="digital"))
        assert digital == {F.ESTIMATE: Decimal(25_000_000), F.SPENT: Decimal(18_000_000)}
        plan = Plan.objects.get(commune=self.commune, year=2024)
        assert services.plan_money(plan).total == services.Money(estimate, spent)
