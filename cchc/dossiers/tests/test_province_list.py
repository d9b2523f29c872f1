"""The province's dossier list names each dossier's commune and filters by commune;
a commune's own list stays as it was (no commune column, no filter)."""

from __future__ import annotations

from cchc.testing import BaseTestCase

from .helpers import at, make_procedure, receive


class ProvinceListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.mine = receive(cls.motcua, make_procedure(cls.commune), at(2025, 5, 5))
        cls.theirs = receive(cls.other, make_procedure(cls.other_commune), at(2025, 5, 6))

    def test_the_province_sees_a_commune_column_and_filters_by_commune(self):
        self.login(self.captren)
        html = self.client.get("/ho-so/?hang=all").content.decode()
        self.assertIn("<th>Xã</th>", html)
        row = html.split(self.theirs.code)[0].rsplit("<tr>", 1)[1]
        self.assertIn(self.other_commune.short_name, row)
        self.assertIn(self.mine.code, html)
        filtered = self.client.get(f"/ho-so/?hang=all&xa={self.other_commune.slug}").content.decode()
        self.assertIn(self.theirs.code, filtered)
        self.assertNotIn(self.mine.code, filtered)
        self.assertIn(f'<option value="{self.other_commune.slug}" selected>', filtered)
        # The tabs keep the commune chosen.
        self.assertIn(f"?hang=overdue&amp;xa={self.other_commune.slug}", filtered)
        unknown = self.client.get("/ho-so/?hang=all&xa=khong-co").content.decode()
        self.assertIn("Không có xã “khong-co” trong các xã bạn được xem", unknown)
        self.assertIn(self.mine.code, unknown)
        self.assertIn(self.theirs.code, unknown)

    def test_the_province_lands_on_every_dossier_of_its_communes(self):
        self.login(self.captren)
        html = self.client.get("/ho-so/").content.decode()
        self.assertIn('nav-link active" href="?hang=all"', html)
        self.assertIn(self.mine.code, html)
        self.assertIn(self.theirs.code, html)

    def test_a_commune_user_has_no_commune_column_and_cannot_reach_another_commune(self):
        self.login(self.motcua)
        html = self.client.get(f"/ho-so/?hang=all&xa={self.other_commune.slug}").content.decode()
        self.assertNotIn("<th>Xã</th>", html)
        self.assertNotIn('name="xa"', html)
        self.assertIn(self.mine.code, html)
        self.assertNotIn(self.theirs.code, html)
