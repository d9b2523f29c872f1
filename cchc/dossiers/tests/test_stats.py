from datetime import date
from decimal import Decimal

from cchc.dossiers.stats import dossier_stats
from cchc.testing import BaseTestCase

from .helpers import act, at, make_procedure, receive


class History(BaseTestCase):
    """A small history in April–May 2025, around the 30/4–4/5 holidays (no tests of
    its own: the statistics and the catalogue's tests share it)."""

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


class StatsTests(History):
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
                "open_waiting": 0,
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
        # Of the two open at the end of 8/5: E (due 8/5, unfinished) is late; C waits
        # for its supplement (requested 5/5, arrived 9/5): waiting, never late.
        self.assertEqual((s["open_late"], s["open_waiting"]), (1, 1))

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

    def test_the_table_by_field_equals_the_figures_filtered_field_by_field(self):
        """Table II.06a's rows come from one grouped query per part: the same values as
        the catalogue filtered by each field, the waiting and late dossiers included."""
        from cchc.core.figures import Scope, evaluate
        from cchc.dossiers import figures as F
        from cchc.dossiers.views import field_table

        # Another commune's dossier in the same field must not count.
        other_proc = make_procedure(self.other_commune, department=self.other_dept)
        receive(self.other, other_proc, at(2025, 5, 6))
        make_procedure(self.commune, "2.000815", field="Chứng thực", amount=0, unit="same_day")
        windows = [
            (date(2025, 4, 1), date(2025, 6, 30), at(2025, 6, 20)),
            (date(2025, 5, 2), date(2025, 5, 8), at(2025, 6, 20)),  # C waiting, E late at the end
        ]
        for start, end, now in windows:
            scope = Scope.of(commune_ids=[self.commune.pk], date_from=start, date_to=end, now=now)
            by_field = F.evaluate_by_field(F.TABLE_II_06A, scope)
            self.assertEqual(list(by_field), ["Chứng thực", "Hộ tịch", "Đất đai"])
            for name, values in by_field.items():
                one = evaluate(F.TABLE_II_06A, Scope.of(commune_ids=[self.commune.pk], date_from=start,
                                                        date_to=end, now=now, field=name))  # fmt: skip
                self.assertEqual(values, one, name)
        # The window of 2–8/5 by value: Hộ tịch received D, E, F, G; C waiting and E late at the end.
        values = by_field["Hộ tịch"]
        self.assertEqual(
            (values[F.RECEIVED_OFFLINE], values[F.OPEN], values[F.OPEN_LATE], values[F.FINISHED]),
            (4, 2, 1, 4),
        )
        self.assertEqual(by_field["Chứng thực"][F.TO_HANDLE], 0)
        # The page's table: the rows, then the total; a field filter keeps its row only.
        # However many fields: procedures (2), fields changed lately (1), flows from the field
        # summary (1), open at both ends (4 + 4), total (9).
        with self.assertNumQueries(2 + 1 + 1 + 8 + 9):
            rows = field_table(scope)
        self.assertEqual([r[0] for r in rows], ["Chứng thực", "Hộ tịch", "Đất đai", "Tổng cộng"])
        only = field_table(Scope.of(commune_ids=[self.commune.pk], date_from=start, date_to=end, now=now,
                                    field="Đất đai"))  # fmt: skip
        self.assertEqual([r[0] for r in only], ["Đất đai", "Tổng cộng"])

    def test_it_breaks_the_window_down_by_reporting_month(self):
        from cchc.core.figures import Scope, evaluate_series
        from cchc.core.periods import Period, month_windows
        from cchc.dossiers import figures as F

        period = Period.between(date(2025, 4, 1), date(2025, 6, 30))
        months = month_windows(period)
        self.assertEqual(
            [(label, a, b) for label, a, b in months],
            [
                ("Tháng 4/2025", date(2025, 4, 1), date(2025, 4, 14)),
                ("Tháng 5/2025", date(2025, 4, 15), date(2025, 5, 14)),
                ("Tháng 6/2025", date(2025, 5, 15), date(2025, 6, 14)),
                ("Tháng 7/2025", date(2025, 6, 15), date(2025, 6, 30)),
            ],
        )
        scope = Scope.of(commune_ids=[self.commune.pk], date_from=period.date_from, date_to=period.date_to)
        columns = [F.RECEIVED, F.FINISHED_EARLY, F.FINISHED_ON_TIME, F.FINISHED_LATE, F.ON_TIME_RATE]
        series = evaluate_series(columns, scope, [(a, b) for _, a, b in months])
        self.assertEqual([row[F.RECEIVED] for row in series], [0, 7, 1, 0])
        may = series[1]
        self.assertEqual([may[f] for f in columns[1:]], [2, 2, 2, Decimal("66.67")])


