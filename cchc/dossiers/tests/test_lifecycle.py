from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cchc.dossiers.models import DailySerial, Dossier, DossierEvent, Status
from cchc.dossiers.services import IllegalMove, allowed_actions
from cchc.testing import BaseTestCase

from .helpers import APPLICANT, act, at, make_procedure, receive


class LifecycleTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)
        cls.proc5 = make_procedure(cls.commune, "1.000656", department=cls.dept_justice, amount=5)


class ReceiveTests(LifecycleTestCase):
    def test_it_gives_the_code_due_date_and_rules_version(self):
        # Mon 28/4/2025, 3 working days: 29/4, then 30/4–4/5 are holidays and a weekend.
        d = receive(self.motcua, self.proc, at(2025, 4, 28))
        self.assertEqual(d.code, "000.21.31.H26-250428-0001")
        self.assertEqual(d.due_date, date(2025, 5, 6))
        self.assertEqual(d.original_due_date, date(2025, 5, 6))
        self.assertEqual(d.rules_version, "nd61-2018")
        self.assertEqual((d.status, d.status_code), (Status.RECEIVED, 2))
        self.assertEqual(d.department, self.dept_one_stop)
        self.assertEqual(d.events.get().action, "receive")
        later = receive(self.motcua, self.proc, at(2025, 7, 1))
        self.assertEqual(later.rules_version, "nd118-2025")

    def test_it_numbers_each_day_from_one_without_gaps_per_commune(self):
        codes = [receive(self.motcua, self.proc, at(2025, 6, 2, 8, i)).code for i in range(3)]
        self.assertEqual([c[-4:] for c in codes], ["0001", "0002", "0003"])
        self.assertTrue(receive(self.motcua, self.proc, at(2025, 6, 3)).code.endswith("250603-0001"))
        other_proc = make_procedure(self.other_commune)
        self.assertEqual(receive(self.other, other_proc, at(2025, 6, 2)).code, "000.22.31.H26-250602-0001")
        self.assertEqual(DailySerial.objects.get(commune=self.commune, day=date(2025, 6, 2)).last, 3)

    def test_it_uses_the_configured_pattern(self):
        with self.settings(DOSSIER_CODE_PATTERN="{agency}-{yyyymmdd}-{serial:05d}"):
            d = receive(self.motcua, self.proc, at(2025, 6, 2))
        self.assertEqual(d.code, "000.21.31.H26-20250602-00001")

    def test_it_refuses_procedures_without_a_usable_time_and_changes_nothing(self):
        proc = make_procedure(self.commune, "2.000001", amount=None, unit="", time_text="Theo quy định")
        with self.assertRaisesMessage(ValidationError, "chưa có thời hạn giải quyết hợp lệ"):
            receive(self.motcua, proc, at(2025, 6, 2))
        self.assertFalse(Dossier.objects.exists())
        self.assertFalse(DailySerial.objects.exists())

    def test_it_validates_the_applicant_with_vietnamese_messages(self):
        from cchc.dossiers.services import Applicant

        bad = Applicant(name="", id_number="12", phone="abc", address="", email="x@")
        with self.assertRaises(ValidationError) as ctx:
            receive(self.motcua, self.proc, at(2025, 6, 2), applicant=bad)
        self.assertEqual(
            set(ctx.exception.message_dict),
            {
                "applicant_name",
                "applicant_id_number",
                "applicant_phone",
                "applicant_address",
                "applicant_email",
            },
        )
        self.assertFalse(Dossier.objects.exists())

    def test_it_refuses_a_channel_the_procedure_does_not_offer(self):
        proc = make_procedure(self.commune, "2.000002", online=False)
        with self.assertRaisesMessage(ValidationError, "không tiếp nhận qua kênh trực tuyến"):
            receive(self.motcua, proc, at(2025, 6, 2), channel="online")

    def test_it_needs_the_historical_permission_for_a_past_receipt(self):
        from cchc.dossiers.services import dossier_receive

        with self.assertRaises(PermissionDenied):
            dossier_receive(
                user=self.motcua,
                procedure=self.proc,
                channel="in_person",
                applicant=APPLICANT,
                received_at=at(2024, 3, 4),
                now=at(2025, 6, 2),
            )
        d = dossier_receive(
            user=self.admin,
            procedure=self.proc,
            channel="in_person",
            applicant=APPLICANT,
            received_at=at(2024, 3, 4),
            now=at(2025, 6, 2),
        )
        self.assertTrue(d.is_historical)
        self.assertTrue(d.events.get().is_historical)
        self.assertTrue(d.code.endswith("240304-0001"))

    def test_it_refuses_a_receipt_in_the_future(self):
        from cchc.dossiers.services import dossier_receive

        with self.assertRaisesMessage(ValidationError, "không được ở tương lai"):
            dossier_receive(
                user=self.admin,
                procedure=self.proc,
                channel="in_person",
                applicant=APPLICANT,
                received_at=at(2025, 6, 3),
                now=at(2025, 6, 2),
            )

    def test_only_one_stop_officers_and_leaders_receive(self):
        with self.assertRaises(PermissionDenied):
            receive(self.tuphap, self.proc, at(2025, 6, 2))
        with self.assertRaises(Http404):
            receive(self.other, self.proc, at(2025, 6, 2))
        self.assertEqual(receive(self.chutich, self.proc, at(2025, 6, 2)).serial, 1)


