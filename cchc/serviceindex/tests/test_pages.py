"""The pages and the API of the service index: values as computed, drill-down lists
equal to the item's count, another commune's dossiers absent, permission checks."""

import re

from cchc.dossiers.tests.test_progress import ProgressHistory
from cchc.org.models import Role
from cchc.testing import make_user

PERIOD = "period=2025-05"


def listed(html: str) -> set[str]:
    table = re.search(r'<table[^>]*id="dossiers".*?</table>', html, re.S).group(0)
    return set(re.findall(r'href="/ho-so/([^/"]+)/"', table))


class PageTests(ProgressHistory):
    def test_the_commune_page_shows_every_item_with_points_or_why_not(self):
        self.login(self.chutich)
        html = self.client.get(f"/chi-so-phuc-vu/?{PERIOD}").content.decode()
        row = re.search(r'data-item="ON_TIME".*?</tr>', html, re.S).group(0)
        self.assertIn("<strong data-points>10,00</strong>", row)
        self.assertIn("50,00%", row)  # the progress rate
        self.assertIn("33,33%", row)  # the on-time rate of finished dossiers, beside it
        self.assertIn("Tỷ lệ giải quyết đúng hạn (trên số đã giải quyết)", row)
        sync = re.search(r'data-item="DOSSIER_SYNC".*?</tr>', html, re.S).group(0)
        self.assertIn("không có dữ liệu", sync)
        self.assertIn('data-total="measured">22,00 / 46,00', html)
        self.assertIn('data-total="attainable">76,00 / 100,00', html)
        self.assertIn('id="trend"', html)
        self.assertEqual(len(re.findall(r"<tr><td>Tháng", html)), 12)

    def test_the_drilldown_lists_the_counted_dossiers_of_the_commune_only(self):
        self.login(self.chutich)
        url = f"/chi-so-phuc-vu/xa/{self.commune.pk}/chi-tieu/ON_TIME/ho-so/?{PERIOD}"
        num = self.client.get(url + "&phan=tu-so").content.decode()
        codes = listed(num)
        self.assertEqual(codes, {self.a.code, self.b.code, self.e.code})
        self.assertIn("<strong>3 hồ sơ</strong>", num)
        den = self.client.get(url + "&phan=mau-so").content.decode()
        codes = listed(den)
        self.assertEqual(len(codes), 6)
        self.assertNotIn(self.x.code, codes)
        self.assertIn("<strong>6 hồ sơ</strong>", den)

    def test_figures_shown_with_an_item_drill_down_too(self):
        self.login(self.chutich)
        html = self.client.get(f"/chi-so-phuc-vu/?{PERIOD}").content.decode()
        base = f"/chi-so-phuc-vu/xa/{self.commune.pk}/chi-tieu/"
        self.assertIn(f'href="{base}ON_TIME/ho-so/?{PERIOD}&amp;phan=tu-so"', html)
        # Satisfaction with procedure handling shows the late finished dossiers: D and G.
        url = f"{base}DOSSIER_RECEIVING_SATISFACTION/ho-so/?{PERIOD}&phan=kem-3"
        self.assertIn(f'href="{url.replace("&", "&amp;")}"', html)
        page = self.client.get(url).content.decode()
        self.assertEqual(listed(page), {self.d.code, self.g.code})
        self.assertIn("<strong>2 hồ sơ</strong>", page)

    def test_another_communes_index_and_dossiers_are_not_found(self):
        self.login(self.other)
        url = f"/chi-so-phuc-vu/xa/{self.commune.pk}/chi-tieu/ON_TIME/ho-so/?{PERIOD}"
        self.assertEqual(self.client.get(url).status_code, 404)
        # The commune field is not offered to commune staff: their own commune is shown.
        html = self.client.get(f"/chi-so-phuc-vu/?{PERIOD}&commune={self.commune.pk}").content.decode()
        self.assertIn("gialoc", html)
        self.assertNotIn("ducxuong", html)

    def test_an_item_with_no_dossier_list_is_not_found(self):
        self.login(self.chutich)
        url = f"/chi-so-phuc-vu/xa/{self.commune.pk}/chi-tieu/DOSSIER_SYNC/ho-so/?{PERIOD}"
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_province_sees_every_commune(self):
        self.login(self.captren)
        response = self.client.get(f"/chi-so-phuc-vu/?{PERIOD}")
        self.assertRedirects(response, f"/chi-so-phuc-vu/cac-xa/?{PERIOD}", fetch_redirect_response=False)
        html = self.client.get(f"/chi-so-phuc-vu/cac-xa/?{PERIOD}").content.decode()
        rows = dict(re.findall(r'data-commune="(\d+)">.*?data-points>([^<]+)<', html, re.S))
        self.assertEqual(rows[str(self.commune.pk)], "22,00 / 46,00")
        self.assertEqual(rows[str(self.other_commune.pk)], "12,00 / 46,00")
        one = self.client.get(f"/chi-so-phuc-vu/?{PERIOD}&commune={self.other_commune.pk}").content.decode()
        self.assertIn('data-total="measured">12,00 / 46,00', one)

    def test_a_department_officer_may_not_see_it(self):
        self.login(self.tuphap)
        self.assertEqual(self.client.get(f"/chi-so-phuc-vu/?{PERIOD}").status_code, 403)

    def test_a_bad_period_is_explained(self):
        self.login(self.chutich)
        html = self.client.get("/chi-so-phuc-vu/?period=2025-13").content.decode()
        self.assertIn("Kỳ “2025-13” không hợp lệ", html)

    def test_the_home_panel_links_to_it(self):
        self.login(self.chutich)
        html = self.client.get("/").content.decode()
        self.assertIn("Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)", html)
        self.assertIn('href="/chi-so-phuc-vu/"', html)


