from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from cchc.core.periods import containing
from cchc.dossiers.models import Outcome, Status
from cchc.satisfaction import services as satisfaction
from cchc.satisfaction.tests.helpers import SCORES, FastTestCase, at, make_dossier, make_procedure


class TransparencyPageTests(FastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.birth = make_procedure(
            cls.commune, name="Đăng ký khai sinh", fee_amount=0, reviewed_parts=["time", "fee", "documents"]
        )
        cls.land = make_procedure(
            cls.commune,
            code="1.003000",
            name="Xác nhận tình trạng đất đai",
            field="Đất đai",
            fee_amount=20000,
            online=False,
            online_level="none",
        )
        make_procedure(cls.commune, code="1.009999", name="Thủ tục chưa công khai", is_published=False)
        make_procedure(cls.other_commune, code="2.000001", name="Thủ tục của xã khác")
        today = timezone.localdate()
        cls.today = today
        # This month: 4 finished (1 late) → on time 75%; 2 rated, 1 satisfied → 50%.
        # Received yesterday (3 working days): early; received a month ago: late.
        for i, outcome in enumerate([Outcome.EARLY, Outcome.EARLY, Outcome.EARLY, Outcome.LATE]):
            dossier = make_dossier(
                cls.commune,
                cls.birth,
                received=today - timedelta(days=30 if outcome == Outcome.LATE else 1),
                finished=today,
                outcome=outcome,
            )
            if i < 2:
                satisfaction.rating_submit(
                    dossier=dossier, channel="qr", scores=SCORES, satisfied=i == 0, at=at(today, 0, 1)
                )
        # Earlier this reporting year (if there is an earlier reporting month — the month
        # runs from the 15th of the previous month to the 14th): 1 more finished on
        # time, rated satisfied, on the last day of the previous reporting month.
        cls.month = containing(today)
        if cls.month.number > 1:
            earlier = cls.month.date_from - timedelta(days=1)
            dossier = make_dossier(cls.commune, cls.birth, received=earlier, finished=earlier)
            satisfaction.rating_submit(
                dossier=dossier, channel="qr", scores=SCORES, satisfied=True, at=at(earlier)
            )
        make_dossier(cls.commune, cls.birth, received=today, status=Status.PROCESSING)

    def setUp(self):
        cache.clear()

    def test_the_index_lists_communes_or_goes_straight_to_the_only_one(self):
        response = self.client.get("/cong-khai/")
        self.assertContains(response, 'href="/cong-khai/ducxuong/"')
        self.assertContains(response, 'href="/cong-khai/gialoc/"')
        self.other_commune.is_active = False
        self.other_commune.save()
        self.assertRedirects(self.client.get("/cong-khai/"), "/cong-khai/ducxuong/")

    def test_it_shows_the_published_catalogue_only(self):
        response = self.client.get("/cong-khai/ducxuong/")
        self.assertContains(response, "Đăng ký khai sinh")
        self.assertContains(response, "Xác nhận tình trạng đất đai")
        # Only reviewed parts are published: the land procedure's fee and time are not reviewed yet.
        self.assertNotContains(response, "20.000 đồng")
        self.assertContains(response, "đang cập nhật")
        self.assertContains(response, "Miễn phí")
        self.assertContains(response, "3 ngày làm việc")
        self.assertContains(response, "Toàn trình")
        self.assertContains(response, "Giấy chứng sinh")
        self.assertNotContains(response, "Thủ tục chưa công khai")
        self.assertNotContains(response, "Thủ tục của xã khác")
        self.assertContains(response, 'href="/cong-khai/tra-cuu/"')

    def test_search_ignores_diacritics_and_filters_by_field(self):
        response = self.client.get("/cong-khai/ducxuong/", {"q": "khai sinh"})
        self.assertContains(response, "Đăng ký khai sinh")
        self.assertNotContains(response, "Xác nhận tình trạng đất đai")
        response = self.client.get("/cong-khai/ducxuong/", {"q": "DAT DAI"})
        self.assertContains(response, "Xác nhận tình trạng đất đai")
        response = self.client.get("/cong-khai/ducxuong/", {"field": "Đất đai"})
        self.assertContains(response, "Xác nhận tình trạng đất đai")
        self.assertNotContains(response, "Đăng ký khai sinh")
        response = self.client.get("/cong-khai/ducxuong/", {"field": "Không có"})
        self.assertContains(response, "Lĩnh vực không có trong danh mục")

    def test_the_catalogue_is_paginated(self):
        for i in range(25):
            make_procedure(self.commune, code=f"9.{i:06d}", name=f"Thủ tục mẫu {i}", field="Mẫu")
        response = self.client.get("/cong-khai/ducxuong/", {"field": "Mẫu"})
        self.assertContains(response, "Trang 1/2")
        self.assertContains(self.client.get("/cong-khai/ducxuong/", {"field": "Mẫu", "page": 2}), "Trang 2/2")

    def test_it_shows_this_months_and_this_years_figures_as_text(self):
        response = self.client.get("/cong-khai/ducxuong/")
        html = response.content.decode()
        month = html[html.index('data-period="month"') : html.index('data-period="year"')]
        self.assertIn('data-key="dossiers.on_time_rate">75,00%', month)
        self.assertIn('data-key="satisfaction.rate">50,00%', month)
        self.assertIn(f"({self.month.date_from:%d/%m/%Y} – {self.month.date_to:%d/%m/%Y})", month)
        year = html[html.index('data-period="year"') :]
        if self.month.number > 1:
            self.assertIn('data-key="dossiers.on_time_rate">80,00%', year)
            self.assertIn('data-key="satisfaction.rate">66,67%', year)
        else:
            self.assertIn('data-key="dossiers.on_time_rate">75,00%', year)
        self.assertIn('id="chart-data"', html)
        self.assertIn("vendor/chartjs/chart.umd.min.js", html)
        self.assertIn(self.month.label, html)

    def test_no_personal_data_on_the_public_page(self):
        response = self.client.get("/cong-khai/ducxuong/")
        for value in ("Nguyễn Văn An", "0912345678", "001088012345", "Lê Lợi"):
            self.assertNotContains(response, value)

    def test_an_unknown_commune_is_404(self):
        self.assertEqual(self.client.get("/cong-khai/khong-co/").status_code, 404)
        self.assertEqual(
            self.client.get("/cong-khai/haiphong/").status_code, 404
        )  # a province is not a commune
