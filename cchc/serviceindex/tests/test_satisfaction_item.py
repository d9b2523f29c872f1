"""The satisfaction-with-procedure-handling item on real ratings: 6 points, full at
90 % (exactly), proportional below, 0 when nothing was rated in the window."""

from datetime import date
from decimal import Decimal as D

from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.helpers import act, at, make_procedure, receive
from cchc.satisfaction import services as ratings
from cchc.satisfaction.models import FACTORS, RatingChannel
from cchc.serviceindex.results import SCORED, index_for
from cchc.testing import BaseTestCase

MAY = (date(2025, 4, 15), date(2025, 5, 14))
SCORES = {key: 5 for key in FACTORS}


class SatisfactionItemTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        proc = make_procedure(cls.commune, department=cls.dept_justice)
        cls.dossiers = []
        for n in range(10):
            d = receive(cls.motcua, proc, at(2025, 5, 5))
            Dossier.objects.filter(pk=d.pk).update(due_date=date(2025, 5, 8))
            act(d, "transfer", cls.motcua, at(2025, 5, 5, 10))
            # The last one finished after its due date: 1 late of 10 → 100 % − 10 % = 90 %.
            act(d, "finish", cls.tuphap, at(2025, 5, 9 if n == 9 else 7))
            cls.dossiers.append(d)

    def rate(self, dossier, satisfied: bool) -> None:
        ratings.rating_submit(
            dossier=dossier, channel=RatingChannel.QR, scores=SCORES, satisfied=satisfied, at=at(2025, 5, 10)
        )

    def item(self):
        r = index_for(commune_ids=[self.commune.pk], date_from=MAY[0], date_to=MAY[1], now=at(2025, 6, 1))
        return r.item("DOSSIER_RECEIVING_SATISFACTION")

    def test_nothing_rated_scores_zero(self):
        item = self.item()
        self.assertEqual((item.state, item.points), (SCORED, D(0)))
        self.assertEqual(item.value, D("90.00"))  # the figure exists, the rule still gives 0

    def test_exactly_ninety_percent_is_full_points(self):
        self.rate(self.dossiers[0], True)
        item = self.item()
        self.assertEqual(item.value, D("90.00"))
        self.assertEqual(item.points, D("6.00"))

    def test_below_the_threshold_is_proportional(self):
        self.rate(self.dossiers[0], False)  # a complaint: 100 % − 10 % late − 10 % complained = 80 %
        item = self.item()
        self.assertEqual(item.value, D("80.00"))
        self.assertEqual(item.points, D("5.33"))  # 6 × 0,8 ÷ 0,9 = 5,333…