class ApiTests(ProgressHistory):
    def get(self, user, query):
        return self.client.get(f"/api/v1/service-index?{query}", headers=self.api_headers(user))

    def test_it_returns_the_items_and_totals(self):
        data = self.get(self.chutich, PERIOD).json()
        self.assertEqual(data["window"]["date_from"], "2025-04-15")
        self.assertEqual((data["points"], data["measured_max"], data["max_attainable"]), (22.0, 46.0, 76.0))
        items = {i["code"]: i for g in data["groups"] for i in g["items"]}
        self.assertEqual(items["ON_TIME"]["points"], 10.0)
        self.assertEqual(items["ON_TIME"]["ratio"], 0.5)
        roles = {f["role"]: f["value"] for f in items["ON_TIME"]["figures"]}
        self.assertEqual(roles, {"rate": 50.0, "numerator": 3, "denominator": 6, "shown": 33.33})
        self.assertEqual(items["DOSSIER_SYNC"]["state"], "not_measured")
        self.assertIsNone(items["DOSSIER_SYNC"]["points"])
        self.assertFalse(data["version"]["applies"])

    def test_another_commune_is_not_found_and_bad_input_is_explained(self):
        self.assertEqual(
            self.get(self.other, f"{PERIOD}&commune={self.commune.agency_code}").status_code, 404
        )
        bad = self.get(self.chutich, "period=2025-13")
        self.assertEqual(bad.status_code, 422)
        self.assertIn("không hợp lệ", bad.json()["detail"])
        self.assertEqual(self.get(self.captren, PERIOD).status_code, 422)  # which commune?
        data = self.get(self.captren, f"{PERIOD}&commune={self.other_commune.slug}").json()
        self.assertEqual(data["points"], 12.0)

    def test_it_needs_the_permission(self):
        officer = make_user("dept2", Role.DEPARTMENT_OFFICER, self.commune, self.dept_land)
        self.assertEqual(self.get(officer, PERIOD).status_code, 403)