class SummaryTests(History):
    def test_the_per_day_summary_gives_the_same_figures_as_the_rows(self):
        from cchc.dossiers.models import DossierDayStat, DossierFieldDayStat, DossierProcedureDayStat
        from cchc.dossiers.stats import rebuild_day_stats

        windows = [
            (date(2025, 4, 1), date(2025, 5, 31)),
            (date(2025, 4, 28), date(2025, 5, 1)),
            (date(2025, 5, 2), date(2025, 5, 8)),
        ]
        filters = [{}, {"field": "Hộ tịch"}, {"field": "Đất đai"}, {"procedure": "1.003003"}]
        for start, end in windows:
            for kw in filters:
                kept = self.stats(start, end, at(2025, 6, 20), **kw)
                rows = self.stats(start, end, at(2025, 6, 20), use_summary=False, **kw)
                self.assertEqual(kept, rows, (start, kw))
        # The filtered figures read the per-procedure summary, kept by the services.
        self.assertEqual(
            sum(
                DossierProcedureDayStat.objects.filter(procedure=self.proc).values_list("received", flat=True)
            ),
            7,
        )
        self.assertEqual(self.stats(*windows[0], at(2025, 6, 20), field="Hộ tịch")["received"], 7)
        other = make_procedure(self.other_commune, department=self.other_dept)
        receive(self.other, other, at(2025, 5, 6))
        self.assertEqual(self.stats(*windows[0], at(2025, 6, 20), field="Hộ tịch")["received"], 7)

        def summaries():
            return [
                [
                    {k: v for k, v in r.items() if k != "id"}
                    for r in model.objects.order_by("day", "pk").values()
                ]
                for model in (DossierDayStat, DossierProcedureDayStat, DossierFieldDayStat)
            ]

        before = summaries()
        rebuild_day_stats([self.commune.pk, self.other_commune.pk])
        self.assertEqual(summaries(), before)

    def test_figures_by_field_read_the_per_field_summary_kept_by_the_services(self):
        from cchc.dossiers.models import DossierFieldDayStat
        from cchc.dossiers.stats import _Source

        rows = DossierFieldDayStat.objects.filter(commune=self.commune)
        self.assertEqual(
            sorted(rows.values_list("field", "day", "received", "finished", "withdrawn", "returned")),
            [
                ("Hộ tịch", date(2025, 4, 29), 3, 0, 0, 0),
                ("Hộ tịch", date(2025, 5, 5), 2, 0, 0, 0),
                ("Hộ tịch", date(2025, 5, 6), 2, 3, 1, 0),
                ("Hộ tịch", date(2025, 5, 7), 0, 1, 0, 0),
                ("Hộ tịch", date(2025, 5, 8), 0, 0, 0, 1),  # A's result returned
                ("Hộ tịch", date(2025, 5, 12), 0, 1, 0, 0),
                ("Hộ tịch", date(2025, 5, 13), 0, 1, 0, 0),
                ("Đất đai", date(2025, 6, 2), 1, 0, 0, 0),
            ],
        )
        window = {
            "commune_ids": [self.commune.pk],
            "date_from": date(2025, 4, 1),
            "date_to": date(2025, 6, 30),
        }
        self.assertTrue(_Source(**window, field="Hộ tịch").use_field_summary)
        self.assertTrue(_Source(**window, by_field=True).use_field_summary)
        # A procedure or a department filter sums the per-procedure summary or the rows.
        self.assertFalse(_Source(**window, field="Hộ tịch", procedure=self.proc).use_field_summary)
        self.assertFalse(_Source(**window, field="Hộ tịch", department=self.dept_justice).use_field_summary)
        # The figures follow the summary (a changed row shows), so the row path's equality
        # above proves the summary right.
        rows.filter(field="Đất đai").update(received=5)
        self.assertEqual(
            self.stats(date(2025, 6, 1), date(2025, 6, 30), at(2025, 6, 20), field="Đất đai")["received"], 5
        )

    def test_a_procedure_moved_to_another_field_counts_under_its_new_field(self):
        from datetime import timedelta

        from django.db.models import F as Col

        from cchc.dossiers.models import DossierFieldDayStat
        from cchc.dossiers.stats import FIELD_CHANGE_SETTLE, _Source
        from cchc.procedures.models import Procedure
        from cchc.procedures.services import procedure_update

        window = (date(2025, 4, 1), date(2025, 6, 30))
        self.assertEqual(self.stats(*window, at(2025, 6, 20), field="Hộ tịch")["received"], 7)
        Procedure.objects.filter(pk=self.proc.pk).update(online_level="full")  # the helper leaves it unset
        self.proc.refresh_from_db()
        procedure_update(user=self.admin, procedure=self.proc, changes={"name": "Đăng ký khai sinh (sửa)"})
        self.assertIsNone(Procedure.objects.get(pk=self.proc.pk).field_changed_at)  # not a field change
        procedure_update(user=self.admin, procedure=self.proc, changes={"field": "Chứng thực"})
        changed_at = Procedure.objects.get(pk=self.proc.pk).field_changed_at
        self.assertIsNotNone(changed_at)
        # Just changed: moves in flight may still add to the old field, so the figures by
        # field sum the per-procedure summary (exact) and leave the field rows alone.
        source = _Source(
            commune_ids=[self.commune.pk], date_from=window[0], date_to=window[1], field="Chứng thực"
        )
        self.assertFalse(source.use_field_summary)
        for name, received in (("Chứng thực", 7), ("Hộ tịch", 0)):
            kept = self.stats(*window, at(2025, 6, 20), field=name)
            self.assertEqual(kept, self.stats(*window, at(2025, 6, 20), field=name, use_summary=False))
            self.assertEqual(kept["received"], received)
        self.assertFalse(
            DossierFieldDayStat.objects.filter(commune=self.commune, field="Chứng thực").exists()
        )
        # Once the change has settled, the next figures catch the field rows up first.
        Procedure.objects.filter(pk=self.proc.pk).update(
            field_changed_at=Col("field_changed_at") - FIELD_CHANGE_SETTLE - timedelta(seconds=1)
        )
        self.assertEqual(self.stats(*window, at(2025, 6, 20), field="Chứng thực")["received"], 7)
        self.assertIsNone(Procedure.objects.get(pk=self.proc.pk).field_changed_at)
        self.assertEqual(
            sorted(
                DossierFieldDayStat.objects.filter(commune=self.commune)
                .values_list("field", flat=True)
                .distinct()
            ),
            ["Chứng thực", "Đất đai"],
        )
        self.assertTrue(
            _Source(
                commune_ids=[self.commune.pk], date_from=window[0], date_to=window[1], field="Chứng thực"
            ).use_field_summary
        )
        # A move after the change counts under the new field; another commune's dossier in
        # that field does not count here.
        receive(self.motcua, self.proc, at(2025, 6, 3))
        other = make_procedure(self.other_commune, "2.000815", department=self.other_dept, field="Chứng thực")
        receive(self.other, other, at(2025, 6, 3))
        for name, received in (("Chứng thực", 8), ("Hộ tịch", 0)):
            kept = self.stats(*window, at(2025, 6, 20), field=name)
            self.assertEqual(kept, self.stats(*window, at(2025, 6, 20), field=name, use_summary=False))
            self.assertEqual(kept["received"], received)

    def test_the_rebuild_command_finds_and_mends_summaries_changed_behind_the_services(self):
        from io import StringIO

        from django.core.management import call_command

        from cchc.dossiers.models import DossierDayStat, DossierFieldDayStat

        other = make_procedure(self.other_commune, department=self.other_dept)
        receive(self.other, other, at(2025, 5, 6))
        DossierDayStat.objects.filter(commune=self.commune, day=date(2025, 5, 6)).update(received=9)
        DossierFieldDayStat.objects.filter(commune=self.commune, field="Đất đai").delete()
        DossierDayStat.objects.filter(commune=self.other_commune).update(received=5)  # not this run's commune

        def run(*args):
            out, err = StringIO(), StringIO()
            call_command(
                "dossiers_rebuild_stats", "--commune", self.commune.slug, *args, stdout=out, stderr=err
            )
            return out.getvalue()

        with self.assertRaises(SystemExit) as stopped:
            run("--check")
        self.assertEqual(stopped.exception.code, 1)
        out = StringIO()
        with self.assertRaises(SystemExit):
            call_command("dossiers_rebuild_stats", "--commune", self.commune.slug, "--check", stdout=out)
        lines = out.getvalue().splitlines()
        name = self.commune.short_name
        self.assertIn(
            f"{name}: theo xã 06/05/2025: đã lưu (9, 3, 2, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0), "
            f"đếm lại (2, 3, 2, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)",
            lines,
        )
        self.assertIn(
            f"{name}: theo lĩnh vực Đất đai 02/06/2025: đã lưu không có, "
            f"đếm lại (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)",
            lines,
        )
        self.assertTrue(lines[-1].endswith("2 dòng sai lệch."), lines[-1])
        # --check wrote nothing.
        self.assertEqual(DossierDayStat.objects.get(commune=self.commune, day=date(2025, 5, 6)).received, 9)
        self.assertFalse(DossierFieldDayStat.objects.filter(commune=self.commune, field="Đất đai").exists())
        self.assertTrue(run().splitlines()[-1].endswith("2 dòng sai lệch."))
        self.assertEqual(DossierDayStat.objects.get(commune=self.commune, day=date(2025, 5, 6)).received, 2)
        self.assertEqual(
            DossierFieldDayStat.objects.get(
                commune=self.commune, field="Đất đai", day=date(2025, 6, 2)
            ).received,
            1,
        )
        self.assertEqual(DossierDayStat.objects.get(commune=self.other_commune).received, 5)
        self.assertTrue(run("--check").splitlines()[-1].endswith(" 0 dòng sai lệch."))
        with self.assertRaisesMessage(Exception, "Không tìm thấy xã 'khong-co'."):
            call_command("dossiers_rebuild_stats", "--commune", "khong-co", stdout=StringIO())

    def test_a_dossier_open_for_months_counts_as_open_at_the_end_of_an_old_window(self):
        from cchc.dossiers.models import Dossier

        self.assertFalse(Dossier.objects.get(pk=self.h.pk).long_running)
        act(self.h, "finish", self.diachinh, at(2025, 10, 1))
        self.assertTrue(Dossier.objects.get(pk=self.h.pk).long_running)
        s = self.stats(date(2025, 8, 1), date(2025, 8, 31), at(2025, 12, 1))
        self.assertEqual((s["open"], s["open_late"]), (1, 1))
        s = self.stats(date(2025, 10, 1), date(2025, 10, 31), at(2025, 12, 1))
        self.assertEqual((s["open"], s["finished"], s["late"]), (0, 1, 1))


