from datetime import date
from io import StringIO

from django.core import mail
from django.core.management import call_command

from cchc.core.models import Notification
from cchc.plans import services
from cchc.plans.models import Task

from .helpers import PlanTestCase


class RemindTests(PlanTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.tuphap.email = "tuphap@example.vn"
        self.tuphap.save()
        self.task = Task.objects.get(area__plan=self.plan, title="Rà soát văn bản QPPL")  # due 30/06/2024

    def test_it_reminds_the_lead_department_once_per_day(self):
        first = services.tasks_remind(today=date(2024, 6, 26), days=3)
        self.assertEqual((first.due_soon, first.overdue, first.sent, first.already_sent), (1, 0, 1, 0))
        notice = Notification.objects.get(user=self.tuphap)
        self.assertIn("sắp đến hạn 30/06/2024", notice.title)
        self.assertEqual(notice.url, f"/ke-hoach/{self.plan.pk}/nhiem-vu/{self.task.pk}/")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["tuphap@example.vn"])
        again = services.tasks_remind(today=date(2024, 6, 26), days=3)
        self.assertEqual((again.sent, again.already_sent), (0, 1))
        self.assertEqual(len(mail.outbox), 1)
        # Not due within 1 working day on 26/06: nothing.
        self.assertEqual(services.tasks_remind(today=date(2024, 6, 26), days=1).due_soon, 0)
        late = services.tasks_remind(today=date(2024, 7, 1), days=3)
        self.assertEqual((late.overdue, late.sent), (1, 1))
        self.assertIn("quá hạn", Notification.objects.filter(user=self.tuphap).first().title)
        self.assertFalse(Notification.objects.exclude(user=self.tuphap).exists())

    def test_done_tasks_and_other_communes_are_left_alone(self):
        services.task_report(
            user=self.tuphap, task=self.task, text="Xong", percent=100, today=date(2024, 6, 20)
        )
        self.assertEqual(services.tasks_remind(today=date(2024, 7, 1), days=3).overdue, 0)
        self.assertEqual(
            services.tasks_remind(today=date(2024, 7, 1), days=3, commune=self.other_commune).sent, 0
        )

    def test_the_command_prints_counts_and_is_safe_to_run_twice(self):
        out = StringIO()
        call_command("remind", "--days", "3", "--commune", "ducxuong", "--date", "2024-06-26", stdout=out)
        self.assertIn("1 sắp đến hạn", out.getvalue())
        self.assertIn("đã gửi 1 thông báo", out.getvalue())
        out = StringIO()
        call_command("remind", "--date", "2024-06-26", stdout=out)
        self.assertIn("đã gửi 0 thông báo, 1 đã gửi trước đó", out.getvalue())
        self.assertEqual(Notification.objects.count(), 1)
