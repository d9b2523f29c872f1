"""The staff side of the electronic documents: the dossier page lists them, the
counter scans / reuses / confirms, the department attaches the result, downloads go
through a permission-checked view, fees and the return mode from the action form."""

import atexit
import shutil
import tempfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cchc.core.models import AuditLog
from cchc.dossiers.models import DossierDocument
from cchc.dossiers.online import document_add, dossier_submit_public
from cchc.testing import BaseTestCase

from .helpers import PDF, act, at, make_online_procedure, pdf, receive
from .test_digital import CITIZEN

MEDIA_ROOT = tempfile.mkdtemp(prefix="cchc-dossiers-views-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class DigitalViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_online_procedure(cls.commune, department=cls.dept_justice)
        cls.line = cls.proc.required_documents.get(label="Giấy chứng sinh")

    def setUp(self):
        self.d = receive(self.motcua, self.proc, at(2025, 6, 9, 8), applicant=CITIZEN)

    def url(self, suffix=""):
        return f"/ho-so/{self.d.code}/{suffix}"

    def test_the_counter_scans_and_the_page_lists_with_downloads_for_those_who_see_personal_data(self):
        self.login(self.motcua)
        page = self.client.get(self.url()).content.decode()
        self.assertIn("Quét, tải lên giấy tờ đã nhận", page)
        r = self.client.post(
            self.url("giay-to/"), {"line": self.line.pk, "file": pdf("cs.pdf", PDF + b"cs")}, follow=True
        )
        self.assertContains(r, "Đã số hóa “Giấy chứng sinh”")
        doc = DossierDocument.objects.get()
        self.assertEqual((doc.digitised_by, doc.source), (self.motcua, "counter"))
        r = self.client.post(
            self.url("giay-to/"),
            {"line": self.line.pk, "file": SimpleUploadedFile("x.pdf", b"GIF89a")},
            follow=True,
        )
        self.assertContains(r, "không phải tệp PDF hợp lệ")
        self.assertEqual(DossierDocument.objects.count(), 1)
        download = self.client.get(self.url(f"giay-to/{doc.pk}/tai-ve/"))
        self.assertEqual(b"".join(download.streaming_content), PDF + b"cs")
        self.assertEqual(
            AuditLog.objects.filter(
                object_id=str(self.d.pk), action="view", changes__has_key="tải giấy tờ"
            ).count(),
            1,
        )
        # A department officer the dossier is not routed to sees the list, not the files.
        self.login(self.diachinh)
        page = self.client.get(self.url()).content.decode()
        self.assertIn("Giấy chứng sinh", page)
        self.assertNotIn(f"giay-to/{doc.pk}/tai-ve/", page)
        self.assertEqual(self.client.get(self.url(f"giay-to/{doc.pk}/tai-ve/")).status_code, 403)
        self.assertEqual(
            self.client.post(self.url("giay-to/"), {"label": "X", "file": pdf()}).status_code, 302
        )
        self.assertEqual(DossierDocument.objects.count(), 1)
        # Another commune: the dossier does not exist for them.
        self.login(self.other)
        self.assertEqual(self.client.get(self.url(f"giay-to/{doc.pk}/tai-ve/")).status_code, 404)
        self.assertEqual(
            self.client.post(self.url("giay-to/"), {"label": "X", "file": pdf()}).status_code, 404
        )

    def test_reuse_from_the_page_and_confirming_a_citizens_upload(self):
        earlier = receive(self.motcua, self.proc, at(2025, 6, 2, 8), applicant=CITIZEN)
        source = document_add(
            user=self.motcua, dossier=earlier, upload=pdf("cccd.pdf", PDF + b"id"), label="Căn cước công dân"
        )
        self.login(self.motcua)
        page = self.client.get(self.url()).content.decode()
        self.assertIn("có thể tái sử dụng", page)
        self.assertIn(earlier.code, page)
        r = self.client.post(self.url("giay-to/tai-su-dung/"), {"source": source.pk}, follow=True)
        self.assertContains(r, f"Đã tái sử dụng “Căn cước công dân” từ hồ sơ {earlier.code}")
        reused = self.d.files.get()
        self.assertEqual((reused.reused_from, reused.source), (source, "reuse"))
        # A citizen's online upload is confirmed by the counter.
        online = dossier_submit_public(
            procedure=self.proc,
            applicant=CITIZEN,
            files={self.line.pk: pdf(), self.proc.required_documents.get(seq=1).pk: pdf("b.pdf", PDF + b"b")},
        )
        doc = online.files.first()
        self.client.post(f"/ho-so/{online.code}/giay-to/{doc.pk}/so-hoa/")
        doc.refresh_from_db()
        self.assertEqual(doc.digitised_by, self.motcua)

    def test_the_department_attaches_the_result_and_the_counter_returns_it_with_fees(self):
        act(self.d, "transfer", self.motcua, at(2025, 6, 9, 9))
        self.login(self.motcua)
        self.assertNotIn("Đính kèm kết quả giải quyết", self.client.get(self.url()).content.decode())
        self.client.post(self.url("ket-qua/"), {"file": pdf("kq.pdf")})
        self.assertFalse(self.d.files.exists())
        self.login(self.tuphap)
        r = self.client.post(
            self.url("thao-tac/"), {"action": "request_payment", "fee_due": "8000"}, follow=True
        )
        self.assertContains(r, "8.000 đồng")
        r = self.client.post(
            self.url("ket-qua/"), {"file": pdf("kq.pdf", PDF + b"kq"), "label": "Giấy khai sinh"}, follow=True
        )
        self.assertContains(r, "Đã đính kèm tệp kết quả")
        self.login(self.motcua)
        r = self.client.post(
            self.url("thao-tac/"), {"action": "receive_payment", "fee_method": "transfer"}, follow=True
        )
        self.assertContains(r, "Cần ghi số biên lai")
        self.client.post(
            self.url("thao-tac/"),
            {"action": "receive_payment", "fee_method": "transfer", "fee_receipt": "CK-15"},
        )
        self.d.refresh_from_db()
        self.assertEqual(
            (self.d.fee_due, self.d.fee_method, self.d.fee_receipt), (Decimal(8000), "transfer", "CK-15")
        )
        self.login(self.tuphap)
        self.client.post(self.url("thao-tac/"), {"action": "finish"})
        self.login(self.motcua)
        self.client.post(self.url("thao-tac/"), {"action": "return_result", "return_mode": "electronic"})
        self.d.refresh_from_db()
        self.assertEqual((self.d.status, self.d.return_mode), ("returned", "electronic"))
        page = self.client.get(self.url()).content.decode()
        self.assertIn("Trả kết quả điện tử", page)
        self.assertIn("biên lai/chứng từ CK-15", page)

    def test_the_statistics_page_shows_the_digitisation_figures_of_the_users_communes_only(self):
        document_add(user=self.motcua, dossier=self.d, upload=pdf(), label="Căn cước công dân")
        receive(self.motcua, self.proc, at(2025, 6, 10, 8))  # nothing digitised
        other = make_online_procedure(self.other_commune, "1.001193")
        elsewhere = receive(self.other, other, at(2025, 6, 10, 8))
        document_add(user=self.other, dossier=elsewhere, upload=pdf(), label="Tờ khai")
        self.login(self.chutich)
        page = self.client.get("/ho-so/thong-ke/?date_from=01/06/2025&date_to=30/06/2025").content.decode()
        self.assertIn('data-key="dossiers.digitised">1 hồ sơ<', page)
        self.assertIn('data-key="dossiers.digitised_rate">50', page)
        self.assertIn('data-key="dossiers.results_electronic_rate">', page)
