"""The report's tables with the product's real figures: every key resolves, and the
TT 01/2020 II.06a table agrees with the dossier statistics page for the same window."""

from __future__ import annotations

from datetime import date, datetime

from cchc.core import figures
from cchc.core.periods import Period
from cchc.core.workcal import TZ
from cchc.dossiers.stats import dossier_stats
from cchc.dossiers.tests.helpers import act, at, make_procedure, receive
from cchc.plans.tests.helpers import PlanTestCase
from cchc.reports import services, tables


class RealTablesTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        civil = make_procedure(cls.commune, department=cls.dept_justice, field="Hộ tịch")
        land = make_procedure(cls.commune, "1.003003", department=cls.dept_land, field="Đất đai", amount=5)
        m, t = cls.motcua, cls.tuphap
        cls.carried = receive(m, civil, at(2024, 3, 11))  # before Q2's window: carried over
        a = receive(m, civil, at(2024, 3, 18))
        act(a, "transfer", m, at(2024, 3, 18, 10))
        act(a, "finish", t, at(2024, 3, 19, 16))  # early
        b = receive(m, land, at(2024, 4, 1), channel="online")
        act(b, "transfer", m, at(2024, 4, 1, 10))
        act(b, "finish", cls.diachinh, at(2024, 5, 20))  # late
        receive(m, land, at(2024, 6, 13))  # still open at the window's end, within time
        make_procedure(cls.other_commune, "1.009999", field="Hộ tịch")
        # A field whose only dossier closed before the window: no row (it would be all zeros).
        cert = make_procedure(cls.commune, "1.000002", department=cls.dept_justice, field="Chứng thực")
        old = receive(m, cert, at(2024, 1, 8))
        act(old, "transfer", m, at(2024, 1, 8, 10))
        act(old, "finish", t, at(2024, 1, 9))
        make_procedure(cls.commune, "1.000003", field="Nuôi con nuôi")  # no dossier at all

    def test_every_column_is_in_the_catalogue(self):
        for spec in tables.TABLES:
            for column in spec.columns:
                self.assertIs(figures.get(column.key).key, column.key)

    def test_the_ii06a_table_matches_the_statistics_for_the_window(self):
        report = services.report_create(
            user=self.vanphong, commune=self.commune, period=Period.quarter(2024, 2)
        )
        now = datetime(2024, 7, 1, tzinfo=TZ)
        table = next(t for t in tables.live_tables(report, now=now) if t.code == "dossiers_by_field")
        rows = {r.label: {c.key: c.value for c in r.cells if c} for r in table.rows}
        self.assertEqual(list(rows), ["Hộ tịch", "Đất đai", "Tổng cộng"])
        for label, field in (("Hộ tịch", "Hộ tịch"), ("Đất đai", "Đất đai"), ("Tổng cộng", None)):
            page = dossier_stats(
                commune_ids=[self.commune.pk],
                date_from=date(2024, 3, 15),
                date_to=date(2024, 6, 14),
                field=field,
                now=now,
            )
            row = rows[label]
            self.assertEqual(
                row["dossiers.received_online"] + row["dossiers.received_offline"], page["received"], label
            )
            self.assertEqual(row["dossiers.finished"], page["finished"], label)
            self.assertEqual(row["dossiers.finished_early"], page["early"], label)
            self.assertEqual(row["dossiers.finished_on_time"], page["on_time"], label)
            self.assertEqual(row["dossiers.finished_late"], page["late"], label)
            self.assertEqual(row["dossiers.open"], page["open"], label)
            self.assertEqual(row["dossiers.open_late"], page["open_late"], label)
        total = rows["Tổng cộng"]
        self.assertEqual(total["dossiers.received_online"], 1)
        self.assertEqual(total["dossiers.finished_early"], 1)
        self.assertEqual(total["dossiers.finished_late"], 1)
        self.assertEqual(total["dossiers.carried_over"], 1)
        head = next(t for t in tables.live_tables(report, now=now) if t.code == "headlines")
        self.assertEqual(head.missing, [])
        rate = next(r.cells[0] for r in head.rows if r.key == "dossiers.on_time_rate")
        self.assertEqual(rate.text, "50,00%")
