from django.test import TestCase

from cchc.core.demo import DemoLog
from cchc.org import demo as org_demo
from cchc.plans import demo
from cchc.plans.models import Plan


class DemoPlanTests(TestCase):
    def test_the_2024_plan_has_the_communes_own_number_not_the_districts(self):
        org_demo.load(DemoLog(write=lambda s: None))
        demo.load(DemoLog(write=lambda s: None))
        plan = Plan.objects.get(commune__slug="ducxuong", year=2024)
        self.assertIn("152/KH-UBND", plan.basis)  # the district plan it implements
        self.assertNotEqual(plan.number, "152")
        self.assertEqual(plan.number_display, "04/KH-UBND")
        numbers = list(
            Plan.objects.filter(commune__slug="ducxuong").exclude(number="").values_list("number", flat=True)
        )
        self.assertEqual(len(numbers), len(set(numbers)))
