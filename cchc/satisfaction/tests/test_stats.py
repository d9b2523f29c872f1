from datetime import date

from django.core.exceptions import ValidationError

from cchc.dossiers.models import Outcome, Status
from cchc.satisfaction import services
from cchc.satisfaction.models import RatingChannel

from .helpers import SCORES, FastTestCase, at, make_dossier, make_procedure

JAN = dict(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))


class CraftedSetTests(FastTestCase):
    """Ten dossiers of xã Đức Xương finished in January 2026, one of them late;
    ratings given in January on five dossiers (one finished in December), two of
    them "not satisfied" (one on the late dossier)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.birth = make_procedure(cls.commune, department=cls.dept_justice)
        cls.land = make_procedure(cls.commune, code="1.003000", name="Xác nhận đất", field="Đất đai")
        cls.dossiers = []
        for i in range(10):
            procedure = cls.land if i == 9 else cls.birth
            dept = cls.dept_land if i == 9 else cls.dept_justice
            cls.dossiers.append(
                make_dossier(
                    cls.commune,
                    procedure,
                    # The first received Friday 02/01 (due Wednesday 07/01), the others
                    # the day before they were finished (3 working days: early).
                    received=date(2026, 1, 2) if i == 0 else date(2026, 1, 7 + i),
                    finished=date(2026, 1, 8 + i),
                    outcome=Outcome.LATE if i == 0 else Outcome.EARLY,
                    department=dept,
                    # The land dossier is rated before its result is returned: the
                    # rating goes to the officer who finished it.
                    status=Status.PROCESSED if i == 9 else Status.RETURNED,
                    handled_by=cls.diachinh if i == 9 else None,
                    returned_by=cls.motcua,
                )
            )
        cls.december = make_dossier(
            cls.commune,
            cls.birth,
            received=date(2025, 12, 20),
            finished=date(2025, 12, 22),
            department=cls.dept_justice,
            returned_by=cls.motcua,
        )
        # Another commune: never counted for Đức Xương.
        other_proc = make_procedure(cls.other_commune)
        cls.elsewhere = make_dossier(
            cls.other_commune, other_proc, received=date(2026, 1, 5), finished=date(2026, 1, 9)
        )

        def rate(dossier, satisfied, day, scores=SCORES, comment=""):
            services.rating_submit(
                dossier=dossier,
                channel=RatingChannel.QR,
                scores=scores,
                satisfied=satisfied,
                comment=comment,
                at=at(day, 10),
            )

        d = cls.dossiers
        rate(d[0], False, date(2026, 1, 9), {**SCORES, "result": 1}, "Trễ hẹn")
        rate(d[1], True, date(2026, 1, 10))
        rate(d[2], True, date(2026, 1, 12))
        rate(d[9], False, date(2026, 1, 20), {k: 2 for k in SCORES})
        rate(cls.december, True, date(2026, 1, 2))
        rate(cls.elsewhere, False, date(2026, 1, 10))
        # Rated in February: outside the January ratings, but its dossier finished in January.
        rate(d[3], False, date(2026, 2, 3))

    def stats(self, **kw):
        return services.satisfaction_stats(commune_ids=[self.commune.pk], **{**JAN, **kw})

    def test_it_counts_ratings_given_in_the_window(self):
        s = self.stats()
        self.assertEqual(s["rated"], 5)
        self.assertEqual(s["satisfied"], 3)
        self.assertEqual(s["satisfaction_rate"], 60.0)
        self.assertEqual(s["factor_means"]["access"], round((5 + 5 + 5 + 2 + 5) / 5, 2))
        self.assertEqual(s["factor_means"]["result"], round((1 + 5 + 5 + 2 + 5) / 5, 2))

    def test_the_766_figure_on_dossiers_finished_in_the_window(self):
        s = self.stats()
        self.assertEqual(s["finished"], 10)
        self.assertEqual(s["late"], 1)
        # d0 (late and not satisfied), d9 and d3 (rated in February) are complaints.
        self.assertEqual(s["with_complaint"], 3)
        self.assertEqual(s["index766_procedure_satisfaction"], 100 - 10 - 30)

    def test_department_and_procedure_filters(self):
        s = self.stats(department=self.dept_land)
        self.assertEqual(
            (s["rated"], s["satisfied"], s["finished"], s["late"], s["with_complaint"]), (1, 0, 1, 0, 1)
        )
        self.assertEqual(s["index766_procedure_satisfaction"], 0.0)
        by_code = self.stats(procedure="1.001193")
        by_row = self.stats(procedure=self.birth)
        self.assertEqual(by_code, by_row)
        self.assertEqual(by_code["rated"], 4)
        self.assertEqual(by_code["finished"], 9)

    def test_an_officer_filter_gives_ratings_only(self):
        s = self.stats(officer=self.diachinh)
        self.assertEqual((s["rated"], s["satisfied"]), (1, 0))
        self.assertIsNone(s["index766_procedure_satisfaction"])

    def test_empty_windows_give_none_not_zero(self):
        s = self.stats(date_from=date(2025, 6, 1), date_to=date(2025, 6, 30))
        self.assertEqual(s["rated"], 0)
        self.assertIsNone(s["satisfaction_rate"])
        self.assertIsNone(s["index766_procedure_satisfaction"])
        self.assertEqual(s["factor_means"], dict.fromkeys(SCORES))

    def test_a_reversed_window_is_refused(self):
        with self.assertRaises(ValidationError):
            self.stats(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1))

    def test_province_users_see_every_commune(self):
        s = services.satisfaction_stats(commune_ids=self.captren.commune_ids(), **JAN)
        self.assertEqual(s["rated"], 6)
        self.assertEqual(s["finished"], 11)

    def test_breakdowns_by_department_officer_and_procedure(self):
        kw = dict(commune_ids=[self.commune.pk], **JAN)
        by_dept = {r["name"]: r for r in services.satisfaction_breakdown(**kw, by="department")}
        self.assertEqual(by_dept["Tư pháp – Hộ tịch"]["rated"], 4)
        self.assertEqual(by_dept["Tư pháp – Hộ tịch"]["satisfaction_rate"], 75.0)
        self.assertEqual(by_dept["Địa chính – Xây dựng"]["satisfaction_rate"], 0.0)
        by_officer = {r["id"]: r for r in services.satisfaction_breakdown(**kw, by="officer")}
        self.assertEqual(by_officer[self.motcua.pk]["rated"], 4)
        self.assertEqual(by_officer[self.diachinh.pk]["factor_means"]["officials"], 2.0)
        by_proc = services.satisfaction_breakdown(**kw, by="procedure")
        self.assertEqual([r["rated"] for r in by_proc], [4, 1])

    def test_by_month(self):
        months = services.satisfaction_by_month(
            commune_ids=[self.commune.pk], date_from=date(2025, 12, 1), date_to=date(2026, 2, 28)
        )
        self.assertEqual(
            [m["month"] for m in months], [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
        )
        self.assertEqual([m["rated"] for m in months], [0, 5, 1])
        self.assertEqual([m["satisfaction_rate"] for m in months], [None, 60.0, 0.0])

    def test_the_catalogue_gives_the_same_figures_per_commune(self):
        from decimal import Decimal

        from cchc.core.figures import Scope, evaluate, evaluate_by_commune
        from cchc.satisfaction import figures as F

        scope = Scope.of(commune_ids=[self.commune.pk], **JAN)
        v = evaluate(F.STATISTICS, scope)
        self.assertEqual(
            [v[f] for f in F.STATISTICS], [5, 3, Decimal("60.00"), Decimal("60.00"), 3]
        )  # 766: 100 − 10 − 30
        officer = evaluate(
            F.BY_OFFICER, Scope.of(commune_ids=[self.commune.pk], officer=self.diachinh, **JAN)
        )
        self.assertEqual([officer[f] for f in F.BY_OFFICER], [1, 0, Decimal("0.00")])
        both = Scope.of(commune_ids=self.captren.commune_ids(), **JAN)
        grouped = evaluate_by_commune(F.STATISTICS, both)
        self.assertEqual(grouped[self.commune.pk], v)
        self.assertEqual(
            [grouped[self.other_commune.pk][f] for f in F.STATISTICS],
            [1, 0, Decimal("0.00"), Decimal("0.00"), 1],
        )
        empty = evaluate(
            F.STATISTICS,
            Scope.of(commune_ids=[self.commune.pk], date_from=date(2025, 6, 1), date_to=date(2025, 6, 30)),
        )
        self.assertEqual([empty[f] for f in F.STATISTICS], [0, 0, None, None, 0])
        means = evaluate(F.FACTOR_MEANS, scope)
        self.assertEqual(means[F.FACTOR_MEANS[0]], Decimal("4.40"))  # access: (5 + 5 + 5 + 2 + 5) / 5


class ClampTests(FastTestCase):
    def test_the_766_figure_never_goes_below_zero(self):
        procedure = make_procedure(self.commune)
        for day in (8, 9):
            dossier = make_dossier(
                self.commune,
                procedure,
                received=date(2026, 1, 2),  # due Wednesday 07/01
                finished=date(2026, 1, day),
                outcome=Outcome.LATE,
            )
            services.rating_submit(dossier=dossier, channel="qr", scores=SCORES, satisfied=False)
        s = services.satisfaction_stats(commune_ids=[self.commune.pk], **JAN)
        self.assertEqual((s["finished"], s["late"], s["with_complaint"]), (2, 2, 2))
        self.assertEqual(s["index766_procedure_satisfaction"], 0.0)
