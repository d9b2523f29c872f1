from django.test import TestCase, override_settings

from cchc.core.demo import DemoLog
from cchc.org import demo as org_demo
from cchc.procedures import demo
from cchc.procedures.models import Procedure, ProcedureDetail, RequiredDocument


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
        # The published required documents and details of every procedure, from the shipped files.
        self.assertIn("Giấy chứng sinh", [d.label for d in khai_sinh.required_documents.all()])
        self.assertEqual(RequiredDocument.objects.filter(procedure__commune__slug="ducxuong").count(), 2154)
        self.assertEqual(ProcedureDetail.objects.filter(procedure__commune__slug="gialoc").count(), 253)
        self.assertEqual(khai_sinh.required_documents.get(seq=5).requirement, "required")
        # The everyday procedures the CCHC office reviewed are published in full; the others are not yet.
        complete = set(
            Procedure.objects.filter(commune__slug="ducxuong", publication_complete=True).values_list(
                "code", flat=True
            )
        )
        self.assertEqual(complete, set(demo.REVIEWED_TIMES))
        second = DemoLog(write=lines.append)
        demo.load(second)
        self.assertEqual(second.created, 0)
        # catalogue + documents and details + reviewed times + full publications, per commune
        self.assertEqual(second.existed, 2 + 2 + 2 * len(demo.REVIEWED_TIMES) * 2)
        self.assertEqual(Procedure.objects.count(), 506)
