"""`petition_stats`: the figures dashboards and the QĐ 766 index use."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from cchc.petitions.services import petition_rate, petition_stats

from .helpers import PetitionTestCase, at


class PetitionStatsTests(PetitionTestCase):
    def test_it_counts_outcomes_on_time_overdue_and_satisfaction(self):
        # Three answered: two by the handling deadline (25/05/2026), one late.
        on_time_1 = self.walk_to("published", self.submit(subject="A"))
        on_time_2 = self.walk_to("answered", self.submit(subject="B"))
        late = self.walk_to("assigned", self.submit(subject="C"))
        late = self.act(late, self.tuphap, "answer", at("2026-05-26"), answer="Muộn.")
        # Open and past its step deadline on 01/06/2026; one refused, one transferred.
        self.walk_to("accepted", self.submit(subject="D"))
        refused = self.act(
            self.submit(subject="E"), self.motcua, "refuse", at("2026-04-30"), reason="Không phải PAKN."
        )
        moved = self.act(
            self.submit(subject="F"), self.motcua, "transfer_outside", at("2026-05-04"), note="Sở Xây dựng"
        )
        # Outside the window (received in June) and in another commune: not counted.
        self.submit(subject="G", at_=at("2026-06-01", 8))
        self.submit(subject="H", commune=self.other_commune)
        petition_rate(petition=on_time_1, satisfied=True, at=at("2026-05-20"))
        petition_rate(petition=refused, satisfied=False, comment="Không đồng ý.", at=at("2026-05-20"))
        petition_rate(petition=moved, satisfied=True, at=at("2026-05-20"))

        stats = petition_stats(
            commune_ids=[self.commune.pk],
            date_from=date(2026, 4, 1),
            date_to=date(2026, 5, 31),
            at=at("2026-06-01", 12),
        )
        self.assertEqual(
            stats,
            {
                "date_from": date(2026, 4, 1),
                "date_to": date(2026, 5, 31),
                "received": 6,
                "answered": 3,
                "answered_on_time": 2,
                # Open past the step deadline on 01/06: D (accepted), B and C (answers awaiting
                # approval past their handling deadline 25/05).
                "overdue": 3,
                "on_time_rate": 66.67,
                "not_accepted": 1,
                "transferred": 1,
                "published": 1,
                "open": 3,
                "rated": 3,
                "satisfied": 2,
                "satisfaction_rate": 66.67,
            },
        )

        from decimal import Decimal

        from cchc.core.figures import Scope, evaluate, evaluate_by_commune
        from cchc.petitions import figures as F

        scope = Scope.of(
            commune_ids=[self.commune.pk, self.other_commune.pk],
            date_from=date(2026, 4, 1),
            date_to=date(2026, 5, 31),
            now=at("2026-06-01", 12),
        )
        grouped = evaluate_by_commune(F.STATISTICS, scope)
        mine = grouped[self.commune.pk]
        self.assertEqual([mine[f] for f in F.STATISTICS], [6, 3, 2, 3, Decimal("66.67"), Decimal("66.67")])
        self.assertEqual(mine, evaluate(F.STATISTICS, scope.for_communes([self.commune.pk])))
        self.assertEqual(grouped[self.other_commune.pk][F.RECEIVED], 1)
        self.assertIsNone(grouped[self.other_commune.pk][F.ON_TIME_RATE])
        self.assertTrue(on_time_2.answered_on_time())
        self.assertFalse(late.answered_on_time())

    def test_approval_date_decides_on_time_once_approved(self):
        p = self.walk_to("assigned")  # handle due 25/05/2026
        p = self.act(p, self.tuphap, "answer", at("2026-05-22"), answer="Đúng hạn.")
        p = self.act(p, self.chutich, "approve", at("2026-05-27"))
        stats = petition_stats(
            commune_ids=[self.commune.pk], date_from=date(2026, 4, 29), date_to=date(2026, 4, 29)
        )
        self.assertEqual((stats["answered"], stats["answered_on_time"], stats["on_time_rate"]), (1, 0, 0.0))

    def test_window_is_by_received_local_date_and_empty_rates_are_none(self):
        self.submit(at_=at("2026-04-30", 23, 30))  # still 30/04 in Vietnam (16:30 UTC)
        stats = petition_stats(
            commune_ids=[self.commune.pk], date_from=date(2026, 4, 30), date_to=date(2026, 4, 30)
        )
        self.assertEqual(stats["received"], 1)
        self.assertIsNone(stats["on_time_rate"])
        self.assertIsNone(stats["satisfaction_rate"])
        stats = petition_stats(
            commune_ids=[self.commune.pk], date_from=date(2026, 5, 1), date_to=date(2026, 5, 1)
        )
        self.assertEqual(stats["received"], 0)

    def test_a_reversed_window_is_refused(self):
        with self.assertRaises(ValidationError):
            petition_stats(
                commune_ids=[self.commune.pk], date_from=date(2026, 5, 2), date_to=date(2026, 5, 1)
            )
