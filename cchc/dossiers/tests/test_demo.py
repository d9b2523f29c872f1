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


class DigitalDemoTests(TestCase):
    def test_it_shows_an_electronic_result_an_online_supplement_and_a_reuse_once(self):
        import shutil
        import tempfile

        from django.test import override_settings

        from cchc.dossiers.models import DossierDocument

        from .helpers import make_online_procedure

        media = tempfile.mkdtemp(prefix="cchc-demo-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        org_demo.load(DemoLog(write=lambda s: None))
        commune = Unit.objects.get(slug="ducxuong")
        justice = Department.objects.get(commune=commune, code="tu-phap-ho-tich")
        proc = make_online_procedure(commune, department=justice, level="partial")
        log = DemoLog(write=lambda s: None)
        with override_settings(MEDIA_ROOT=media):
            demo._digital(log)
            proc.refresh_from_db()
            self.assertEqual(proc.online_level, "full")
            done, waiting, again = Dossier.objects.filter(commune=commune).order_by("id")
            self.assertEqual(
                (done.status, done.return_mode, done.channel), ("returned", "electronic", "online")
            )
            self.assertEqual(done.files.filter(kind="result").count(), 1)
            self.assertTrue(done.files.get(kind="result").file.read().startswith(b"%PDF-1.4"))
            self.assertEqual((waiting.status, waiting.supplement_requests.count()), ("supplement", 1))
            self.assertEqual(again.files.filter(source="reuse").count(), 2)
            self.assertEqual(set(again.files.values_list("reused_from__dossier", flat=True)), {done.pk})
            count = DossierDocument.objects.count()
            again_log = DemoLog(write=lambda s: None)
            demo._digital(again_log)
            self.assertEqual((again_log.created, DossierDocument.objects.count()), (0, count))
