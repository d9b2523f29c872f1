from datetime import date

from django.utils import timezone

from cchc.dossiers.models import Outcome
from cchc.satisfaction import services

from .helpers import SCORES, FastTestCase, at, make_dossier, make_procedure

URL = "/api/v1/stats/satisfaction"


class SatisfactionStatsApiTests(FastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.procedure = make_procedure(cls.commune, department=cls.dept_justice)
        # Received Monday 05/01/2026, 3 working days: due Thursday 08/01/2026.
        for i, (satisfied, outcome, day) in enumerate(
            [(True, Outcome.ON_TIME, 8), (True, Outcome.EARLY, 7), (False, Outcome.LATE, 9)]
        ):
            dossier = make_dossier(
                cls.commune,
                cls.procedure,
                received=date(2026, 1, 5),
                finished=date(2026, 1, day),
                outcome=outcome,
                department=cls.dept_justice,
                returned_by=cls.motcua,
            )
            services.rating_submit(
                dossier=dossier,
                channel="qr",
                scores={**SCORES, "officials": 3 + i},
                satisfied=satisfied,
                at=at(date(2026, 1, 12)),
            )
        make_dossier(
            cls.commune,
            cls.procedure,
            received=date(2026, 1, 5),
            finished=date(2026, 1, 8),
            outcome=Outcome.ON_TIME,
        )

    def get(self, user, **params):
        return self.client.get(URL, params, headers=self.api_headers(user))

    def test_it_returns_the_figures_of_the_window(self):
        response = self.get(self.vanphong, **{"from": "2026-01-01", "to": "2026-01-31"})
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["rated"], 3)
        self.assertEqual(body["satisfied"], 2)
        self.assertEqual(body["satisfaction_rate"], 66.67)
        self.assertEqual(
            body["factor_means"],
            {"access": 5.0, "procedure": 4.0, "officials": 4.0, "result": 5.0, "feedback": 4.0},
        )
        # 4 finished; 1 late; 1 (the same) not satisfied → 100 − 25 − 25.
        self.assertEqual(body["index766_procedure_satisfaction"], 50.0)
        self.assertEqual((body["finished"], body["late"], body["with_complaint"]), (4, 1, 1))

    def test_filters_by_department_and_procedure(self):
        window = {"from": "2026-01-01", "to": "2026-01-31"}
        body = self.get(self.chutich, **window, department=self.dept_land.pk).json()
        self.assertEqual((body["rated"], body["finished"]), (0, 0))
        self.assertIsNone(body["index766_procedure_satisfaction"])
        self.assertEqual(self.get(self.chutich, **window, procedure="1.001193").json()["rated"], 3)
        self.assertEqual(
            self.get(self.chutich, **window, procedure=str(self.procedure.pk)).json()["rated"], 3
        )
        self.assertEqual(self.get(self.chutich, **window, procedure="9.999999").status_code, 404)
        self.assertEqual(self.get(self.chutich, **window, department=self.other_dept.pk).status_code, 404)

    def test_scope_follows_the_user(self):
        window = {"from": "2026-01-01", "to": "2026-01-31"}
        self.assertEqual(self.get(self.other, **window).json()["rated"], 0)
        self.assertEqual(self.get(self.captren, **window).json()["rated"], 3)
        self.assertEqual(self.get(self.captren, **window, commune="gialoc").json()["rated"], 0)
        self.assertEqual(self.get(self.other, **window, commune="ducxuong").status_code, 404)

    def test_it_needs_a_token_and_the_permission(self):
        self.assertEqual(self.client.get(URL).status_code, 401)
        response = self.get(self.tuphap)
        self.assertEqual(response.status_code, 403)
        self.assertIn("quyền", response.json()["detail"])

    def test_bad_dates_are_refused_in_vietnamese(self):
        response = self.get(self.vanphong, **{"from": "2026-02-01", "to": "2026-01-01"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Ngày kết thúc 01/01/2026 trước ngày bắt đầu 01/02/2026", response.json()["detail"])
        self.assertEqual(self.get(self.vanphong, **{"from": "31/02/2026"}).status_code, 422)

    def test_the_default_window_is_this_reporting_month(self):
        from cchc.core.periods import containing

        body = self.get(self.vanphong).json()
        month = containing(timezone.localdate())  # 15th of the previous month → 14th
        self.assertEqual(body["date_from"], month.date_from.isoformat())
        self.assertEqual(body["window"]["period"], month.code)
        q1 = self.get(self.vanphong, period="2026-Q1").json()
        self.assertEqual((q1["date_from"], q1["date_to"]), ("2025-12-15", "2026-03-14"))
