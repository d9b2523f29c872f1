"""The dossier figures of the catalogue: the same numbers as the statistics, the
summary path equal to the row path for every figure, the counts of table II.06a
balancing, reporting windows across the year end, per commune and per officer."""

from datetime import date
from decimal import Decimal

import pytest

from cchc.core.figures import Scope, UnsupportedFilter, evaluate, evaluate_by_commune
from cchc.core.periods import Period
from cchc.dossiers import figures as F
from cchc.dossiers.stats import dossier_counts
from cchc.testing import BaseTestCase

from .helpers import act, at, make_procedure, receive
from .test_stats import History

NOW = at(2025, 6, 20)
WINDOWS = [
    (date(2025, 4, 1), date(2025, 5, 31)),
    (date(2025, 4, 28), date(2025, 5, 1)),
    (date(2025, 5, 2), date(2025, 5, 8)),
    (date(2025, 5, 9), date(2025, 6, 30)),
]
ATTRS = [
    "received",
    "online",
    "offline",
    "finished",
    "early",
    "on_time",
    "in_time",
    "late",
    "refused",
    "withdrawn",
    "open",
    "open_late",
    "open_waiting",
    "open_within",
    "carried_over",
    "to_handle",
    "on_time_rate",
    "online_rate",
]


class DossierFigureTests(History):
    def scope(self, start, end, **filters):
        return Scope.of(commune_ids=[self.commune.pk], date_from=start, date_to=end, now=NOW, **filters)

    def test_the_catalogue_gives_the_statistics_numbers(self):
        for start, end in WINDOWS:
            values = evaluate(F.STATISTICS, self.scope(start, end))
            legacy = self.stats(start, end, NOW)
            self.assertEqual(values[F.RECEIVED], legacy["received"])
            self.assertEqual(values[F.FINISHED_LATE], legacy["late"])
            self.assertEqual(values[F.OPEN_LATE], legacy["open_late"])
            self.assertEqual(values[F.OPEN_WAITING], legacy["open_waiting"])
            rate = values[F.ON_TIME_RATE]
            self.assertEqual(None if rate is None else float(rate), legacy["on_time_rate"])

    def test_exact_values_for_april_and_may(self):
        v = evaluate(F.STATISTICS, self.scope(date(2025, 4, 1), date(2025, 5, 31)))
        self.assertEqual(
            {f.key: v[f] for f in F.STATISTICS},
            {
                "dossiers.received": 7,
                "dossiers.received_online": 0,
                "dossiers.received_offline": 7,
                "dossiers.carried_over": 0,
                "dossiers.finished": 6,
                "dossiers.finished_early": 2,
                "dossiers.finished_on_time": 2,
                "dossiers.finished_late": 2,
                "dossiers.refused": 1,
                "dossiers.withdrawn": 1,
                "dossiers.open": 0,
                "dossiers.open_within": 0,
                "dossiers.open_late": 0,
                "dossiers.open_waiting": 0,
                "dossiers.on_time_rate": Decimal("66.67"),
                # QĐ 766 progress: A, B, C, F in time of the 7 received (D, E late, G withdrawn).
                "dossiers.progress_rate": Decimal("57.14"),
                "dossiers.online_rate": Decimal("0.00"),
            },
        )

    def test_the_per_day_summary_gives_every_figure_as_the_rows_do(self):
        for start, end in WINDOWS:
            kept = dossier_counts(commune_ids=[self.commune.pk], date_from=start, date_to=end, now=NOW)
            rows = dossier_counts(
                commune_ids=[self.commune.pk], date_from=start, date_to=end, now=NOW, use_summary=False
            )
            for name in ATTRS:
                self.assertEqual(getattr(kept, name), getattr(rows, name), (start, end, name))

    def test_table_ii_06a_balances_and_carries_over(self):
        # Carried over + received = finished + withdrawn + still open, for every window;
        # what is open at the end of one window is carried into the next.
        windows = [(date(2025, 4, 15), date(2025, 5, 4)), (date(2025, 5, 5), date(2025, 5, 8))]
        windows += [(date(2025, 5, 9), date(2025, 6, 3)), (date(2025, 6, 4), date(2025, 6, 30))]
        previous_open = 0
        for start, end in windows:
            v = evaluate(F.TABLE_II_06A + (F.WITHDRAWN, F.RECEIVED), self.scope(start, end))
            self.assertEqual(v[F.CARRIED_OVER], previous_open, start)
            self.assertEqual(v[F.TO_HANDLE], v[F.CARRIED_OVER] + v[F.RECEIVED])
            self.assertEqual(v[F.TO_HANDLE], v[F.FINISHED] + v[F.WITHDRAWN] + v[F.OPEN], start)
            self.assertEqual(v[F.OPEN], v[F.OPEN_WITHIN] + v[F.OPEN_LATE])
            previous_open = v[F.OPEN]
        self.assertEqual(previous_open, 1)  # H, still open on 20/6

    def test_filters_by_field_department_and_procedure(self):
        window = (date(2025, 4, 1), date(2025, 6, 30))
        land = evaluate([F.RECEIVED, F.OPEN, F.OPEN_LATE], self.scope(*window, field="Đất đai"))
        self.assertEqual(list(land.values()), [1, 1, 1])  # H, due 9/6, open on 20/6
        justice = evaluate(
            [F.FINISHED, F.FINISHED_LATE], self.scope(*window, department=self.dept_justice.pk)
        )
        self.assertEqual(list(justice.values()), [4, 1])  # A, B, C, E (E late)
        proc = evaluate([F.RECEIVED], self.scope(*window, procedure="1.003003"))
        self.assertEqual(proc[F.RECEIVED], 1)

    def test_per_officer_the_flows_they_recorded(self):
        window = (date(2025, 4, 1), date(2025, 6, 30))
        tuphap = evaluate(F.BY_OFFICER, self.scope(*window, officer=self.tuphap.pk))
        # tuphap finished A (on time), B (early), C (on time), E (late); received none.
        self.assertEqual([tuphap[f] for f in F.BY_OFFICER], [0, 4, 3, 1, Decimal("75.00")])
        motcua = evaluate(F.BY_OFFICER, self.scope(*window, officer=self.motcua.pk))
        self.assertEqual([motcua[f] for f in F.BY_OFFICER][:3], [8, 1, 1])  # all receipts; F refused early
        with pytest.raises(UnsupportedFilter):
            evaluate([F.OPEN_LATE], self.scope(*window, officer=self.motcua.pk))

    def test_each_commune_only_its_own_numbers(self):
        other_proc = make_procedure(self.other_commune, department=self.other_dept)
        for day in (5, 6, 7):
            receive(self.other, other_proc, at(2025, 5, day))
        scope = Scope.of(
            commune_ids=[self.commune.pk, self.other_commune.pk],
            date_from=date(2025, 4, 1),
            date_to=date(2025, 5, 31),
            now=NOW,
        )
        figures = list(F.STATISTICS)
        grouped = evaluate_by_commune(figures, scope)
        self.assertEqual(grouped[self.other_commune.pk][F.RECEIVED], 3)
        self.assertEqual(grouped[self.other_commune.pk][F.FINISHED], 0)
        self.assertEqual(grouped[self.other_commune.pk][F.OPEN_LATE], 3)  # due 8, 9, 12/5; open on 20/6
        for cid in (self.commune.pk, self.other_commune.pk):
            alone = evaluate(figures, scope.for_communes([cid]))
            self.assertEqual(grouped[cid], alone, cid)
        both = evaluate(figures, scope)
        self.assertEqual(both[F.RECEIVED], 10)


