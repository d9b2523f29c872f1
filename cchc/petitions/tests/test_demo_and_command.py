"""The demo loader (re-runnable, every state present) and the reminder command."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings

from cchc.core.demo import DemoLog
from cchc.core.models import Notification
from cchc.org import demo as org_demo
from cchc.petitions import demo
from cchc.petitions.models import Petition, PetitionRating, Status


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class DemoTests(TestCase):
    def test_it_loads_every_state_once(self):
        org_demo.load(DemoLog(write=lambda _: None))
        first = DemoLog(write=lambda _: None)
        demo.load(first)
        self.assertEqual(first.created, len(demo.SCENARIOS))
        self.assertEqual(set(Petition.objects.values_list("status", flat=True)), set(Status.values))
        self.assertEqual(PetitionRating.objects.count(), 2)
        published = Petition.objects.filter(status=Status.PUBLISHED)
        self.assertGreaterEqual(published.count(), 3)
        self.assertTrue(all(p.public_answer for p in published))
        second = DemoLog(write=lambda _: None)
        demo.load(second)
        self.assertEqual(second.created, 0)
        self.assertEqual(Petition.objects.count(), len(demo.SCENARIOS))

    def test_reminder_command_runs_twice_without_sending_twice(self):
        org_demo.load(DemoLog(write=lambda _: None))
        demo.load(DemoLog(write=lambda _: None))
        out = StringIO()
        call_command("petitions_remind", stdout=out)
        sent = Notification.objects.filter(title__contains="hạn").count()
        self.assertGreater(sent, 0)  # the demo has overdue and due-soon petitions
        call_command("petitions_remind", stdout=StringIO())
        self.assertEqual(Notification.objects.filter(title__contains="hạn").count(), sent)
        self.assertIn(f"Đã gửi {sent} thông báo", out.getvalue())
