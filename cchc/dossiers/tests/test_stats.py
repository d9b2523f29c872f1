from datetime import date

from cchc.core.testing import BaseTestCase
from cchc.dossiers.stats import dossier_stats, dossier_stats_by_month

from .helpers import act, at, make_procedure, receive


class StatsTests(BaseTestCase):
    """A small history in April–May 2025, around the 30/4–4/5 holidays."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)  # 3 working days
        cls.land = make_procedure(
            cls.commune, "1.003003", department=cls.dept_land, field="Đất đai", amount=5
        )
        m, t = cls.motcua, cls.tuphap
        # A: Tue 29/4 + 3 working days over the holidays → due Wed 7/5; finished 7/5 exactly: on time.
        cls.a = receive(m, cls.proc, at(2025, 4, 29))
        act(cls.a, "transfer", m, at(2025, 4, 29, 10))
        act(cls.a, "finish", t, at(2025, 5, 7, 16))
        act(cls.a, "return_result", m, at(2025, 5, 8, 8))
        # B: same, finished 6/5: early.
        cls.b = receive(m, cls.proc, at(2025, 4, 29))
        act(cls.b, "transfer", m, at(2025, 4, 29, 10))
        act(cls.b, "finish", t, at(2025, 5, 6))
        # C: supplement pause. Due 7/5; requested 5/5 (2 working days left: 6, 7);
        # arrives 9/5 → due 13/5; finished 13/5: on time although after 7/5.
        cls.c = receive(m, cls.proc, at(2025, 4, 29))
        act(cls.c, "transfer", m, at(2025, 4, 29, 10))
        act(cls.c, "request_supplement", t, at(2025, 5, 5), note="Thiếu", items=["Tờ khai"])
        act(cls.c, "receive_supplement", m, at(2025, 5, 9))
        act(cls.c, "finish", t, at(2025, 5, 13))
        # D: second supplement request → late even though finished early.
        cls.d = receive(m, cls.proc, at(2025, 5, 5))
        act(cls.d, "request_supplement", m, at(2025, 5, 5, 10), note="Thiếu", items=["Tờ khai"])
        act(cls.d, "receive_supplement", m, at(2025, 5, 5, 11))
        act(cls.d, "request_supplement", m, at(2025, 5, 5, 14), note="Sai", items=["Tờ khai"])
        act(cls.d, "receive_supplement", m, at(2025, 5, 6))
        act(cls.d, "finish", cls.chutich, at(2025, 5, 6, 10))
        # E: apology with a new date, finished on the new date → late.
        cls.e = receive(m, cls.proc, at(2025, 5, 5))  # due 8/5
        act(cls.e, "transfer", m, at(2025, 5, 5, 10))
        act(cls.e, "apologize", t, at(2025, 5, 7), note="Chờ xác minh", new_date=date(2025, 5, 12))
        act(cls.e, "finish", t, at(2025, 5, 12))
        # F: refused at the counter (finish the same day: early). G: withdrawn.
        cls.f = receive(m, cls.proc, at(2025, 5, 6))
        act(cls.f, "refuse", m, at(2025, 5, 6, 10), note="Không thuộc thẩm quyền")
        cls.g = receive(m, cls.proc, at(2025, 5, 6))
        act(cls.g, "withdraw", m, at(2025, 5, 6, 10), note="Xin rút")
        # H: land dossier still open, received 2/6, 5 working days → due 9/6.
        cls.h = receive(m, cls.land, at(2025, 6, 2))
        act(cls.h, "transfer", m, at(2025, 6, 2, 10))

    def stats(self, start, end, now, **kw):
        return dossier_stats(commune_ids=[self.commune.pk], date_from=start, date_to=end, now=now, **kw)

    def test_it_counts_each_outcome_exactly(self):
        self.assertEqual(self.a.due_date, date(2025, 5, 7))
        s = self.stats(date(2025, 4, 1), date(2025, 5, 31), at(2025, 6, 20))
        self.assertEqual(
            s,
            {
                "received": 7,
                "finished": 6,
                "early": 2,  # B, F
                "on_time": 2,  # A (on the due date), C (after the supplement pause)
                "late": 2,  # D (second supplement), E (apology)
                "open": 0,
                "open_late": 0,
                "refused": 1,
                "withdrawn": 1,
                "on_time_rate": 66.67,
                "online": 0,
                "online_rate": 0.0,
            },
        )

    def test_a_window_ending_in_a_holiday_counts_what_was_open_then(self):
        # End of Thu 1/5 (a holiday): A, B, C received 29/4, none finished yet.
        s = self.stats(date(2025, 4, 28), date(2025, 5, 1), at(2025, 6, 20))
        self.assertEqual((s["received"], s["finished"], s["open"], s["open_late"]), (3, 0, 3, 0))
        # End of 8/5: A and B finished, C waiting for its supplement, D/E/F/G of 5–6/5.
        s = self.stats(date(2025, 5, 2), date(2025, 5, 8), at(2025, 6, 20))
        self.assertEqual((s["received"], s["finished"], s["open"], s["withdrawn"]), (4, 4, 2, 1))

    def test_open_dossiers_past_due_are_open_late(self):
        s = self.stats(date(2025, 6, 1), date(2025, 6, 30), at(2025, 6, 9, 12))
        self.assertEqual((s["received"], s["open"], s["open_late"], s["on_time_rate"]), (1, 1, 0, None))
        s = self.stats(date(2025, 6, 1), date(2025, 6, 30), at(2025, 6, 10, 12))
        self.assertEqual((s["open"], s["open_late"]), (1, 1))

    def test_filters_by_department_field_and_procedure(self):
        window = (date(2025, 4, 1), date(2025, 6, 30), at(2025, 6, 20))
        self.assertEqual(self.stats(*window, field="Đất đai")["received"], 1)
        self.assertEqual(self.stats(*window, procedure="1.003003")["received"], 1)
        self.assertEqual(self.stats(*window, department=self.dept_land)["received"], 1)
        self.assertEqual(self.stats(*window, department=self.dept_justice)["finished"], 4)  # A, B, C, E
        other = dossier_stats(
            commune_ids=[self.other_commune.pk], date_from=window[0], date_to=window[1], now=window[2]
        )
        self.assertEqual(other["received"], 0)

    def test_it_breaks_the_window_down_by_month(self):
        months = dossier_stats_by_month(
            commune_ids=[self.commune.pk], date_from=date(2025, 4, 1), date_to=date(2025, 6, 30)
        )
        self.assertEqual([m["month"] for m in months], [date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)])
        self.assertEqual([m["received"] for m in months], [3, 4, 1])
        may = months[1]
        self.assertEqual((may["early"], may["on_time"], may["late"], may["on_time_rate"]), (2, 2, 2, 66.67))


class SummaryTests(StatsTests):
    def test_the_per_day_summary_gives_the_same_figures_as_the_rows(self):
        from cchc.dossiers.models import DossierDayStat
        from cchc.dossiers.stats import rebuild_day_stats

        windows = [
            (date(2025, 4, 1), date(2025, 5, 31)),
            (date(2025, 4, 28), date(2025, 5, 1)),
            (date(2025, 5, 2), date(2025, 5, 8)),
        ]
        for start, end in windows:
            kept = self.stats(start, end, at(2025, 6, 20))
            rows = self.stats(start, end, at(2025, 6, 20), use_summary=False)
            self.assertEqual(kept, rows)
        before = list(DossierDayStat.objects.order_by("day").values())
        rebuild_day_stats([self.commune.pk])
        after = list(DossierDayStat.objects.order_by("day").values())
        self.assertEqual(
            [{k: v for k, v in r.items() if k != "id"} for r in before],
            [{k: v for k, v in r.items() if k != "id"} for r in after],
        )

    def test_a_dossier_open_for_months_counts_as_open_at_the_end_of_an_old_window(self):
        from cchc.dossiers.models import Dossier

        self.assertFalse(Dossier.objects.get(pk=self.h.pk).long_running)
        act(self.h, "finish", self.diachinh, at(2025, 10, 1))
        self.assertTrue(Dossier.objects.get(pk=self.h.pk).long_running)
        s = self.stats(date(2025, 8, 1), date(2025, 8, 31), at(2025, 12, 1))
        self.assertEqual((s["open"], s["open_late"]), (1, 1))
        s = self.stats(date(2025, 10, 1), date(2025, 10, 31), at(2025, 12, 1))
        self.assertEqual((s["open"], s["finished"], s["late"]), (0, 1, 1))
