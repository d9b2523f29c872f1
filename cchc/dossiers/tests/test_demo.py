from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from cchc.core.demo import DemoLog
from cchc.dossiers import demo
from cchc.dossiers.models import DailySerial, Dossier, DossierEvent
from cchc.dossiers.stats import dossier_stats
from cchc.org import demo as org_demo
from cchc.org.models import Department, Unit

from .helpers import make_procedure


class DemoTests(TestCase):
    def test_it_builds_a_consistent_history_once(self):
        org_demo.load(DemoLog(write=lambda s: None))
        commune = Unit.objects.get(slug="ducxuong")
        justice = Department.objects.get(commune=commune, code="tu-phap-ho-tich")
        make_procedure(commune, department=justice)
        make_procedure(
            commune, "2.000815", name="Chứng thực bản sao", field="Chứng thực", amount=None, unit="same_day"
        )
        make_procedure(commune, "1.003003", field="Đất đai", amount=10)
        start = timezone.localdate() - timedelta(days=90)
        log = DemoLog(write=lambda s: None)
        demo.load(log, start=start, volumes={"ducxuong": 12.0})
        count = Dossier.objects.count()
        self.assertGreater(count, 400)
        self.assertEqual(log.created, count)
        # codes: unique, serials gap-free per day and the counters agree
        for serial in DailySerial.objects.filter(commune=commune):
            serials = sorted(
                Dossier.objects.filter(commune=commune, code__contains=f"-{serial.day:%y%m%d}-").values_list(
                    "serial", flat=True
                )
            )
            self.assertEqual(serials, list(range(1, serial.last + 1)))
        # online submissions still waiting at the counter are not "received" yet
        pending = Dossier.objects.filter(status="registered").count()
        self.assertEqual(pending, 1)  # only the demo's khai sinh one: its procedure exists here
        self.assertEqual(DossierEvent.objects.filter(action="receive").count(), count - pending)
        s = dossier_stats(commune_ids=[commune.pk], date_from=start, date_to=timezone.localdate())
        self.assertEqual(s["received"], count - pending)
        self.assertGreater(s["on_time_rate"], 93)
        again = DemoLog(write=lambda s: None)
        demo.load(again, start=start, volumes={"ducxuong": 12.0})
        self.assertEqual((again.created, Dossier.objects.count()), (0, count))
