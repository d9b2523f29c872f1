"""GET /api/v1/periods: every reporting period of a year with its window and deadline."""

from __future__ import annotations

from django.test import override_settings

from cchc.testing import BaseTestCase


class PeriodsApiTests(BaseTestCase):
    def get(self, url, user=None):
        headers = {}
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = self.api_headers(user)["Authorization"]
        return self.client.get(url, **headers)

    def test_it_lists_the_windows_and_deadlines_of_a_year_across_its_ends(self):
        data = self.get("/api/v1/periods?year=2024", self.chutich).json()
        self.assertEqual(data["year"], 2024)
        by_code = {p["code"]: p for p in data["periods"]}
        self.assertEqual(len(data["periods"]), 19)  # 12 months, 4 quarters, H1, 9M, year
        self.assertEqual(
            by_code["2024-01"],
            {
                "code": "2024-01",
                "kind": "month",
                "label": "Tháng 1/2024",
                "date_from": "2023-12-15",
                "date_to": "2024-01-14",
                "window": "15/12/2023 – 14/01/2024",
                "deadline": "2024-01-15",
            },
        )
        self.assertEqual(
            (by_code["2024-Q1"]["date_from"], by_code["2024-Q1"]["date_to"], by_code["2024-Q1"]["deadline"]),
            ("2023-12-15", "2024-03-14", "2024-03-15"),
        )
        self.assertEqual(
            (by_code["2024-H1"]["date_to"], by_code["2024-9M"]["date_to"], by_code["2024"]["date_to"]),
            ("2024-06-14", "2024-09-14", "2024-12-14"),
        )
        self.assertEqual(by_code["2024"]["window"], "15/12/2023 – 14/12/2024")
        self.assertEqual(by_code["2024-12"]["date_from"], "2024-11-15")
        # In the order of the deadlines: the year closes the list, after Q4 and month 12.
        self.assertEqual([p["code"] for p in data["periods"]][-3:], ["2024-12", "2024-Q4", "2024"])
        # The next year starts the day after this one ends.
        nxt = {p["code"]: p for p in self.get("/api/v1/periods?year=2025", self.chutich).json()["periods"]}
        self.assertEqual(nxt["2025-01"]["date_from"], "2024-12-15")

    @override_settings(REPORT_DEADLINE_DAY=20)
    def test_the_provinces_deadline_day_is_used(self):
        data = self.get("/api/v1/periods?year=2024", self.captren).json()
        self.assertEqual({p["code"]: p["deadline"] for p in data["periods"]}["2024-Q2"], "2024-06-20")

    def test_bad_years_are_refused_in_vietnamese_and_anonymous_calls_are_refused(self):
        r = self.get("/api/v1/periods?year=1800", self.chutich)
        self.assertEqual(r.status_code, 422)
        self.assertIn("Năm 1800 không hợp lệ", r.json()["detail"])
        r = self.get("/api/v1/periods?year=abc", self.chutich)
        self.assertEqual(r.status_code, 422)
        self.assertIn("phải là số nguyên", r.json()["detail"])
        self.assertEqual(self.get("/api/v1/periods?year=2024").status_code, 401)
