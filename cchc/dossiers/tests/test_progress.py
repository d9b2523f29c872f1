"""The QĐ 766 "progress" figure: early or on time *including those still within
their due date at the window's end*, over the dossiers received in the window —
beside (and different from) the on-time rate of finished dossiers."""

from datetime import date
from decimal import Decimal

from cchc.core.figures import Scope, evaluate, evaluate_by_commune
from cchc.dossiers import figures as F
from cchc.dossiers.models import Dossier
from cchc.testing import BaseTestCase

from .helpers import act, at, make_procedure, receive

MAY = (date(2025, 4, 15), date(2025, 5, 14))  # reporting month 05/2025
AFTER = at(2025, 6, 20)


def set_due(dossier, day: date) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(due_date=day)
    dossier.refresh_from_db()


class ProgressHistory(BaseTestCase):
    """Dossiers around the window 15/4–14/5/2025 (due dates set by hand so that the
    boundaries are exact)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        m, t = cls.motcua, cls.tuphap
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)

        new = cls.new

        # A: finished early in the window → counted.
        cls.a = new(at(2025, 5, 5), date(2025, 5, 8))
        act(cls.a, "finish", t, at(2025, 5, 7))
        # B: open at the window's end, due the day after it (15/5) → within time, counted
        # although it is finished late afterwards.
        cls.b = new(at(2025, 5, 12), date(2025, 5, 15))
        act(cls.b, "finish", t, at(2025, 5, 20))
        # C: open at the window's end, due on its last day (14/5) → overdue at 24:00, not counted.
        cls.c = new(at(2025, 5, 6), date(2025, 5, 14))
        act(cls.c, "finish", t, at(2025, 5, 16))
        # D: finished late in the window → not counted.
        cls.d = new(at(2025, 5, 5), date(2025, 5, 7))
        act(cls.d, "finish", t, at(2025, 5, 9))
        # E: waiting for a supplement at the window's end, its due date passed → within time.
        cls.e = new(at(2025, 5, 8), date(2025, 5, 9))
        act(cls.e, "request_supplement", t, at(2025, 5, 9), note="Thiếu", items=["Tờ khai"])
        # F: withdrawn in the window → received, never counted as in time.
        cls.f = new(at(2025, 5, 6), date(2025, 5, 9))
        act(cls.f, "withdraw", m, at(2025, 5, 7), note="Xin rút")
        # G: received before the window, finished late in it → only in the on-time rate.
        cls.g = new(at(2025, 4, 10), date(2025, 4, 20))
        act(cls.g, "finish", t, at(2025, 5, 6))
        # Another commune's dossier, received in the window and overdue: never in ours.
        other_proc = make_procedure(cls.other_commune, department=cls.other_dept)
        cls.x = receive(cls.other, other_proc, at(2025, 5, 5))
        set_due(cls.x, date(2025, 5, 6))

    @classmethod
    def new(cls, when, due, proc=None):
        """A dossier received at `when`, due on `due` (set by hand), sent to the department."""
        d = receive(cls.motcua, proc or cls.proc, when)
        set_due(d, due)
        act(d, "transfer", cls.motcua, when.replace(hour=10))
        return d

    def scope(self, now=AFTER, commune=None, **filters):
        ids = [commune.pk if commune else self.commune.pk]
        return Scope.of(commune_ids=ids, date_from=MAY[0], date_to=MAY[1], now=now, **filters)


class ProgressFigureTests(ProgressHistory):
    def test_it_counts_received_dossiers_in_time_at_the_windows_end(self):
        v = evaluate([F.PROGRESS_RECEIVED, F.PROGRESS_IN_TIME, F.PROGRESS_RATE, F.RECEIVED], self.scope())
        self.assertEqual(v[F.PROGRESS_RECEIVED], 6)  # A B C D E F
        self.assertEqual(v[F.RECEIVED], 6)  # the same count as the statistics
        self.assertEqual(v[F.PROGRESS_IN_TIME], 3)  # A, B (within), E (waiting)
        self.assertEqual(v[F.PROGRESS_RATE], Decimal("50.00"))

    def test_it_differs_from_the_on_time_rate_of_finished_dossiers(self):
        v = evaluate([F.ON_TIME_RATE, F.FINISHED, F.PROGRESS_RATE], self.scope())
        self.assertEqual(v[F.FINISHED], 3)  # A early, D late, G late
        self.assertEqual(v[F.ON_TIME_RATE], Decimal("33.33"))
        self.assertEqual(v[F.PROGRESS_RATE], Decimal("50.00"))

    def test_the_rows_are_the_counted_dossiers(self):
        scope = self.scope()
        counted = set(F.PROGRESS_IN_TIME.records(scope).values_list("code", flat=True))
        self.assertEqual(counted, {self.a.code, self.b.code, self.e.code})
        received = set(F.PROGRESS_RECEIVED.records(scope).values_list("code", flat=True))
        self.assertEqual(received, {d.code for d in (self.a, self.b, self.c, self.d, self.e, self.f)})
        self.assertNotIn(self.x.code, received)

    def test_a_window_not_ended_is_judged_now(self):
        # 13/5 noon: C (due 14/5) is still within time; B not received yet.
        v = evaluate([F.PROGRESS_RECEIVED, F.PROGRESS_IN_TIME], self.scope(now=at(2025, 5, 13, 12)))
        self.assertEqual(v[F.PROGRESS_IN_TIME], 4)  # A, B, C, E (B is counted: received 12/5)
        self.assertEqual(v[F.PROGRESS_RECEIVED], 6)

    def test_no_received_dossier_is_no_data(self):
        empty = Scope.of(commune_ids=[self.commune.pk], date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
        self.assertIsNone(evaluate([F.PROGRESS_RATE], empty)[F.PROGRESS_RATE])

    def test_by_commune_equals_each_commune_alone(self):
        both = Scope.of(
            commune_ids=[self.commune.pk, self.other_commune.pk], date_from=MAY[0], date_to=MAY[1], now=AFTER
        )
        grouped = evaluate_by_commune([F.PROGRESS_IN_TIME, F.PROGRESS_RECEIVED, F.PROGRESS_RATE], both)
        self.assertEqual(grouped[self.commune.pk][F.PROGRESS_RATE], Decimal("50.00"))
        other = grouped[self.other_commune.pk]
        self.assertEqual((other[F.PROGRESS_RECEIVED], other[F.PROGRESS_IN_TIME]), (1, 0))  # overdue
        self.assertEqual(other[F.PROGRESS_RATE], Decimal("0.00"))

    def test_a_second_supplement_request_is_late_even_while_waiting(self):
        t = self.tuphap
        act(self.e, "receive_supplement", self.motcua, at(2025, 5, 10))
        act(self.e, "request_supplement", t, at(2025, 5, 12), note="Sai", items=["Tờ khai"])
        self.assertEqual(evaluate([F.PROGRESS_IN_TIME], self.scope())[F.PROGRESS_IN_TIME], 2)  # A, B


class ProgressPathsTests(ProgressHistory):
    """The summary path (day summaries + the open sets) equals the row path (one
    aggregate over the received dossiers) for every window, judging time and filter —
    around the cases only the summary path has to reason about: dossiers received before
    the window and finished in time in it, long-running ones (closed more than 90 days
    after receipt), and finishes on the judging day before and after the judging time."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        t = cls.tuphap

        new = cls.new

        # H: received before the window, finished early in it: never in the window's cohort.
        cls.h = new(at(2025, 4, 10), date(2025, 4, 25))
        act(cls.h, "finish", t, at(2025, 4, 16))
        # L: received long before, finished on time 2/5 (long-running).
        cls.long = new(at(2025, 1, 5), date(2025, 5, 30))
        act(cls.long, "finish", t, at(2025, 5, 2))
        # O: received in January, never finished, due at the end of the year.
        cls.open = new(at(2025, 1, 6), date(2025, 12, 31))
        # Q: received in January, finished on time in July (long-running): open and
        # within time at the end of the first half.
        cls.q = new(at(2025, 1, 10), date(2025, 8, 29))
        act(cls.q, "finish", t, at(2025, 7, 21))
        # R and S: finished on 13/5, after and before noon.
        cls.r = new(at(2025, 5, 12, 8), date(2025, 5, 20))
        act(cls.r, "finish", t, at(2025, 5, 13, 15))
        cls.s = new(at(2025, 5, 12, 8), date(2025, 5, 20))
        act(cls.s, "finish", t, at(2025, 5, 13, 10))
        # A second procedure of another field, overdue at the end of May.
        cls.other_proc = make_procedure(
            cls.commune, code="1.000894", field="Chứng thực", department=cls.dept_justice
        )
        cls.v = new(at(2025, 5, 20), date(2025, 5, 22), proc=cls.other_proc)
        for d in (cls.long, cls.q):
            d.refresh_from_db()
            assert d.long_running, "the fixture needs long-running dossiers"

    def test_the_summary_path_equals_the_row_path(self):
        from cchc.dossiers.stats import progress_counts

        windows = [
            MAY,
            (date(2025, 1, 1), date(2025, 1, 31)),
            (date(2025, 1, 1), date(2025, 6, 30)),
            (date(2025, 1, 1), date(2025, 12, 31)),
            (date(2025, 5, 13), date(2025, 5, 13)),
            (date(2025, 5, 15), date(2025, 6, 14)),
        ]
        nows = [AFTER, at(2025, 5, 13, 12), at(2025, 7, 1, 9), at(2026, 1, 2)]
        filters = [{}, {"field": "Hộ tịch"}, {"procedure": self.other_proc}]
        ids = [self.commune.pk, self.other_commune.pk]
        checked = 0
        for date_from, date_to in windows:
            for now in nows:
                for kw in filters:
                    for grouped in (False, True):
                        args = dict(
                            commune_ids=ids,
                            date_from=date_from,
                            date_to=date_to,
                            now=now,
                            grouped=grouped,
                            **kw,
                        )
                        fast, rows = progress_counts(**args), progress_counts(**args, use_summary=False)
                        self.assertEqual(fast, rows, (date_from, date_to, now, kw, grouped))
                        checked += 1
        self.assertEqual(checked, 144)

    def test_the_cases_only_the_summary_path_reasons_about_count_as_defined(self):
        def in_time(date_from, date_to, now):
            scope = Scope.of(commune_ids=[self.commune.pk], date_from=date_from, date_to=date_to, now=now)
            return evaluate([F.PROGRESS_RECEIVED, F.PROGRESS_IN_TIME], scope)

        # The window of May: H (received before it, finished early in it) is not counted;
        # R and S (received 12/5, finished on time 13/5) are; V is another month's.
        v = in_time(*MAY, AFTER)
        self.assertEqual((v[F.PROGRESS_RECEIVED], v[F.PROGRESS_IN_TIME]), (8, 5))  # A B E R S of A–F, R, S
        # The first half, judged at 24:00 30/6: O and Q open within time (Q long-running).
        v = in_time(date(2025, 1, 1), date(2025, 6, 30), at(2025, 7, 1, 9))
        counted = {self.open.code, self.q.code, self.long.code}
        rows = set(F.PROGRESS_IN_TIME.records(
            Scope.of(commune_ids=[self.commune.pk], date_from=date(2025, 1, 1), date_to=date(2025, 6, 30), now=at(2025, 7, 1, 9))
        ).values_list("code", flat=True))  # fmt: skip
        self.assertTrue(counted <= rows)
        self.assertEqual(v[F.PROGRESS_IN_TIME], len(rows))
        # 13/5 at noon, a window of that one day: S finished at 10:00 in time, R still
        # open and within time — both counted; at 9:00 neither had finished, both within.
        day = (date(2025, 5, 13), date(2025, 5, 13))
        self.assertEqual(in_time(*day, at(2025, 5, 13, 12))[F.PROGRESS_RECEIVED], 0)  # received 12/5
        week = (date(2025, 5, 12), date(2025, 5, 13))
        self.assertEqual(in_time(*week, at(2025, 5, 13, 12))[F.PROGRESS_IN_TIME], 3)  # B, R, S
