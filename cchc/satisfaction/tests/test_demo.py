from datetime import date, timedelta

from cchc.core.demo import DemoLog
from cchc.dossiers.models import Status
from cchc.satisfaction import demo
from cchc.satisfaction.models import FollowUp, Rating

from .helpers import FastTestCase, make_dossier, make_procedure


class DemoTests(FastTestCase):
    def test_it_rates_a_realistic_share_and_a_second_run_creates_nothing(self):
        procedure = make_procedure(self.commune, department=self.dept_justice)
        start = date(2026, 1, 5)
        for i in range(300):
            make_dossier(
                self.commune,
                procedure,
                received=start + timedelta(days=i % 200),
                department=self.dept_justice,
                returned_by=self.motcua,
                handled_by=self.tuphap,
            )
        make_dossier(self.commune, procedure, received=start, status=Status.PROCESSING)
        first = DemoLog(write=lambda line: None)
        demo.load(first)
        rated = Rating.objects.count()
        self.assertTrue(0.30 * 300 <= rated <= 0.60 * 300, rated)
        share = Rating.objects.filter(satisfied=True).count() / rated
        self.assertTrue(0.85 <= share <= 1.0, share)  # ~95% expected; a few hundred draws vary
        self.assertFalse(Rating.objects.filter(dossier__status=Status.PROCESSING).exists())
        self.assertEqual(set(Rating.objects.values_list("officer__username", flat=True)), {"motcua"})
        self.assertEqual(
            FollowUp.objects.count(), Rating.objects.filter(satisfied=False).exclude(comment="").count()
        )
        self.assertEqual(first.created, rated + FollowUp.objects.count())

        second = DemoLog(write=lambda line: None)
        demo.load(second)
        self.assertEqual(second.created, 0)
        self.assertEqual(Rating.objects.count(), rated)
