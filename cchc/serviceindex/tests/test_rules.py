"""Each scoring rule with hand-computed points, exactly at and around its thresholds."""

from decimal import Decimal as D

from django.test import SimpleTestCase

from cchc.serviceindex import rules


class RuleTests(SimpleTestCase):
    def test_linear_is_max_times_the_ratio(self):
        self.assertEqual(rules.linear(D(20), D("0.5")), D("10.00"))
        self.assertEqual(rules.linear(D(20), D(1)), D("20.00"))
        self.assertEqual(rules.linear(D(20), D(0)), D("0.00"))
        self.assertEqual(rules.linear(D(6), D(2) / D(3)), D("4.00"))
        self.assertEqual(rules.linear(D(20), D(1) / D(3)), D("6.67"))  # 6.666… half up

    def test_capped_is_full_from_the_threshold_on(self):
        # Satisfaction with procedure handling: 6 points, full at 90 %.
        self.assertEqual(rules.capped(D(6), D("0.90"), D("0.9")), D("6.00"))
        self.assertEqual(rules.capped(D(6), D("0.95"), D("0.9")), D("6.00"))
        self.assertEqual(rules.capped(D(6), D("0.899"), D("0.9")), D("5.99"))
        self.assertEqual(rules.capped(D(6), D("0.45"), D("0.9")), D("3.00"))
        # Reuse of digitised data: 2 points, full at 80 %; 79 % → 1.975 → 1.98 (half up).
        self.assertEqual(rules.capped(D(2), D("0.8"), D("0.8")), D("2.00"))
        self.assertEqual(rules.capped(D(2), D("0.79"), D("0.8")), D("1.98"))
        # Threshold 100 %: proportional all the way.
        self.assertEqual(rules.capped(D(6), D("0.5"), D("1.0")), D("3.00"))

    def test_online_payment_expression(self):
        expr = "6*A + min(2, 2.5*B) + 2.5*C"
        self.assertEqual(
            rules.expression(D(10), expr, {"A": D("0.5"), "B": D("0.4"), "C": D("0.2")}), D("4.50")
        )
        # B = 80 %: 2.5 × 0.8 = 2, exactly the cap of its term.
        self.assertEqual(rules.expression(D(10), expr, {"A": D(0), "B": D("0.8"), "C": D(0)}), D("2.00"))
        self.assertEqual(rules.expression(D(10), expr, {"A": D(0), "B": D("0.79"), "C": D(0)}), D("1.98"))
        # Everything at 100 %: 6 + 2 + 2.5 = 10.5, capped at the item's 10 points.
        self.assertEqual(rules.expression(D(10), expr, {"A": D(1), "B": D(1), "C": D(1)}), D("10.00"))

    def test_an_expression_with_anything_else_is_refused(self):
        for bad in ("__import__('os')", "A.real", "A ** 2", "open('x')", "A if B else C"):
            with self.assertRaises(rules.BadExpression):
                rules.evaluate_expression(bad, {"A": D(1), "B": D(1), "C": D(1)})
        self.assertEqual(rules.expression_names("6*A + min(2, 2.5*B)"), {"A", "B"})
