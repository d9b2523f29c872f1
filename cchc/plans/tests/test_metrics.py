from datetime import date
from decimal import Decimal

from cchc.plans import services
from cchc.plans.metrics import METRICS, measure
from cchc.plans.models import Task
from cchc.procedures.models import PARTS, Procedure

from .helpers import PlanTestCase


class MetricTests(PlanTestCase):
    def test_every_metric_runs_and_returns_none_without_data(self):
        for key in METRICS:
            with self.subTest(metric=key):
                self.assertIsNone(measure(key, self.commune, date(2024, 1, 1), date(2024, 12, 31)))

    def test_live_values_come_from_the_catalogue_and_the_plan(self):
        plan = self.make_plan()
        # Counted: published, with a usable time and every part of the publication reviewed.
        for i, (published, parts) in enumerate(
            [
                (True, list(PARTS)),
                (True, list(PARTS)),
                (True, list(PARTS)),
                (False, list(PARTS)),
                (True, ["time"]),
            ]
        ):
            Procedure.objects.create(
                commune=self.commune,
                code=f"1.00{i}",
                name=f"Thủ tục {i}",
                is_published=published,
                time_amount=3,
                time_unit="working_days",
                reviewed_parts=parts,
            )
        Procedure.objects.create(  # another commune's procedures are not counted
            commune=self.other_commune, code="1.009", name="Khác", is_published=False
        )
        self.assertEqual(
            measure("procedures_published", self.commune, date(2024, 1, 1), date(2024, 12, 31)),
            Decimal("60.00"),
        )
        task = Task.objects.get(area__plan=plan, title="Công khai 100% TTHC")
        live = services.live_targets(plan, today=date(2024, 5, 1))
        self.assertEqual(live[task.pk], Decimal("60.00"))
        self.assertFalse(task.target_met(live[task.pk]))
        done = Task.objects.get(area__plan=plan, title="Rà soát văn bản QPPL")
        services.task_report(user=self.tuphap, task=done, text="Xong", percent=100, today=date(2024, 6, 1))
        self.assertEqual(
            measure("tasks_done", self.commune, date(2024, 1, 1), date(2024, 12, 31)), Decimal("50.00")
        )
