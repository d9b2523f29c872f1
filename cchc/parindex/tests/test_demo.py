"""The demo loader: the example set (labelled), Đức Xương's 2025 draft, Gia Lộc's
2025 submission, both 2024 results published; re-runnable without duplicates."""

from django.test import TestCase, override_settings

from cchc.core.demo import DemoLog
from cchc.org import demo as org_demo
from cchc.org.models import Unit
from cchc.parindex import demo
from cchc.parindex.models import Assessment, CriteriaSet, Status
from cchc.parindex.results import ranking


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class DemoTests(TestCase):
    def test_it_loads_both_communes_once(self):
        org_demo.load(DemoLog(write=lambda _: None))
        first = DemoLog(write=lambda _: None)
        demo.load(first)
        sets = CriteriaSet.objects.order_by("year")
        self.assertEqual(
            [(s.year, s.is_example, s.status) for s in sets], [(2024, True, "open"), (2025, True, "open")]
        )
        self.assertTrue(all("VÍ DỤ" in s.title for s in sets))
        statuses = dict(Assessment.objects.filter(year=2025).values_list("commune__slug", "status"))
        self.assertEqual(statuses, {"ducxuong": Status.DRAFT, "gialoc": Status.SUBMITTED})
        self.assertEqual(
            set(Assessment.objects.filter(year=2024).values_list("status", flat=True)), {Status.PUBLISHED}
        )
        draft = Assessment.objects.get(year=2025, commune__slug="ducxuong")
        self.assertTrue(draft.scores.filter(self_points__isnull=False).exists())
        self.assertTrue(draft.scores.filter(self_points__isnull=True, criterion__code="3.6").exists())
        table = ranking(sets[1])
        self.assertEqual([(r.commune.slug, r.rank) for r in table.rows], [("gialoc", 1), ("ducxuong", None)])
        self.assertEqual(ranking(sets[0]).rows[0].rank, 1)
        second = DemoLog(write=lambda _: None)
        demo.load(second)
        self.assertEqual(second.created, 0)
        self.assertEqual(Assessment.objects.count(), 4)
        self.assertEqual(CriteriaSet.objects.count(), 2)
        self.assertTrue(Unit.objects.filter(slug="gialoc").exists())
