"""The chairman's dashboard (home panel and page), the province's comparison and the
figures by officer: values from the catalogue, scoping, permissions."""

from __future__ import annotations

import io
from datetime import date, datetime

from django.utils import timezone
from openpyxl import load_workbook

from cchc.core.figures import Scope, evaluate
from cchc.core.periods import Period
from cchc.core.workcal import TZ
from cchc.dashboards import services
from cchc.dossiers import figures as DF
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.helpers import act, at, receive
from cchc.petitions import services as petition_services
from cchc.petitions.models import Petition
from cchc.plans import services as plan_services
from cchc.plans.tests.helpers import PlanTestCase

from .helpers import two_communes


class DashboardTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        two_communes(cls)
        # Waiting for the applicant's supplement since long ago: not overdue.
        cls.waiting = receive(cls.motcua, cls.proc, at(2025, 5, 5))
        act(cls.waiting, "transfer", cls.motcua, at(2025, 5, 5, 10))
        act(cls.waiting, "request_supplement", cls.tuphap, at(2025, 5, 6), note="Thiếu", items=["Tờ khai"])
        cls.petition = petition_services.petition_submit(
            commune=cls.commune,
            name="Nguyễn Văn Bình",
            address="Thôn Phú Thọ",
            phone="0912 345 678",
            email="",
            subject="Đường làng ngập nước",
            content="Đường thôn ngập sau mưa, đề nghị xã kiểm tra.",
            at=datetime(2025, 4, 29, 10, tzinfo=TZ),
        )

    def setUp(self) -> None:
        super().setUp()
        self.today = timezone.localdate()
        plan = self.make_plan(year=services.reporting_year(self.today), in_effect=False)
        plan_services.task_create(
            user=None,
            area=plan.areas.first(),
            title="Giải quyết hồ sơ đúng hạn",
            lead_department=self.dept_one_stop,
            output="Hồ sơ đúng hạn",
            target_metric=DF.ON_TIME_RATE.key,
            target_comparison="gte",
            target_value=98,
        )
        self.plan = self.put_in_effect(plan)

    def test_the_chairmans_home_shows_targets_in_words_and_icons_overdue_work_and_trends(self):
        self.login(self.chutich)
        r = self.client.get("/")
        html = r.content.decode()
        self.assertIn('id="panel-dashboard"', html)
        # Published procedures: none complete → 0% against 100%: not met, said in words.
        self.assertRegex(
            html,
            r'data-target="procedures.published_rate" data-state="not_met">[\s\S]*?0,00%[\s\S]*?✘</span> Chưa đạt',
        )
        # The on-time target over this year's window: nothing finished → no data (never 0, never 100).
        self.assertRegex(
            html, r'data-target="dossiers.on_time_rate" data-state="no_data">[\s\S]*?chưa có dữ liệu'
        )
        # Overdue: d3 only; the dossier waiting for a supplement is said apart, not counted.
        expected = Petition.objects.filter(commune=self.commune).overdue(self.today).count()
        self.assertEqual(expected, 1)
        self.assertIn(
            '<strong data-count="dossiers">1</strong> hồ sơ đang quá hạn (không kể 1 hồ sơ đang chờ công dân bổ sung)',
            html,
        )
        self.assertIn(self.d3.code, html)
        self.assertNotIn(self.waiting.code, html)
        self.assertNotIn(self.g1.code, html)  # another commune's
        self.assertIn('<strong data-count="petitions">1</strong> phản ánh', html)
        self.assertIn(self.petition.code, html)
        # Trend charts: server-drawn SVG (no script), one per headline figure.
        self.assertEqual(html.count('class="trend-chart"'), len(services.HEADLINES))
        self.assertIn('data-trend="dossiers.on_time_rate"', html)
        # Reports coming due are listed (the plan is issued, so the year's reports are owed).
        self.assertIn('id="dash-reports"', html)

    def test_another_period_measures_the_targets_over_it(self):
        self.login(self.chutich)
        r = self.client.get("/dieu-hanh/?period=2025-05")
        html = r.content.decode()
        self.assertIn("từ ngày 15/04/2025 đến ngày 14/05/2025", html)
        self.assertRegex(
            html, r'data-target="dossiers.on_time_rate" data-state="met">[\s\S]*?100,00%[\s\S]*?✔</span> Đạt'
        )
        bad = self.client.get("/dieu-hanh/?period=2025-Q7")
        self.assertContains(bad, "không hợp lệ")

    def test_the_trend_has_twelve_reporting_months_ending_with_the_current_one(self):
        trends = services.trends([self.commune.pk], date(2025, 5, 14))
        on_time = next(t for t in trends if t.figure is DF.ON_TIME_RATE)
        self.assertEqual([m.code for m in on_time.months][0], "2024-06")
        self.assertEqual(on_time.months[-1], Period.month(2025, 5))
        self.assertEqual(
            on_time.values[-1],
            evaluate(
                [DF.ON_TIME_RATE],
                Scope.of(
                    commune_ids=[self.commune.pk], date_from=date(2025, 4, 15), date_to=date(2025, 5, 14)
                ),
            )[DF.ON_TIME_RATE],
        )
        self.assertEqual(str(on_time.values[-1]), "100.00")
        self.assertIsNone(on_time.values[0])  # no data: a gap, not 0

    def test_a_waiting_dossier_is_counted_apart_everywhere(self):
        # Status code 5 (waiting for the applicant's supplement) stays out of "overdue"
        # in the figures API and the comparison, as in the queues.
        r = self.client.get(
            "/api/v1/figures?keys=dossiers.open,dossiers.open_late,dossiers.open_waiting&period=2025-05",
            HTTP_AUTHORIZATION=self.api_headers(self.chutich)["Authorization"],
        )
        self.assertEqual([f["value"] for f in r.json()["figures"]], [2, 1, 1])
        rows = services.comparison([self.commune], Period.month(2025, 5))
        self.assertEqual(rows[0].values[DF.OPEN_LATE], 1)
        self.assertEqual(
            list(Dossier.objects.for_communes([self.commune.pk]).overdue(date(2025, 5, 14))), [self.d3]
        )

    def test_only_leaders_and_the_office_see_the_dashboard(self):
        for user in (self.motcua, self.tuphap):
            self.login(user)
            self.assertEqual(self.client.get("/dieu-hanh/").status_code, 403)
            self.assertNotIn('id="panel-dashboard"', self.client.get("/").content.decode())
        self.login(self.vanphong)
        self.assertEqual(self.client.get("/dieu-hanh/").status_code, 200)


class ComparisonTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        two_communes(cls)

    def test_each_communes_values_equal_its_own_statistics_page_for_the_same_window(self):
        self.login(self.captren)
        r = self.client.get("/dieu-hanh/so-sanh/?period=2025-05")
        html = r.content.decode()
        self.assertIn("từ ngày 15/04/2025 đến ngày 14/05/2025", html)
        rows = {
            row.commune.slug: row
            for row in services.comparison(list(self.captren.visible_communes()), Period.month(2025, 5))
        }
        self.assertEqual(
            rows["ducxuong"].values[DF.ON_TIME_RATE],
            evaluate(
                [DF.ON_TIME_RATE],
                Scope.of(
                    commune_ids=[self.commune.pk], date_from=date(2025, 4, 15), date_to=date(2025, 5, 14)
                ),
            )[DF.ON_TIME_RATE],
        )
        for commune, rate, late in (
            (self.commune, "100,00%", "1 hồ sơ"),
            (self.other_commune, "0,00%", "0 hồ sơ"),
        ):
            stats = self.client.get(f"/ho-so/thong-ke/?period=2025-05&commune={commune.pk}").content.decode()
            self.assertIn(f'data-key="dossiers.on_time_rate">{rate}', stats.replace("⚠ ", ""))
            self.assertIn(f'data-key="dossiers.open_late">{late}', stats.replace("⚠ ", ""))
            row = html.split(f'data-commune="{commune.slug}"')[1].split("</tr>")[0]
            row = row.replace('<span aria-hidden="true">⚠</span> ', "")
            self.assertIn(f'data-key="dossiers.on_time_rate">{rate}</td>', row)
            self.assertIn(f'data-key="dossiers.open_late">{late}</td>', row)
        # Open overdue at the end of May: d3 in Đức Xương (due 8/5), nothing in Gia Lộc.
        row = html.split('data-commune="ducxuong"')[1].split("</tr>")[0]
        self.assertIn("⚠</span> 1 hồ sơ", row)
        # The total line is computed over all communes: 3 finished, 2 of them in time → 66,67%.
        total = html.split("<tfoot>")[1]
        self.assertIn('data-key="dossiers.on_time_rate">66,67%', total)

    def test_it_sorts_best_first_with_no_data_last_and_exports_the_same_rows(self):
        self.login(self.captren)
        html = self.client.get(
            "/dieu-hanh/so-sanh/?period=2025-05&sap-xep=dung-han&chieu=tang"
        ).content.decode()
        self.assertLess(html.index('data-commune="gialoc"'), html.index('data-commune="ducxuong"'))
        html = self.client.get(
            "/dieu-hanh/so-sanh/?period=2025-05&sap-xep=dung-han&chieu=giam"
        ).content.decode()
        self.assertLess(html.index('data-commune="ducxuong"'), html.index('data-commune="gialoc"'))
        r = self.client.get("/dieu-hanh/so-sanh/?period=2025-05&sap-xep=dung-han&chieu=giam&xuat=xlsx")
        ws = load_workbook(io.BytesIO(r.content)).active
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        names = [row[0] for row in rows]
        duc = names.index(self.commune.name)
        self.assertLess(duc, names.index(self.other_commune.name))
        self.assertEqual(rows[duc][2], 100.0)
        self.assertEqual(rows[names.index(self.other_commune.name)][2], 0.0)
        self.assertIn("14/05/2025", rows[1][0])

    def test_a_commune_sees_only_its_own_and_the_drill_down_is_read_only(self):
        self.login(self.chutich)
        self.assertEqual(self.client.get("/dieu-hanh/so-sanh/").status_code, 403)
        self.assertEqual(self.client.get(f"/dieu-hanh/xa/{self.other_commune.pk}/").status_code, 403)
        self.login(self.captren)
        r = self.client.get(f"/dieu-hanh/xa/{self.commune.pk}/?period=2025-05")
        html = r.content.decode()
        self.assertIn("chỉ xem", html)
        self.assertIn(self.d3.code, html)
        self.assertNotIn(f'href="/ho-so/{self.d3.code}/"', html)  # no working links from the province
        self.assertNotIn(self.g1.code, html)
        # A commune outside the province's tree is not found.
        from cchc.testing import make_unit

        far = make_unit("province", "xa-xoi")
        outside = make_unit("commune", "ngoai-tinh", far)
        self.assertEqual(self.client.get(f"/dieu-hanh/xa/{outside.pk}/").status_code, 404)
        # Nor is it a row of the province's table or of its export.
        html = self.client.get("/dieu-hanh/so-sanh/?period=2025-05").content.decode()
        self.assertEqual(html.count("data-commune="), 2)
        self.assertNotIn('data-commune="ngoai-tinh"', html)
        export = self.client.get("/dieu-hanh/so-sanh/?period=2025-05&xuat=xlsx")
        names = [row[0].value for row in load_workbook(io.BytesIO(export.content)).active.iter_rows()]
        self.assertNotIn(outside.name, names)
        self.assertIn(self.other_commune.name, names)

    def test_captrens_home_shows_the_comparison(self):
        self.login(self.captren)
        html = self.client.get("/").content.decode()
        self.assertIn('id="panel-comparison"', html)
        self.assertIn('data-commune="ducxuong"', html)
        self.assertIn('data-commune="gialoc"', html)


class OfficerFiguresTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        two_communes(cls)

    def test_the_chairman_sees_each_officer_and_department_of_the_commune_only(self):
        self.login(self.chutich)
        html = self.client.get("/dieu-hanh/cong-chuc/?period=2025-05").content.decode()
        table = html.split('id="by-officer"')[1].split("</table>")[0]
        tuphap = table.split(self.tuphap.full_name)[1].split("</tr>")[0]
        self.assertIn('data-key="dossiers.finished">2 hồ sơ', tuphap)
        self.assertIn('data-key="dossiers.on_time_rate">100,00%', tuphap)
        motcua = table.split(self.motcua.full_name)[1].split("</tr>")[0]
        self.assertIn('data-key="dossiers.received">3 hồ sơ', motcua)
        self.assertIn('data-key="dossiers.on_time_rate">chưa có dữ liệu', motcua)
        self.assertNotIn(self.other.full_name, html)
        self.assertNotIn(self.other_officer.full_name, html)
        departments = html.split('id="by-department"')[1]
        justice = departments.split(self.dept_justice.name)[1].split("</tr>")[0]
        self.assertIn('data-key="dossiers.received">3 hồ sơ', justice)
        self.assertNotIn(self.other_dept.name + "</th>", departments.split(self.dept_justice.name)[0] + "x")

    def test_the_office_may_export_and_other_roles_are_refused(self):
        self.login(self.vanphong)
        r = self.client.get("/dieu-hanh/cong-chuc/?period=2025-05&xuat=xlsx")
        ws = load_workbook(io.BytesIO(r.content)).active
        names = [row[0].value for row in ws.iter_rows()]
        self.assertIn(self.tuphap.full_name, names)
        self.assertNotIn(self.other.full_name, names)
        for user in (self.motcua, self.tuphap, self.captren, self.other):
            self.login(user)
            self.assertEqual(self.client.get("/dieu-hanh/cong-chuc/").status_code, 403, user.username)
