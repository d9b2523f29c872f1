"""GET /api/v1/figures: catalogue figures by key for a window and communes."""

from __future__ import annotations

from decimal import Decimal

from cchc.core.figures import Scope, evaluate
from cchc.dossiers import figures as DF
from cchc.testing import BaseTestCase

from .helpers import two_communes


class FiguresApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        two_communes(cls)

    def get(self, url, user):
        return self.client.get(url, HTTP_AUTHORIZATION=self.api_headers(user)["Authorization"])

    def test_it_gives_typed_values_with_labels_units_formatting_and_window(self):
        r = self.get(
            "/api/v1/figures?keys=dossiers.received,dossiers.on_time_rate&period=2025-05", self.chutich
        )
        self.assertEqual(r.status_code, 200, r.content)
        data = r.json()
        window = {
            "period": "2025-05",
            "label": "Tháng 5/2025",
            "date_from": "2025-04-15",
            "date_to": "2025-05-14",
        }
        self.assertEqual(data["window"], window)
        self.assertEqual([c["slug"] for c in data["communes"]], ["ducxuong"])
        self.assertEqual(
            data["figures"],
            [
                {
                    "key": "dossiers.received",
                    "label": DF.RECEIVED.label,
                    "unit": "hồ sơ",
                    "value": 3,
                    "formatted": "3 hồ sơ",
                    "window": window,
                },
                {
                    "key": "dossiers.on_time_rate",
                    "label": DF.ON_TIME_RATE.label,
                    "unit": "%",
                    "value": 100.0,
                    "formatted": "100,00%",
                    "window": window,
                },
            ],
        )
        self.assertIsNone(data["by_commune"])
        # The previous month has nothing to divide by: null, "chưa có dữ liệu".
        before = self.get("/api/v1/figures?keys=dossiers.on_time_rate&period=2025-04", self.chutich).json()
        self.assertEqual(
            (before["figures"][0]["value"], before["figures"][0]["formatted"]), (None, "chưa có dữ liệu")
        )

    def test_the_window_is_cut_on_its_first_and_last_day(self):
        # Received 5/5: inside 15/04–05/05 and 05/05–14/05, outside 15/04–04/05 and 06/05–14/05.
        def received(query):
            return self.get(f"/api/v1/figures?keys=dossiers.received&{query}", self.chutich).json()[
                "figures"
            ][0]["value"]

        self.assertEqual(received("from=2025-04-15&to=2025-05-05"), 3)
        self.assertEqual(received("from=2025-05-05&to=2025-05-14"), 3)
        self.assertEqual(received("from=2025-04-15&to=2025-05-04"), 0)
        self.assertEqual(received("from=2025-05-06&to=2025-05-14"), 0)
        self.assertEqual(received("period=2025"), 3)
        self.assertEqual(received("period=2024"), 0)

    def test_unknown_keys_and_bad_periods_are_refused_naming_them(self):
        r = self.get("/api/v1/figures?keys=dossiers.received,dossiers.nope&keys=x.y", self.chutich)
        self.assertEqual(r.status_code, 422)
        self.assertIn("“dossiers.nope”", r.json()["detail"])
        self.assertIn("“x.y”", r.json()["detail"])
        self.assertNotIn("dossiers.received”", r.json()["detail"])
        r = self.get("/api/v1/figures?keys=dossiers.received&period=2025-13", self.chutich)
        self.assertEqual(r.status_code, 422)
        self.assertIn("không hợp lệ", r.json()["detail"])
        r = self.get("/api/v1/figures?period=2025", self.chutich)
        self.assertEqual(r.status_code, 422)
        self.assertIn("keys", r.json()["detail"])

    def test_another_communes_id_is_not_found_and_roles_without_the_dashboard_are_refused(self):
        for ref in (self.other_commune.pk, self.other_commune.slug, self.other_commune.agency_code):
            r = self.get(f"/api/v1/figures?keys=dossiers.received&commune={ref}", self.chutich)
            self.assertEqual(r.status_code, 404, ref)
        r = self.get(f"/api/v1/figures?keys=dossiers.received&commune={self.commune.pk}", self.chutich)
        self.assertEqual(r.json()["figures"][0]["value"], 0)  # current year: nothing
        r = self.get("/api/v1/figures?keys=dossiers.received", self.motcua)
        self.assertEqual(r.status_code, 403)
        r = self.get("/api/v1/figures?keys=dossiers.received", self.tuphap)
        self.assertEqual(r.status_code, 403)

    def test_the_province_gets_all_its_communes_or_the_ones_it_names_each_with_its_values(self):
        r = self.get(
            "/api/v1/figures?keys=dossiers.received,dossiers.finished_late&period=2025-05", self.captren
        )
        data = r.json()
        self.assertEqual(sorted(c["slug"] for c in data["communes"]), ["ducxuong", "gialoc"])
        self.assertEqual([f["value"] for f in data["figures"]], [4, 1])
        r = self.get(
            "/api/v1/figures?keys=dossiers.received,dossiers.finished_late&period=2025-05"
            f"&commune={self.other_commune.slug}&commune={self.commune.agency_code}&by_commune=true",
            self.captren,
        )
        data = r.json()
        self.assertEqual([c["slug"] for c in data["communes"]], ["gialoc", "ducxuong"])
        per = {row["commune"]["slug"]: [f["value"] for f in row["figures"]] for row in data["by_commune"]}
        self.assertEqual(per, {"gialoc": [1, 1], "ducxuong": [3, 0]})
        # Each commune's value equals the catalogue's for that commune alone.
        scope = Scope.of(
            commune_ids=[self.commune.pk],
            date_from=self.d1.received_at.date().replace(day=1),
            date_to=self.d1.received_at.date().replace(day=14),
        )
        self.assertEqual(evaluate([DF.RECEIVED], scope)[DF.RECEIVED], per["ducxuong"][0])
        self.assertEqual(Decimal(str(data["figures"][0]["value"])), Decimal(4))
