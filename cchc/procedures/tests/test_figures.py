"""The catalogue's procedure figures: "published" counts complete, reviewed
publications only; each commune its own."""

from datetime import date
from decimal import Decimal

from cchc.core.figures import Scope, evaluate, evaluate_by_commune
from cchc.procedures import figures as F
from cchc.procedures.models import PARTS, Procedure
from cchc.testing import BaseTestCase


def make(commune, code, **kw):
    values = dict(
        name=f"Thủ tục {code}",
        time_amount=3,
        time_unit="working_days",
        is_published=True,
        reviewed_parts=list(PARTS),
    )
    values.update(kw)
    return Procedure.objects.create(commune=commune, code=code, **values)


class ProcedureFigureTests(BaseTestCase):
    def test_published_means_published_reviewed_and_complete(self):
        make(self.commune, "1.1", online=True, online_level="full")
        make(self.commune, "1.2", needs_review=True, review_notes="Thời hạn không rõ")
        make(self.commune, "1.3", time_amount=None, time_unit="")  # no usable time
        make(self.commune, "1.4", is_published=False)
        make(self.commune, "1.5", time_amount=None, time_unit="same_day", online=True, online_level="partial")
        make(self.commune, "1.6", reviewed_parts=["time", "fee"])  # documents, steps … not reviewed yet
        make(self.other_commune, "1.1")
        scope = Scope.of(
            commune_ids=[self.commune.pk, self.other_commune.pk],
            date_from=date(2024, 1, 1),
            date_to=date(2024, 12, 31),
        )
        grouped = evaluate_by_commune(F.STATISTICS, scope)
        mine = grouped[self.commune.pk]
        self.assertEqual([mine[f] for f in F.STATISTICS], [6, 2, Decimal("33.33"), 2, 1, Decimal("33.33")])
        self.assertEqual(mine, evaluate(F.STATISTICS, scope.for_communes([self.commune.pk])))
        self.assertEqual(grouped[self.other_commune.pk][F.PUBLISHED_RATE], Decimal("100.00"))
        empty = evaluate(
            [F.PUBLISHED_RATE],
            Scope.of(commune_ids=[9999], date_from=date(2024, 1, 1), date_to=date(2024, 1, 1)),
        )
        self.assertIsNone(empty[F.PUBLISHED_RATE])
