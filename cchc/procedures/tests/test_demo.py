from django.test import TestCase, override_settings

from cchc.core.demo import DemoLog
from cchc.org import demo as org_demo
from cchc.procedures import demo
from cchc.procedures.models import Procedure


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class DemoTests(TestCase):
    def test_it_loads_the_real_catalogue_into_two_communes_and_is_rerunnable(self):
        lines: list[str] = []
        org_demo.load(DemoLog(write=lines.append))
        first = DemoLog(write=lines.append)
        demo.load(first)
        self.assertEqual(Procedure.objects.filter(commune__slug="ducxuong").count(), 253)
        self.assertEqual(Procedure.objects.filter(commune__slug="gialoc").count(), 253)
        self.assertFalse(Procedure.objects.filter(department__isnull=True).exists())
        khai_sinh = Procedure.objects.get(commune__slug="ducxuong", code="1.001193")
        self.assertEqual(khai_sinh.department.code, "tu-phap-ho-tich")
        self.assertIn("Giấy chứng sinh", khai_sinh.documents)
        self.assertEqual(len(Procedure.objects.exclude(documents="")), 2 * len(demo.DOCUMENTS))
        second = DemoLog(write=lines.append)
        demo.load(second)
        self.assertEqual(second.created, 0)
        self.assertEqual(second.existed, 2 + 2 * len(demo.DOCUMENTS) + 2 * len(demo.REVIEWED_TIMES))
        self.assertEqual(Procedure.objects.count(), 506)
