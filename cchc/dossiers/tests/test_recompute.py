"""Calendar changes and open dossiers (docs/rules.md §8): due dates recomputed, the
receipt keeps its date, every move recorded, no outcome changed retroactively."""

import io
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from cchc.core.models import CalendarOverride
from cchc.dossiers.documents import build_form
from cchc.dossiers.models import Dossier
from cchc.dossiers.services import dossiers_recompute_due_dates
from cchc.dossiers.stats import dossier_stats
from cchc.testing import BaseTestCase

from .helpers import act, at, make_procedure, receive


class RecomputeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice, amount=5)
        m = cls.motcua
        # Open: Mon 2/6/2025 + 5 working days → Mon 9/6.
        cls.open = receive(m, cls.proc, at(2025, 6, 2))
        act(cls.open, "transfer", m, at(2025, 6, 2, 10))
        # Waiting for a supplement asked on 3/6 (4 working days left: 4, 5, 6, 9/6).
        cls.paused = receive(m, cls.proc, at(2025, 6, 2))
        act(cls.paused, "request_supplement", m, at(2025, 6, 3), note="Thiếu", items=["Tờ khai"])
        # Already late: Mon 19/5 + 5 → Mon 26/5, still open.
        cls.late = receive(m, cls.proc, at(2025, 5, 19))
        # Finished: never touched.
        cls.done = receive(m, cls.proc, at(2025, 6, 2))
        act(cls.done, "finish", cls.chutich, at(2025, 6, 3))
        # Received after the changed day: its window does not cover it.
        cls.after = receive(m, cls.proc, at(2025, 6, 5))

    def declare_off(self, day=date(2025, 6, 4)):
        return CalendarOverride.objects.create(
            date=day, kind="off", reason="Nghỉ đột xuất do bão", reference="CĐ 12/UBND"
        )

    def test_a_holiday_inside_the_window_moves_the_due_date_and_is_recorded(self):
        self.declare_off()
        self.declare_off(date(2025, 5, 21))
        summary = dossiers_recompute_due_dates(at=at(2025, 6, 5, 16))
        changed = {c.dossier.pk: c for c in summary.applied}
        self.assertEqual(set(changed), {self.open.pk, self.paused.pk})
        self.assertEqual([c.dossier.pk for c in summary.kept], [self.late.pk])
        d = Dossier.objects.get(pk=self.open.pk)
        self.assertEqual((d.due_date, d.original_due_date), (date(2025, 6, 10), date(2025, 6, 9)))
        event = d.events.get(action="adjust_due")
        self.assertIn("Điều chỉnh hạn do thay đổi lịch làm việc: 09/06/2025 → 10/06/2025", event.note)
        self.assertIn("Nghỉ đột xuất do bão", event.note)
        self.assertEqual(event.new_date, date(2025, 6, 10))
        # The late dossier keeps its date; the finished one and the later one are untouched.
        self.assertEqual(Dossier.objects.get(pk=self.late.pk).due_date, date(2025, 5, 26))
        self.assertEqual(Dossier.objects.get(pk=self.done.pk).due_date, date(2025, 6, 9))
        self.assertEqual(Dossier.objects.get(pk=self.after.pk).due_date, date(2025, 6, 12))
        self.assertFalse(Dossier.objects.get(pk=self.late.pk).events.filter(action="adjust_due").exists())
        # The receipt keeps the printed date and says the date moved.
        doc = build_form(d, "01")
        printed = dict(doc.after_items)
        self.assertEqual(
            printed["5. Thời gian trả kết quả giải quyết hồ sơ"], "13 giờ 30 phút, ngày 09 tháng 6 năm 2025"
        )
        self.assertTrue(printed["Hạn giải quyết điều chỉnh"].startswith("10/06/2025"))
        # Running again changes nothing.
        self.assertEqual(dossiers_recompute_due_dates(at=at(2025, 6, 5, 17)).applied, [])

    def test_the_paused_clock_restarts_from_the_new_calendar(self):
        self.declare_off()
        dossiers_recompute_due_dates(at=at(2025, 6, 5, 16))
        p = Dossier.objects.get(pk=self.paused.pk)
        self.assertEqual((p.due_date, p.paused_remaining_days), (date(2025, 6, 10), 4))
        act(p, "receive_supplement", self.motcua, at(2025, 6, 6))  # Fri + 4 → Thu 12/6
        self.assertEqual(Dossier.objects.get(pk=p.pk).due_date, date(2025, 6, 12))

    def test_finishing_on_the_new_date_is_on_time_and_removing_the_holiday_moves_it_back(self):
        override = self.declare_off()
        dossiers_recompute_due_dates(since=date(2025, 6, 4), at=at(2025, 6, 5, 16))
        override.delete()
        summary = dossiers_recompute_due_dates(since=date(2025, 6, 4), at=at(2025, 6, 6, 8))
        self.assertIn(self.open.pk, [c.dossier.pk for c in summary.applied])
        self.assertEqual(Dossier.objects.get(pk=self.open.pk).due_date, date(2025, 6, 9))
        self.declare_off()
        dossiers_recompute_due_dates(at=at(2025, 6, 6, 9))
        act(self.open, "finish", self.tuphap, at(2025, 6, 10, 15))
        self.assertEqual(Dossier.objects.get(pk=self.open.pk).finish_outcome, "on_time")
        s = dossier_stats(
            commune_ids=[self.commune.pk],
            date_from=date(2025, 6, 10),
            date_to=date(2025, 6, 10),
            now=at(2025, 6, 11),
        )
        self.assertEqual((s["finished"], s["on_time"]), (1, 1))

    def test_a_working_day_added_never_makes_a_dossier_late_retroactively(self):
        CalendarOverride.objects.create(date=date(2025, 6, 7), kind="workday", reason="Làm bù")  # Saturday
        summary = dossiers_recompute_due_dates(at=at(2025, 6, 9, 8))
        # 9/6 would become 6/6 (already past): it is held at the day of recomputation.
        d = Dossier.objects.get(pk=self.open.pk)
        self.assertEqual(d.due_date, date(2025, 6, 9))
        self.assertNotIn(self.open.pk, [c.dossier.pk for c in summary.applied])
        self.assertEqual(d.outcome(date(2025, 6, 9)), "open")

    def test_dry_run_writes_nothing_and_the_command_reports(self):
        self.declare_off()
        summary = dossiers_recompute_due_dates(at=at(2025, 6, 5, 16), dry_run=True)
        self.assertEqual(len(summary.applied), 2)
        self.assertEqual(Dossier.objects.get(pk=self.open.pk).due_date, date(2025, 6, 9))
        out = io.StringIO()
        call_command("dossiers_recompute_due", "--commune", "ducxuong", "--dry-run", stdout=out)
        self.assertIn("(chạy thử, chưa ghi)", out.getvalue())
        self.assertEqual(Dossier.objects.get(pk=self.open.pk).due_date, date(2025, 6, 9))

    def test_only_administrators_and_the_cchc_office_may_recompute(self):
        with self.assertRaises(PermissionDenied):
            dossiers_recompute_due_dates(user=self.tuphap, dry_run=True)
        self.login(self.tuphap)
        self.assertEqual(self.client.get("/ho-so/cap-nhat-han/").status_code, 403)
        self.assertEqual(dossiers_recompute_due_dates(user=self.vanphong, dry_run=True).dry_run, True)