class WaitingForSupplementTests(BaseTestCase):
    """docs/rules.md §7: while a dossier waits for the applicant's supplement its clock
    is stopped — it is neither overdue nor due soon, wherever it is counted."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)  # 3 working days
        m = cls.motcua
        # Received Mon 3/3/2025, due Thu 6/3; supplement requested Wed 5/3 (1 day left).
        cls.waiting = receive(m, cls.proc, at(2025, 3, 3))
        act(cls.waiting, "request_supplement", m, at(2025, 3, 5), note="Thiếu", items=["Tờ khai"])
        # Received the same day, never paused: late from Fri 7/3.
        cls.late = receive(m, cls.proc, at(2025, 3, 3))

    def counts(self, day_from, day_to, now):
        from cchc.dossiers.stats import dossier_counts

        return dossier_counts(commune_ids=[self.commune.pk], date_from=day_from, date_to=day_to, now=now)

    def test_a_waiting_dossier_is_neither_overdue_nor_within_time(self):
        from cchc.dossiers.models import Dossier

        c = self.counts(date(2025, 3, 1), date(2025, 3, 31), at(2025, 3, 20))
        self.assertEqual((c.open, c.open_late, c.open_waiting, c.open_within), (2, 1, 1, 1))
        self.assertEqual(self.waiting.due_date, date(2025, 3, 6))
        d = Dossier.objects.get(pk=self.waiting.pk)
        self.assertEqual(d.outcome(date(2025, 3, 20)), "open_waiting")
        self.assertEqual(d.outcome_label(date(2025, 3, 20)), "Chờ công dân bổ sung")
        overdue = set(Dossier.objects.overdue(date(2025, 3, 20)).values_list("pk", flat=True))
        self.assertEqual(overdue, {self.late.pk})
        due = Dossier.objects.due_within(date(2025, 3, 6), date(2025, 3, 6))
        self.assertEqual(set(due.values_list("pk", flat=True)), {self.late.pk})
        # Flagged late by a second request: still not overdue while it waits.
        Dossier.objects.filter(pk=self.waiting.pk).update(is_late_flagged=True)
        self.assertEqual(
            set(Dossier.objects.overdue(date(2025, 3, 20)).values_list("pk", flat=True)), {self.late.pk}
        )
        c = self.counts(date(2025, 3, 1), date(2025, 3, 31), at(2025, 3, 20))
        self.assertEqual((c.open_late, c.open_waiting), (1, 1))

    def test_once_the_supplement_arrives_the_moved_due_date_decides(self):
        # Arrives Mon 10/3: the 1 working day left restarts → due Tue 11/3.
        act(self.waiting, "receive_supplement", self.motcua, at(2025, 3, 10))
        self.waiting.refresh_from_db()
        self.assertEqual(self.waiting.due_date, date(2025, 3, 11))
        # End of 10/3 (the day it arrived): within time again. End of 11/3, its due
        # day, unfinished: late.
        c = self.counts(date(2025, 3, 1), date(2025, 3, 10), at(2025, 3, 20))
        self.assertEqual((c.open, c.open_late, c.open_waiting), (2, 1, 0))
        c = self.counts(date(2025, 3, 1), date(2025, 3, 11), at(2025, 3, 20))
        self.assertEqual((c.open, c.open_late, c.open_waiting), (2, 2, 0))
        # A window that ended while it waited still counts it as waiting then.
        c = self.counts(date(2025, 3, 1), date(2025, 3, 7), at(2025, 3, 20))
        self.assertEqual((c.open, c.open_late, c.open_waiting), (2, 1, 1))
        # …and the request's own day: waiting from the request on (requested 5/3 09:00).
        c = self.counts(date(2025, 3, 1), date(2025, 3, 4), at(2025, 3, 20))
        self.assertEqual((c.open, c.open_late, c.open_waiting), (2, 0, 0))
        c = self.counts(date(2025, 3, 1), date(2025, 3, 5), at(2025, 3, 20))
        self.assertEqual((c.open, c.open_late, c.open_waiting), (2, 0, 1))

    def test_the_queues_and_the_detail_page_say_it_waits(self):
        from unittest import mock

        from django.urls import reverse

        self.login(self.motcua)
        with mock.patch("django.utils.timezone.localdate", return_value=date(2025, 3, 20)):
            overdue = self.client.get(reverse("dossiers:queue") + "?hang=overdue")
            detail = self.client.get(reverse("dossiers:detail", args=[self.waiting.code]))
        self.assertContains(overdue, self.late.code)
        self.assertNotContains(overdue, self.waiting.code)
        self.assertContains(detail, 'data-outcome="open_waiting"')
        self.assertContains(detail, "Chờ công dân bổ sung")
        self.assertNotContains(detail, "Đang giải quyết, quá hạn")

    def test_the_api_says_it_waits(self):
        h = self.api_headers(self.motcua)
        from unittest import mock

        with mock.patch("django.utils.timezone.now", return_value=at(2025, 3, 20, 10)):
            one = self.client.get(f"/api/v1/dossiers/{self.waiting.code}", headers=h).json()
            stats = self.client.get("/api/v1/stats/dossiers?from=2025-03-01&to=2025-03-31", headers=h).json()
            overdue = self.client.get("/api/v1/dossiers?overdue=true", headers=h).json()
        self.assertEqual(one["outcome"], "open_waiting")
        self.assertEqual((stats["open"], stats["open_late"], stats["open_waiting"]), (2, 1, 1))
        self.assertEqual([d["code"] for d in overdue["items"]], [self.late.code])
