"""Personal data in the audit trail: the audit page (/nhat-ky/) and the admin mask
ID numbers, phones, addresses and names by the dossier page's rule; revealing a
row, and opening a dossier in the admin, are themselves audited."""

from cchc.core.models import AuditLog
from cchc.testing import BaseTestCase

from .helpers import at, make_procedure, receive


class AuditPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune)
        cls.dossier = receive(cls.motcua, cls.proc, at(2025, 6, 2))
        cls.elsewhere = receive(cls.other, make_procedure(cls.other_commune), at(2025, 6, 2))
        cls.created = AuditLog.objects.get(model="dossier", object_id=str(cls.dossier.pk), action="create")

    def test_the_standing_office_sees_id_numbers_and_phones_masked(self):
        self.login(self.vanphong)
        html = self.client.get("/nhat-ky/").content.decode()
        self.assertIn(self.dossier.code, html)
        self.assertNotIn(self.elsewhere.code, html)  # another commune's trail
        for secret in ("034095001234", "0912345678", "Thôn Đông, xã Đức Xương", "Nguyễn Văn An"):
            self.assertNotIn(secret, html)
        self.assertIn("*********234", html)  # ID number, last 3 digits, as on the dossier page
        self.assertIn("*******678", html)  # phone
        self.assertIn("N***** V** An", html)
        self.assertNotIn("Hiện dữ liệu cá nhân", html)  # the office may not reveal
        before = AuditLog.objects.count()
        html = self.client.get(f"/nhat-ky/?hien={self.created.pk}").content.decode()
        self.assertNotIn("034095001234", html)
        self.assertEqual(AuditLog.objects.count(), before)

    def test_a_leader_reveals_one_row_and_the_view_is_audited(self):
        self.login(self.chutich)
        html = self.client.get("/nhat-ky/").content.decode()
        self.assertNotIn("034095001234", html)
        self.assertIn(f"hien={self.created.pk}", html)
        html = self.client.get(f"/nhat-ky/?hien={self.created.pk}").content.decode()
        self.assertIn("034095001234", html)
        self.assertIn("0912345678", html)
        view = AuditLog.objects.filter(action="view").latest("pk")
        self.assertEqual(
            (view.actor_id, view.model, view.object_id, view.changes, view.commune_id),
            (
                self.chutich.pk,
                "dossier",
                str(self.dossier.pk),
                {"page": "nhật ký thay đổi", "row": self.created.pk},
                self.commune.pk,
            ),
        )

    def test_the_admin_masks_the_trail_and_audits_opening_a_dossier(self):
        self.login(self.admin)
        html = self.client.get(f"/admin/core/auditlog/{self.created.pk}/change/").content.decode()
        self.assertNotIn("034095001234", html)
        self.assertIn("*********234", html)
        before = AuditLog.objects.filter(action="view").count()
        response = self.client.get(f"/admin/dossiers/dossier/{self.dossier.pk}/change/")
        self.assertContains(response, "034095001234")
        view = AuditLog.objects.filter(action="view").latest("pk")
        self.assertEqual(AuditLog.objects.filter(action="view").count(), before + 1)
        self.assertEqual(
            (view.actor_id, view.source, view.object_id, view.changes),
            (self.admin.pk, "admin", str(self.dossier.pk), {"page": "quản trị"}),
        )