class FlowTests(LifecycleTestCase):
    def test_it_walks_the_happy_path_and_records_every_step(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2, 9))
        act(d, "transfer", self.motcua, at(2025, 6, 2, 10))
        d.refresh_from_db()
        self.assertEqual((d.status, d.department), (Status.PROCESSING, self.dept_justice))
        act(d, "finish", self.tuphap, at(2025, 6, 4, 10), note="Đã cấp giấy khai sinh")
        act(d, "return_result", self.motcua, at(2025, 6, 5, 8))
        d.refresh_from_db()
        self.assertEqual((d.status, d.status_code), (Status.RETURNED, 10))
        self.assertEqual(d.due_date, date(2025, 6, 5))
        self.assertEqual(d.finish_outcome, "early")
        steps = list(d.events.values_list("action", "from_status", "to_status", "outcome"))
        self.assertEqual(
            steps,
            [
                ("receive", "", "received", "on_time"),
                ("transfer", "received", "processing", "on_time"),
                ("finish", "processing", "processed", "early"),
                ("return_result", "processed", "returned", "on_time"),
            ],
        )
        transfer = d.events.get(action="transfer")
        self.assertEqual(
            (transfer.department_from, transfer.department_to), (self.dept_one_stop, self.dept_justice)
        )

    def test_finished_exactly_on_the_due_date_is_on_time_and_a_day_later_is_late(self):
        a = receive(self.motcua, self.proc, at(2025, 6, 2))
        b = receive(self.motcua, self.proc, at(2025, 6, 2))
        for d in (a, b):
            act(d, "transfer", self.motcua, at(2025, 6, 2, 10))
        act(a, "finish", self.tuphap, at(2025, 6, 5, 16))
        act(b, "finish", self.tuphap, at(2025, 6, 6, 8))
        a.refresh_from_db()
        b.refresh_from_db()
        self.assertEqual((a.due_date, a.finish_outcome), (date(2025, 6, 5), "on_time"))
        self.assertEqual(b.finish_outcome, "late")

    def test_a_transfer_after_the_afternoon_cutoff_may_wait_for_the_next_working_day(self):
        late_in = receive(self.motcua, self.proc, at(2025, 6, 6, 16))  # Friday after 15:00
        act(late_in, "transfer", self.motcua, at(2025, 6, 9, 8))  # Monday morning
        morning = receive(self.motcua, self.proc, at(2025, 6, 9, 9))
        act(morning, "transfer", self.motcua, at(2025, 6, 10, 8))
        first = late_in.events.get(action="transfer")
        second = morning.events.get(action="transfer")
        self.assertEqual((first.step_due_date, first.outcome), (date(2025, 6, 9), "on_time"))
        self.assertEqual((second.step_due_date, second.outcome), (date(2025, 6, 9), "late"))
        # Exactly at the cut-off is still "today" (docs/rules.md §4): due that Friday.
        at_cutoff = receive(self.motcua, self.proc, at(2025, 6, 6, 15))
        act(at_cutoff, "transfer", self.motcua, at(2025, 6, 9, 8))
        third = at_cutoff.events.get(action="transfer")
        self.assertEqual((third.step_due_date, third.outcome), (date(2025, 6, 6), "late"))

    def test_the_supplement_pause_restarts_the_remaining_working_days(self):
        # Mon 5/5/2025 + 5 working days → Mon 12/5.
        d = receive(self.motcua, self.proc5, at(2025, 5, 5))
        self.assertEqual(d.due_date, date(2025, 5, 12))
        act(d, "transfer", self.motcua, at(2025, 5, 5, 10))
        act(
            d,
            "request_supplement",
            self.tuphap,
            at(2025, 5, 7),
            note="Thiếu giấy tờ",
            items=["Giấy chứng sinh"],
        )
        d.refresh_from_db()
        self.assertEqual((d.status, d.status_code, d.paused_remaining_days), (Status.SUPPLEMENT, 5, 3))
        req = d.open_supplement_request()
        self.assertEqual((req.items, req.reason), (["Giấy chứng sinh"], "Thiếu giấy tờ"))
        self.assertIn("Giấy chứng sinh", d.next_step_text())
        # Supplement arrives Wed 14/5: 3 working days left → 15, 16, 19/5.
        act(d, "receive_supplement", self.motcua, at(2025, 5, 14))
        d.refresh_from_db()
        self.assertEqual(
            (d.status, d.due_date, d.original_due_date),
            (Status.PROCESSING, date(2025, 5, 19), date(2025, 5, 12)),
        )
        self.assertIsNone(d.open_supplement_request())
        act(d, "finish", self.tuphap, at(2025, 5, 19))
        d.refresh_from_db()
        self.assertEqual(d.finish_outcome, "on_time")
        self.assertFalse(d.is_late_flagged)

    def test_a_second_supplement_request_counts_the_dossier_late(self):
        d = receive(self.motcua, self.proc5, at(2025, 5, 5))
        act(d, "request_supplement", self.motcua, at(2025, 5, 5, 10), note="Thiếu", items=["Tờ khai"])
        act(d, "receive_supplement", self.motcua, at(2025, 5, 6))
        d.refresh_from_db()
        self.assertEqual(d.status, Status.RECEIVED)  # back where it was paused
        act(d, "request_supplement", self.motcua, at(2025, 5, 6, 10), note="Sai thông tin", items=["Tờ khai"])
        act(d, "receive_supplement", self.motcua, at(2025, 5, 7))
        act(d, "finish", self.chutich, at(2025, 5, 7, 10))
        d.refresh_from_db()
        self.assertTrue(d.is_late_flagged)
        self.assertEqual(d.supplement_requests.count(), 2)
        self.assertEqual(d.finish_outcome, "late")

    def test_an_apology_keeps_the_due_date_for_statistics(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        act(d, "transfer", self.motcua, at(2025, 6, 2, 10))
        with self.assertRaisesMessage(ValidationError, "Ngày hẹn mới phải sau hạn"):
            act(d, "apologize", self.tuphap, at(2025, 6, 4), note="Chờ xác minh", new_date=date(2025, 6, 5))
        event = act(
            d, "apologize", self.tuphap, at(2025, 6, 4), note="Chờ xác minh", new_date=date(2025, 6, 10)
        )
        self.assertEqual((event.step_due_date, event.outcome), (date(2025, 6, 4), "on_time"))
        act(d, "finish", self.tuphap, at(2025, 6, 10))
        d.refresh_from_db()
        self.assertEqual(
            (d.due_date, d.apology_date, d.finish_outcome), (date(2025, 6, 5), date(2025, 6, 10), "late")
        )

    def test_illegal_moves_are_refused_and_change_nothing(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        with self.assertRaisesMessage(IllegalMove, "đang ở trạng thái “đã tiếp nhận”"):
            act(d, "return_result", self.motcua, at(2025, 6, 2, 10))
        with self.assertRaises(IllegalMove):
            act(d, "receive_supplement", self.motcua, at(2025, 6, 2, 10))
        act(d, "withdraw", self.motcua, at(2025, 6, 2, 11), note="Người dân xin rút")
        with self.assertRaises(IllegalMove):
            act(d, "finish", self.chutich, at(2025, 6, 2, 12))
        d.refresh_from_db()
        self.assertEqual((d.status, d.status_code), (Status.WITHDRAWN, 7))
        self.assertEqual(d.events.count(), 2)
        self.assertEqual(d.outcome(), "")

    def test_refusal_and_stop_end_processing(self):
        a = receive(self.motcua, self.proc, at(2025, 6, 2))
        act(a, "refuse", self.motcua, at(2025, 6, 2, 10), note="Không thuộc thẩm quyền")
        b = receive(self.motcua, self.proc, at(2025, 6, 2))
        act(b, "transfer", self.motcua, at(2025, 6, 2, 10))
        with self.assertRaisesMessage(ValidationError, "Cần ghi lý do"):
            act(b, "stop", self.tuphap, at(2025, 6, 3))
        act(b, "stop", self.tuphap, at(2025, 6, 3), note="Người dân đề nghị dừng")
        a.refresh_from_db()
        b.refresh_from_db()
        self.assertEqual((a.status_code, a.finish_outcome), (3, "early"))
        self.assertEqual((b.status_code, b.finish_outcome), (8, "early"))
        self.assertIsNotNone(b.closed_at)

    def test_an_action_cannot_be_dated_before_the_previous_step(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2, 10))
        with self.assertRaisesMessage(ValidationError, "không được trước bước trước đó"):
            act(d, "transfer", self.motcua, at(2025, 6, 2, 9))

    def test_open_dossiers_past_due_are_late_in_progress(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        self.assertEqual(d.outcome(date(2025, 6, 5)), "open")
        self.assertEqual(d.outcome(date(2025, 6, 6)), "open_late")
        self.assertEqual(d.outcome_label(date(2025, 6, 6)), "Đang giải quyết, quá hạn")


class PermissionTests(LifecycleTestCase):
    def test_a_department_officer_acts_only_on_dossiers_routed_to_the_department(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        act(d, "transfer", self.motcua, at(2025, 6, 2, 10))
        with self.assertRaisesMessage(PermissionDenied, "không được chuyển đến bộ phận của bạn"):
            act(d, "finish", self.diachinh, at(2025, 6, 3))
        with self.assertRaisesMessage(PermissionDenied, "do Bộ phận Một cửa thực hiện"):
            act(d, "withdraw", self.tuphap, at(2025, 6, 3), note="x")
        d.refresh_from_db()
        self.assertEqual(allowed_actions(self.diachinh, d), [])
        self.assertIn("finish", allowed_actions(self.tuphap, d))
        act(d, "transfer", self.tuphap, at(2025, 6, 3), department=self.dept_land, note="Liên thông")
        act(d, "finish", self.diachinh, at(2025, 6, 4))
        d.refresh_from_db()
        self.assertEqual(d.status, Status.PROCESSED)

    def test_another_commune_cannot_see_or_touch_a_dossier(self):
        from cchc.dossiers.access import dossier_for

        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        with self.assertRaises(Http404):
            act(d, "transfer", self.other, at(2025, 6, 2, 10))
        with self.assertRaises(Http404):
            dossier_for(self.other, d.code)
        self.assertEqual(dossier_for(self.captren, d.code), d)
        with self.assertRaises(PermissionDenied):
            act(d, "transfer", self.captren, at(2025, 6, 2, 10))
        self.assertEqual(DossierEvent.objects.filter(dossier=d).count(), 1)

    def test_personal_data_is_for_the_staff_who_handle_the_dossier(self):
        from cchc.dossiers.access import applicant_view, can_see_personal

        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        act(d, "transfer", self.motcua, at(2025, 6, 2, 10))
        d.refresh_from_db()
        seen = {
            u.username: can_see_personal(u, d)
            for u in (
                self.motcua,
                self.tuphap,
                self.diachinh,
                self.chutich,
                self.vanphong,
                self.captren,
                self.other,
            )
        }
        self.assertEqual(
            seen,
            {
                "motcua": True,
                "tuphap": True,
                "diachinh": False,
                "chutich": True,
                "vanphong": False,
                "captren": False,
                "other": False,
            },
        )
        masked = applicant_view(d, full=False)
        self.assertEqual((masked["id_number"], masked["phone"]), ("*********234", "*******678"))
