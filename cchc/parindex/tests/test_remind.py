"""Deadline reminders: sent to whoever must act, never twice the same day."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.management import call_command

from cchc.core.models import Notification
from cchc.parindex import services

from .helpers import ParTestCase

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class RemindTests(ParTestCase):
    def setUp(self):
        super().setUp()
        self.set = self.make_set()
        self.a = self.make_assessment(self.set)

    def test_communes_that_have_not_sent_are_reminded_before_and_after_the_deadline(self):
        services.criteria_set_update(
            user=None, criteria_set=self.set, submit_due=date(2025, 12, 19)
        )  # a Friday
        far = services.par_index_remind(today=date(2025, 12, 1), days=5)
        self.assertEqual(far.sent, 0)
        soon = services.par_index_remind(today=date(2025, 12, 15), days=5)
        self.assertEqual(soon.sent, 2)  # vanphong and chutich of ducxuong (gialoc has no such staff)
        notice = Notification.objects.get(user=self.vanphong)
        self.assertEqual(notice.title, "Chỉ số CCHC năm 2025: chưa gửi kết quả tự đánh giá, hạn 19/12/2025")
        again = services.par_index_remind(today=date(2025, 12, 15), days=5)
        self.assertEqual((again.sent, again.already_sent), (0, 2))
        late = services.par_index_remind(today=date(2025, 12, 22), days=5)
        self.assertEqual(late.sent, 2)
        self.assertTrue(
            Notification.objects.filter(user=self.chutich, title__contains="đã quá hạn 19/12/2025").exists()
        )
        # Sent: no more reminders.
        self.score_all(self.a)
        for action in ("self_assess", "approve", "submit"):
            services.assessment_act(user=None, assessment=self.a, action=action)
        Notification.objects.all().delete()
        self.assertEqual(services.par_index_remind(today=date(2025, 12, 23), days=5).sent, 0)

    def test_appraisers_and_explanations_are_reminded_and_the_command_runs_twice_safely(self):
        services.criteria_set_update(user=None, criteria_set=self.set, appraisal_due=date(2026, 1, 20))
        self.score_all(self.a)
        for action in ("self_assess", "approve", "submit", "start_appraisal"):
            services.assessment_act(
                user=self.captren if action == "start_appraisal" else None, assessment=self.a, action=action
            )
        services.explanation_request_add(
            user=self.captren,
            assessment=self.a,
            criterion=self.set.criteria.get(code="1.1"),
            request="Giải trình.",
        )
        services.assessment_act(
            user=self.captren,
            assessment=self.a,
            action="request_explanation",
            due_date=date(2026, 1, 9),
            at=datetime(2026, 1, 5, 9, tzinfo=TZ),
        )
        Notification.objects.all().delete()
        call_command("par_index_remind", "--date", "2026-01-08", stdout=open("/dev/null", "w"))
        self.assertEqual(
            set(Notification.objects.values_list("user__username", flat=True)), {"vanphong", "chutich"}
        )
        call_command("par_index_remind", "--date", "2026-01-08", stdout=open("/dev/null", "w"))
        self.assertEqual(Notification.objects.count(), 2)
        item = self.a.scores.get(criterion__code="1.1").explanation_requests.get()
        services.explanation_answer(user=self.vanphong, item=item, response="Đã giải trình.")
        services.assessment_act(user=self.vanphong, assessment=self.a, action="explain")
        Notification.objects.all().delete()
        result = services.par_index_remind(today=date(2026, 1, 14), days=5)
        self.assertEqual(
            list(Notification.objects.values_list("user__username", "title")),
            [("captren", "Thẩm định Chỉ số CCHC năm 2025 của ducxuong: hạn 20/01/2026")],
        )
        self.assertEqual(result.sent, 1)
