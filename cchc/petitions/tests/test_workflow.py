"""The petition state machine: legal and illegal moves, history, deadlines
computed with the working-day calendar (holidays in between), permissions."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cchc.core.models import CalendarOverride, Notification
from cchc.core.workflow import IllegalMove
from cchc.org.models import Role
from cchc.petitions import services
from cchc.petitions.models import PetitionDeadline, PetitionEvent, Status, Step

from .helpers import PetitionTestCase, at


class StateMachineTests(PetitionTestCase):
    def test_it_walks_the_whole_path_and_records_each_step(self):
        p = self.walk_to("published")
        self.assertEqual(p.status, Status.PUBLISHED)
        moves = list(p.events.values_list("action", "from_status", "to_status"))
        self.assertEqual(
            moves,
            [
                ("receive", "", "received"),
                ("accept", "received", "accepted"),
                ("assign", "accepted", "assigned"),
                ("answer", "assigned", "answered"),
                ("approve", "answered", "approved"),
                ("publish", "approved", "published"),
            ],
        )
        approve = p.events.get(action="approve")
        self.assertEqual(approve.actor, self.chutich)
        self.assertEqual(approve.at, at("2026-05-13"))
        self.assertIsNone(p.due_date)
        self.assertEqual(p.closed_at, at("2026-05-14"))

    def test_it_refuses_illegal_moves_and_changes_nothing(self):
        p = self.submit()
        with self.assertRaises(IllegalMove):
            self.act(p, self.chutich, "approve", at("2026-04-30"))
        with self.assertRaises(IllegalMove):
            self.act(p, self.motcua, "publish", at("2026-04-30"), public_title="x", public_summary="y")
        with self.assertRaises(IllegalMove):
            self.act(p, self.motcua, "assign", at("2026-04-30"), department=self.dept_justice)
        p.refresh_from_db()
        self.assertEqual(p.status, Status.RECEIVED)
        self.assertEqual(p.events.count(), 1)

    def test_a_final_petition_cannot_move_again(self):
        p = self.submit()
        p = self.act(p, self.motcua, "refuse", at("2026-04-30"), reason="Tranh chấp dân sự, không phải PAKN.")
        self.assertEqual(p.status, Status.NOT_ACCEPTED)
        self.assertEqual(p.refusal_reason, "Tranh chấp dân sự, không phải PAKN.")
        for action in ("accept", "request_info", "transfer_outside"):
            with self.assertRaises(IllegalMove):
                self.act(p, self.motcua, action, at("2026-05-04"), note="x")

    def test_it_returns_an_answer_for_revision_and_accepts_a_new_one(self):
        p = self.walk_to("answered")
        with self.assertRaises(ValidationError):
            self.act(p, self.chutich, "return", at("2026-05-12", 15))  # needs a note
        p = self.act(p, self.chutich, "return", at("2026-05-12", 15), note="Nêu rõ căn cứ pháp lý.")
        self.assertEqual(p.status, Status.ASSIGNED)
        p = self.act(p, self.tuphap, "answer", at("2026-05-13"), answer="Theo Nghị định 23/2015/NĐ-CP…")
        self.assertEqual(p.status, Status.ANSWERED)
        self.assertEqual(p.answer, "Theo Nghị định 23/2015/NĐ-CP…")

    def test_it_classifies_as_transferred_with_the_receiving_body(self):
        p = self.submit()
        with self.assertRaises(ValidationError):
            self.act(p, self.vanphong, "transfer_outside", at("2026-05-04"))
        p = self.act(p, self.vanphong, "transfer_outside", at("2026-05-04"), note="Sở Tài chính thành phố")
        self.assertEqual(p.status, Status.TRANSFERRED_OUTSIDE)
        self.assertEqual(p.transferred_to, "Sở Tài chính thành phố")
        q = self.submit(subject="Thái độ công chức")
        q = self.act(q, self.vanphong, "transfer_conduct", at("2026-05-04"), note="Chủ tịch UBND xã")
        self.assertEqual(q.status, Status.TRANSFERRED_CONDUCT)

    def test_request_for_information_stops_and_restarts_the_classification_clock(self):
        p = self.submit()
        p = self.act(p, self.motcua, "request_info", at("2026-05-04"), note="Cho biết tên thủ tục.")
        self.assertEqual(p.status, Status.INFO_REQUESTED)
        self.assertIsNone(p.due_date)  # waiting for the petitioner is not counted
        p = self.act(p, self.motcua, "receive_info", at("2026-05-11"), note="Thủ tục chứng thực bản sao.")
        self.assertEqual(p.status, Status.RECEIVED)
        # Monday 11/05/2026 + 5 working days = Monday 18/05.
        self.assertEqual(p.due_date, date(2026, 5, 18))

    def test_assignment_must_name_a_department_of_the_same_commune(self):
        p = self.walk_to("accepted")
        with self.assertRaises(ValidationError):
            self.act(p, self.motcua, "assign", at("2026-05-05"))
        with self.assertRaises(ValidationError):
            self.act(p, self.motcua, "assign", at("2026-05-05"), department=self.other_dept)
        p.refresh_from_db()
        self.assertEqual(p.status, Status.ACCEPTED)
        self.assertIsNone(p.department)

    def test_it_reassigns_to_another_department(self):
        p = self.walk_to("assigned")
        p = self.act(p, self.motcua, "assign", at("2026-05-06"), department=self.dept_land)
        self.assertEqual((p.status, p.department), (Status.ASSIGNED, self.dept_land))
        with self.assertRaises(ValidationError):
            self.act(p, self.motcua, "assign", at("2026-05-07"), department=self.dept_land)

    def test_unknown_action_is_a_validation_error(self):
        with self.assertRaises(ValidationError):
            self.act(self.submit(), self.motcua, "delete", at("2026-05-04"))


class DeadlineTests(PetitionTestCase):
    def test_classification_deadline_skips_the_april_30_and_may_1_holidays(self):
        # Received Wednesday 29/04/2026; 30/04 and 01/05 are holidays, 02–03/05 a weekend.
        p = self.submit(at_=at("2026-04-29", 10))
        self.assertEqual(p.due_date, date(2026, 5, 8))
        self.assertEqual(p.events.get().step_due, date(2026, 5, 8))

    def test_refusal_within_two_working_days_is_on_time_across_the_holiday(self):
        p = self.submit(at_=at("2026-04-29", 10))
        # 2 working days after 29/04 = Tuesday 05/05 (30/04–03/05 off).
        p = self.act(p, self.motcua, "refuse", at("2026-05-05", 16), reason="Không phải PAKN.")
        event = p.events.get(action="refuse")
        self.assertEqual((event.step_due, event.on_time), (date(2026, 5, 5), True))
        q = self.submit(at_=at("2026-04-29", 10), subject="Khác")
        q = self.act(q, self.motcua, "refuse", at("2026-05-06", 8), reason="Không phải PAKN.")
        self.assertIs(q.events.get(action="refuse").on_time, False)

    def test_handling_deadline_runs_fifteen_working_days_from_classification(self):
        p = self.walk_to("accepted")  # accepted Monday 04/05/2026
        self.assertEqual(p.handle_due, date(2026, 5, 25))
        self.assertEqual(p.due_date, date(2026, 5, 25))

    def test_approval_sets_the_publication_deadline(self):
        p = self.walk_to("approved")  # approved Wednesday 13/05/2026
        self.assertEqual(p.due_date, date(2026, 5, 15))
        self.assertTrue(p.events.get(action="approve").on_time)

    def test_a_local_day_off_moves_the_deadline(self):
        CalendarOverride.objects.create(date=date(2026, 5, 6), kind="off", reason="Nghỉ bù địa phương")
        p = self.submit(at_=at("2026-04-29", 10))
        self.assertEqual(p.due_date, date(2026, 5, 11))

    def test_step_limits_are_configurable(self):
        PetitionDeadline.objects.update_or_create(step=Step.HANDLE, defaults={"working_days": 10})
        p = self.walk_to("accepted")  # 04/05/2026 + 10 working days
        self.assertEqual(p.handle_due, date(2026, 5, 18))
        PetitionDeadline.objects.filter(step=Step.HANDLE).delete()
        self.assertEqual(services.step_days(Step.HANDLE), 15)  # back to the default

    def test_late_answer_is_recorded_as_late(self):
        p = self.walk_to("assigned")  # handle due 25/05/2026
        p = self.act(p, self.tuphap, "answer", at("2026-05-26"), answer="Trả lời muộn.")
        self.assertIs(p.events.get(action="answer").on_time, False)
        self.assertFalse(p.answered_on_time())

    def test_overdue_and_due_soon_lists(self):
        p = self.walk_to("assigned")  # due 25/05/2026
        fresh = self.submit(at_=at("2026-05-20"), subject="Mới")  # classify due 27/05
        qs = type(p).objects
        self.assertEqual(list(qs.overdue(date(2026, 5, 26))), [p])
        soon = qs.due_soon(date(2026, 5, 21), services.due_soon_until(date(2026, 5, 21)))
        self.assertEqual(set(soon), {p})  # 25/05 is 2 working days after 21/05; 27/05 is not
        soon = qs.due_soon(date(2026, 5, 25), services.due_soon_until(date(2026, 5, 25)))
        self.assertEqual(set(soon), {p, fresh})


class PermissionTests(PetitionTestCase):
    def test_only_classifiers_classify(self):
        p = self.submit()
        for user in (self.tuphap, self.chutich, self.captren):
            with self.assertRaises((PermissionDenied, Http404)):
                self.act(p, user, "accept", at("2026-05-04"))
        p.refresh_from_db()
        self.assertEqual(p.status, Status.RECEIVED)

    def test_other_commune_cannot_touch_the_petition(self):
        with self.assertRaises(Http404):
            self.act(self.submit(), self.other, "accept", at("2026-05-04"))

    def test_only_the_assigned_department_answers(self):
        p = self.walk_to("assigned")  # Tư pháp
        with self.assertRaises(PermissionDenied):
            self.act(p, self.diachinh, "answer", at("2026-05-06"), answer="Không phải việc của tôi.")
        with self.assertRaises(PermissionDenied):
            self.act(p, self.motcua, "answer", at("2026-05-06"), answer="Một cửa trả lời thay.")
        p = self.act(p, self.tuphap, "answer", at("2026-05-06"), answer="Tư pháp trả lời.")
        self.assertEqual(p.answered_by, self.tuphap)

    def test_only_leaders_approve(self):
        p = self.walk_to("answered")
        for user in (self.motcua, self.vanphong, self.tuphap):
            with self.assertRaises(PermissionDenied):
                self.act(p, user, "approve", at("2026-05-13"))
        from cchc.testing import make_user

        vice = make_user("phochutich", Role.VICE_CHAIRMAN, self.commune)
        p = self.act(p, vice, "approve", at("2026-05-13"))
        self.assertEqual(p.approved_by, vice)

    def test_available_actions_follow_status_and_role(self):
        p = self.submit()
        names = lambda u: {m.action for m in services.available_actions(u, p)}  # noqa: E731
        self.assertEqual(
            names(self.motcua), {"request_info", "refuse", "transfer_conduct", "transfer_outside", "accept"}
        )
        self.assertEqual(names(self.chutich), set())
        self.assertEqual(names(self.captren), set())


class PublicationTests(PetitionTestCase):
    def test_publication_refuses_the_petitioners_personal_data(self):
        p = self.walk_to("approved")
        cases = [
            {"public_title": "Trả lời ông Nguyễn Văn Bình", "public_summary": "Thời gian chờ."},
            {"public_title": "Thời gian chờ", "public_summary": "Liên hệ 0912.345.678 để biết thêm."},
            {"public_title": "Thời gian chờ", "public_summary": "Gửi binh@example.com."},
            {
                "public_title": "Thời gian chờ",
                "public_summary": "Tóm tắt",
                "public_answer": "Kính gửi NGUYEN VAN BINH",
            },
        ]
        for kwargs in cases:
            with self.subTest(kwargs=kwargs), self.assertRaises(ValidationError):
                self.act(p, self.motcua, "publish", at("2026-05-14"), **kwargs)
        p.refresh_from_db()
        self.assertEqual(p.status, Status.APPROVED)
        self.assertEqual(p.search_key, "")

    def test_publication_needs_a_public_title_and_summary(self):
        p = self.walk_to("approved")
        with self.assertRaises(ValidationError) as ctx:
            self.act(p, self.motcua, "publish", at("2026-05-14"))
        self.assertIn("public_title", ctx.exception.message_dict)
        self.assertIn("public_summary", ctx.exception.message_dict)

    def test_published_text_is_searchable_without_diacritics(self):
        p = self.walk_to("published")
        self.assertIn("thoi gian cho chung thuc", p.search_key)
        self.assertNotIn("binh", p.search_key)
        self.assertEqual(p.public_answer, "Xã đã bố trí thêm người chứng thực.")


class NotificationTests(PetitionTestCase):
    def test_assignment_notifies_the_department_and_answer_notifies_leaders(self):
        p = self.walk_to("assigned")
        self.assertTrue(Notification.objects.filter(user=self.tuphap, title__contains=p.code).exists())
        self.assertFalse(Notification.objects.filter(user=self.diachinh).exists())
        self.act(p, self.tuphap, "answer", at("2026-05-06"), answer="Trả lời.")
        self.assertTrue(Notification.objects.filter(user=self.chutich, title__contains="chờ duyệt").exists())

    def test_reminders_go_once_to_who_must_act(self):
        p = self.walk_to("assigned")  # due 25/05/2026
        sent = services.petition_send_reminders(at=at("2026-05-21", 7))
        self.assertEqual(sent, 1)
        self.assertTrue(Notification.objects.filter(user=self.tuphap, title__contains="sắp đến hạn").exists())
        self.assertEqual(services.petition_send_reminders(at=at("2026-05-21", 8)), 0)  # idempotent
        services.petition_send_reminders(at=at("2026-05-26", 7))
        self.assertTrue(Notification.objects.filter(user=self.tuphap, title__contains="quá hạn").exists())
        self.assertFalse(Notification.objects.filter(user=self.diachinh).exists())
        self.assertEqual(PetitionEvent.objects.filter(petition=p).count(), 3)