class RecomputePageTests(BaseTestCase):
    def test_the_page_shows_the_dry_run_and_applies_on_confirmation(self):
        from django.utils import timezone

        from cchc.core.workcal import get_calendar

        proc = make_procedure(self.commune, department=self.dept_justice, amount=5)
        today = timezone.localdate()
        d = receive(self.motcua, proc, timezone.now())
        cal = get_calendar()
        day_off = cal.next_working_day(today)
        CalendarOverride.objects.create(date=day_off, kind="off", reason="Nghỉ đột xuất")
        self.login(self.vanphong)
        r = self.client.get("/ho-so/cap-nhat-han/")
        self.assertContains(r, "Cập nhật hạn giải quyết theo lịch làm việc mới")
        self.assertContains(r, d.code)
        self.assertEqual(Dossier.objects.get(pk=d.pk).due_date, d.due_date)
        r = self.client.post("/ho-so/cap-nhat-han/", {}, follow=True)
        self.assertContains(r, "Đã điều chỉnh hạn của 1 hồ sơ")
        moved = Dossier.objects.get(pk=d.pk)
        self.assertEqual(moved.due_date, get_calendar().next_working_day(d.due_date))
        self.assertEqual(moved.original_due_date, d.due_date)
        self.assertContains(r, "Không có hồ sơ nào cần điều chỉnh")
