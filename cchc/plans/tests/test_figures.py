"""The plan figures of the catalogue: which plan a window measures, tasks judged as
they stood at the window's end, each commune its own."""

from datetime import date, datetime
from decimal import Decimal

from cchc.core.figures import Scope, evaluate, evaluate_by_commune
from cchc.core.periods import Period
from cchc.core.workcal import TZ
from cchc.plans import figures as F
from cchc.plans import services
from cchc.plans.models import Task

from .helpers import PlanTestCase


def scope(period: Period, communes, now: date) -> Scope:
    return Scope.of(
        commune_ids=communes,
        date_from=period.date_from,
        date_to=period.date_to,
        now=datetime(now.year, now.month, now.day, 12, tzinfo=TZ),
    )


class PlanYearTests(PlanTestCase):
    def test_a_window_measures_the_plan_of_the_reporting_year_it_mostly_covers(self):
        self.assertEqual(F.plan_years(date(2023, 12, 15), date(2024, 12, 14)), [2024])
        self.assertEqual(F.plan_years(date(2024, 1, 1), date(2024, 12, 31)), [2024])
        self.assertEqual(F.plan_years(date(2024, 12, 15), date(2025, 1, 14)), [2025])
        self.assertEqual(F.plan_years(date(2024, 12, 1), date(2024, 12, 20)), [2024])
        self.assertEqual(F.plan_years(date(2023, 6, 1), date(2025, 6, 30)), [2023, 2024, 2025])


class PlanFigureTests(PlanTestCase):
    def test_tasks_counted_as_they_stood_at_the_end_of_the_window(self):
        plan = self.make_plan(year=2024)
        self.make_plan(year=2024, in_effect=False, commune=self.other_commune)  # a draft: not binding
        review = Task.objects.get(area__plan=plan, title="Rà soát văn bản QPPL")  # due 30/6/2024
        year = Period.year_of(2024)
        communes = [self.commune.pk, self.other_commune.pk]

        v = evaluate(F.STATISTICS, scope(year, [self.commune.pk], date(2024, 7, 1)))
        self.assertEqual([v[f] for f in F.STATISTICS], [2, 0, 0, 1, Decimal("0.00")])

        services.task_report(user=self.tuphap, task=review, text="Xong", percent=100, today=date(2024, 6, 1))
        v = evaluate(F.STATISTICS, scope(year, [self.commune.pk], date(2024, 7, 1)))
        self.assertEqual([v[f] for f in F.STATISTICS], [2, 1, 1, 0, Decimal("50.00")])
        # The window of May 2024 ended on 14/5: the review was not done yet, nor due.
        v = evaluate(F.STATISTICS, scope(Period.month(2024, 5), [self.commune.pk], date(2024, 7, 1)))
        self.assertEqual([v[f] for f in F.STATISTICS], [2, 0, 0, 0, Decimal("0.00")])

        grouped = evaluate_by_commune(F.STATISTICS, scope(year, communes, date(2024, 7, 1)))
        self.assertEqual(grouped[self.commune.pk][F.TASKS_DONE_RATE], Decimal("50.00"))
        self.assertEqual([grouped[self.other_commune.pk][f] for f in F.STATISTICS], [0, 0, 0, 0, None])

    def test_no_approved_plan_is_no_data_and_a_future_year_has_none(self):
        self.make_plan(year=2024, in_effect=False)
        v = evaluate(
            [F.TASKS_PLANNED, F.TASKS_DONE_RATE],
            scope(Period.year_of(2024), [self.commune.pk], date(2024, 7, 1)),
        )
        self.assertEqual(list(v.values()), [0, None])
        v = evaluate([F.TASKS_DONE_RATE], scope(Period.year_of(2027), [self.commune.pk], date(2024, 7, 1)))
        self.assertIsNone(v[F.TASKS_DONE_RATE])
