"""Every figures page, its export and the dashboards take `period=` (or from/to), show
the window in dd/mm/yyyy and refuse a bad period with a Vietnamese message."""

from __future__ import annotations

from cchc.dossiers.tests.helpers import act, at, receive
from cchc.plans.tests.helpers import PlanTestCase

from .helpers import two_communes

PAGES = (
    ("/ho-so/thong-ke/", "xuat=xlsx", "chutich"),
    ("/danh-gia/", "format=xlsx", "chutich"),
    ("/phan-anh/quan-ly/thong-ke/", "format=xlsx", "chutich"),
    ("/dieu-hanh/", None, "chutich"),
    ("/dieu-hanh/cong-chuc/", "xuat=xlsx", "chutich"),
    ("/dieu-hanh/so-sanh/", "xuat=xlsx", "captren"),
)


class PeriodsEverywhereTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        two_communes(cls)
        # On the first and the last day of the 2024 year window (15/12/2023, 14/12/2024)
        # and on the day after it.
        for day in (at(2023, 12, 15, 0, 1), at(2024, 12, 14, 23, 59), at(2024, 12, 15, 0, 1)):
            d = receive(cls.motcua, cls.proc, day)
            act(d, "transfer", cls.motcua, day)

    def test_each_page_shows_the_window_and_each_export_is_cut_on_it(self):
        for url, export, username in PAGES:
            self.login(getattr(self, username))
            html = self.client.get(f"{url}?period=2024-Q1").content.decode()
            self.assertIn("Quý I/2024", html, url)
            self.assertIn("15/12/2023", html, url)
            self.assertIn("14/03/2024", html, url)
            if export:
                r = self.client.get(f"{url}?period=2024-Q1&{export}")
                self.assertIn("20231215-20240314.xlsx", r["Content-Disposition"], url)
            ranged = self.client.get(f"{url}?date_from=01/02/2024&date_to=29/02/2024").content.decode()
            self.assertIn("01/02/2024", ranged, url)
            self.assertIn("29/02/2024", ranged, url)

    def test_a_bad_period_is_refused_in_vietnamese_on_every_page(self):
        for url, _, username in PAGES:
            self.login(getattr(self, username))
            r = self.client.get(f"{url}?period=2024-Q5")
            self.assertContains(r, "Kỳ “2024-Q5” không hợp lệ", msg_prefix=url)
            r = self.client.get(f"{url}?date_from=31/02/2024")
            self.assertContains(r, "Vui lòng sửa các ô được đánh dấu bên dưới.", msg_prefix=url)
            self.assertRegex(r.content.decode(), r"(Nhập một ngày hợp lệ|Ngày không hợp lệ)", url)

    def test_the_year_window_counts_its_first_and_last_day_and_not_the_next(self):
        self.login(self.chutich)

        def received(period):
            return self.client.get(
                f"/api/v1/figures?keys=dossiers.received&period={period}",
                HTTP_AUTHORIZATION=self.api_headers(self.chutich)["Authorization"],
            ).json()["figures"][0]["value"]

        self.assertEqual(received("2024"), 2)
        self.assertEqual(received("2024-01"), 1)  # 15/12/2023 belongs to January 2024
        self.assertEqual(received("2023"), 0)
        self.assertEqual(received("2024-12"), 1)
        self.assertEqual(received("2025-01"), 1)  # 15/12/2024 opens the next year
        # The stats page says the same for the same windows.
        html = self.client.get("/ho-so/thong-ke/?period=2024").content.decode()
        self.assertIn('data-key="dossiers.received">2 hồ sơ', html)
