from django.utils import timezone

from cchc.satisfaction import services
from cchc.satisfaction.models import FollowUp

from .helpers import SCORES, FastTestCase, at, make_dossier, make_procedure


class StaffPageTests(FastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.procedure = make_procedure(cls.commune, department=cls.dept_justice)
        today = timezone.localdate()
        cls.dossier = make_dossier(
            cls.commune,
            cls.procedure,
            received=today,
            finished=today,
            department=cls.dept_justice,
            returned_by=cls.motcua,
        )
        cls.rating = services.rating_submit(
            dossier=cls.dossier,
            channel="kiosk",
            scores=SCORES,
            satisfied=False,
            comment="Phải chờ quá lâu",
            at=at(today, 0, 5),
        )
        cls.follow_up = cls.rating.follow_up

    def test_the_statistics_page_shows_figures_tables_and_chart_data(self):
        self.login(self.vanphong)
        response = self.client.get("/danh-gia/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-key="satisfaction.rated">1 lượt<')
        self.assertContains(response, 'data-key="satisfaction.rate">⚠ 0,00%<')
        self.assertContains(response, 'data-key="satisfaction.complaints">1 hồ sơ<')
        self.assertContains(response, "Tư pháp – Hộ tịch")
        self.assertContains(response, 'id="chart-data"')
        self.assertContains(response, "vendor/chartjs/chart.umd.min.js")
        self.assertNotContains(response, 'name="commune"')  # one commune: no choice to make

    def test_the_statistics_export_to_excel(self):
        import io

        from openpyxl import load_workbook

        self.login(self.vanphong)
        response = self.client.get("/danh-gia/", {"format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
        figures = {r[0]: r[1] for r in cells if len(r) == 3}
        self.assertEqual(figures["Lượt đánh giá sự hài lòng"], 1)
        self.assertEqual(figures["Tỷ lệ người dân, tổ chức hài lòng"], 0.0)
        self.assertEqual(figures["Mức độ hài lòng về giải quyết TTHC (QĐ 766)"], 0.0)
        self.assertIn(["Tư pháp – Hộ tịch", 1, 0, 0.0], cells)
        self.login(self.tuphap)
        self.assertEqual(self.client.get("/danh-gia/", {"format": "xlsx"}).status_code, 403)

    def test_province_users_choose_the_commune(self):
        self.login(self.captren)
        response = self.client.get("/danh-gia/", {"commune": self.other_commune.pk})
        self.assertContains(response, 'name="commune"')
        self.assertContains(response, 'data-key="satisfaction.rated">0 lượt<')

    def test_filters_are_validated(self):
        self.login(self.vanphong)
        response = self.client.get("/danh-gia/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
        self.assertContains(response, "Ngày kết thúc 01/01/2026 trước ngày bắt đầu 01/02/2026")
        response = self.client.get("/danh-gia/", {"department": self.other_dept.pk})
        self.assertContains(response, "Bộ phận: lựa chọn không hợp lệ")

    def test_department_officers_do_not_see_the_statistics(self):
        self.login(self.tuphap)
        self.assertEqual(self.client.get("/danh-gia/").status_code, 403)
        self.assertEqual(self.client.get("/danh-gia/danh-sach/").status_code, 403)
        self.assertEqual(self.client.get("/danh-gia/phan-hoi/").status_code, 403)

    def test_the_list_of_ratings(self):
        self.login(self.chutich)
        response = self.client.get("/danh-gia/danh-sach/", {"hai_long": "0"})
        self.assertContains(response, self.dossier.code)
        self.assertContains(response, "Phải chờ quá lâu")
        response = self.client.get("/danh-gia/danh-sach/", {"hai_long": "1"})
        self.assertNotContains(response, self.dossier.code)

    def test_only_the_list_filters_by_overall_verdict(self):
        self.login(self.chutich)
        response = self.client.get("/danh-gia/danh-sach/", {"hai_long": "1"})
        self.assertContains(response, 'name="date_from"')
        self.assertContains(response, '<option value="1" selected>Hài lòng</option>')
        self.assertContains(response, '<option value="0">Không hài lòng</option>')
        stats = self.client.get("/danh-gia/", {"hai_long": "1"})
        self.assertContains(stats, 'name="date_from"')
        self.assertNotContains(stats, 'name="hai_long"')

    def test_follow_ups_are_listed_and_closed_by_the_one_stop_side(self):
        self.login(self.vanphong)  # the CCHC office sees them but does not close them
        response = self.client.get("/danh-gia/phan-hoi/")
        self.assertContains(response, self.dossier.code)
        detail = f"/danh-gia/phan-hoi/{self.follow_up.pk}/"
        self.assertNotContains(self.client.get(detail), 'name="resolution"')
        self.assertEqual(self.client.post(detail, {"resolution": "x"}).status_code, 403)
        self.login(self.motcua)
        self.assertContains(self.client.get(detail), 'name="resolution"')
        response = self.client.post(detail, {"resolution": ""})
        self.assertContains(response, "Cần ghi kết quả xử lý")
        self.follow_up.refresh_from_db()
        self.assertEqual(self.follow_up.status, FollowUp.Status.OPEN)
        response = self.client.post(detail, {"resolution": "Đã gọi điện xin lỗi, hướng dẫn lại"})
        self.assertRedirects(response, detail)
        self.follow_up.refresh_from_db()
        self.assertEqual(self.follow_up.status, FollowUp.Status.CLOSED)
        self.assertNotContains(self.client.get("/danh-gia/phan-hoi/"), self.dossier.code)
        self.assertContains(
            self.client.get("/danh-gia/phan-hoi/", {"trang_thai": "closed"}), self.dossier.code
        )

    def test_every_list_and_export_shows_the_users_commune_only(self):
        import io

        from openpyxl import load_workbook

        today = timezone.localdate()
        theirs = make_dossier(
            self.other_commune,
            make_procedure(self.other_commune, department=self.other_dept),
            received=today,
            finished=today,
            department=self.other_dept,
            returned_by=self.other,
        )
        services.rating_submit(
            dossier=theirs,
            channel="kiosk",
            scores=SCORES,
            satisfied=False,
            comment="Ở Gia Lộc",
            at=at(today, 0, 6),
        )
        self.login(self.chutich)
        for url in ("/danh-gia/danh-sach/", "/danh-gia/phan-hoi/"):
            page = self.client.get(url)
            self.assertContains(page, self.dossier.code)
            self.assertNotContains(page, theirs.code)
            self.assertNotContains(page, "Ở Gia Lộc")
        self.assertContains(self.client.get("/danh-gia/"), 'data-key="satisfaction.rated">1 lượt<')
        sheet = load_workbook(io.BytesIO(self.client.get("/danh-gia/", {"format": "xlsx"}).content)).active
        rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
        self.assertEqual({r[0]: r[1] for r in rows if len(r) == 3}["Lượt đánh giá sự hài lòng"], 1)
        api = self.client.get("/api/v1/stats/satisfaction", headers=self.api_headers(self.chutich))
        self.assertEqual(api.json()["rated"], 1)
        self.login(self.other)  # and the other way round
        page = self.client.get("/danh-gia/danh-sach/")
        self.assertContains(page, theirs.code)
        self.assertNotContains(page, self.dossier.code)

    def test_other_communes_do_not_see_the_follow_up(self):
        self.login(self.other)
        self.assertEqual(self.client.get(f"/danh-gia/phan-hoi/{self.follow_up.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/danh-gia/phan-hoi/"), self.dossier.code)

    def test_the_home_panel(self):
        self.login(self.motcua)
        response = self.client.get("/")
        self.assertContains(response, "Sự hài lòng tháng")
        self.assertContains(response, "Phản hồi không hài lòng chưa xử lý")


class NavigationTests(FastTestCase):
    def test_the_menu_entry_follows_the_permission(self):
        self.login(self.chutich)
        self.assertContains(self.client.get("/"), 'href="/danh-gia/"')
        self.login(self.tuphap)
        self.assertNotContains(self.client.get("/"), 'href="/danh-gia/"')