class YearEndWindowTests(BaseTestCase):
    """NĐ 09/2019 windows: the year 2025 starts on 15/12/2024 — a dossier of 14/12
    belongs to 2024, one of 15/12 to 2025 (month 1, quarter I, first half)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        proc = make_procedure(cls.commune, department=cls.dept_justice)
        cls.last_day = receive(cls.motcua, proc, at(2024, 12, 13, 16, 59))  # Fri 13/12
        cls.sat = receive(cls.motcua, proc, at(2024, 12, 14, 8, 0))  # Sat 14/12: last day of 2024
        cls.first_day = receive(cls.motcua, proc, at(2024, 12, 16, 8, 0))  # Mon 16/12: in 2025
        act(cls.first_day, "finish", cls.chutich, at(2025, 1, 3))

    def received(self, period: Period) -> int:
        scope = Scope.of(
            commune_ids=[self.commune.pk],
            date_from=period.date_from,
            date_to=period.date_to,
            now=at(2025, 7, 1),
        )
        return evaluate([F.RECEIVED], scope)[F.RECEIVED]

    def test_the_first_and_last_day_of_a_window_count_in_it(self):
        self.assertEqual(self.received(Period.year_of(2024)), 2)
        self.assertEqual(self.received(Period.month(2024, 12)), 2)  # 15/11–14/12/2024
        self.assertEqual(self.received(Period.year_of(2025)), 1)
        self.assertEqual(self.received(Period.month(2025, 1)), 1)  # 15/12/2024–14/1/2025
        self.assertEqual(self.received(Period.quarter(2025, 1)), 1)
        self.assertEqual(self.received(Period.half(2025)), 1)
        self.assertEqual(self.received(Period.between(date(2024, 12, 14), date(2024, 12, 14))), 1)
        self.assertEqual(self.received(Period.between(date(2024, 12, 15), date(2024, 12, 15))), 0)

    def test_open_at_the_year_end_is_carried_into_the_next_year(self):
        year = Period.year_of(2025)
        scope = Scope.of(
            commune_ids=[self.commune.pk], date_from=year.date_from, date_to=year.date_to, now=at(2025, 7, 1)
        )
        v = evaluate([F.CARRIED_OVER, F.RECEIVED, F.FINISHED, F.OPEN, F.TO_HANDLE], scope)
        self.assertEqual([v[F.CARRIED_OVER], v[F.RECEIVED], v[F.FINISHED], v[F.OPEN]], [2, 1, 1, 2])
        self.assertEqual(v[F.TO_HANDLE], 3)
