"""The rating invitation slip printed with the result (issue 4): QR code and the
signed short link that opens the rating form; the counter kiosk link."""

from django.conf import settings

from cchc.dossiers.tests.helpers import act, at, make_procedure, receive
from cchc.testing import BaseTestCase


class RatingSlipTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)
        cls.d = receive(cls.motcua, cls.proc, at(2025, 6, 2))
        act(cls.d, "transfer", cls.motcua, at(2025, 6, 2, 10))

    def test_there_is_no_slip_before_the_dossier_is_finished(self):
        self.login(self.motcua)
        self.assertEqual(self.client.get(f"/ho-so/{self.d.code}/phieu-danh-gia/").status_code, 404)
        self.assertNotContains(self.client.get(f"/ho-so/{self.d.code}/"), "In phiếu mời đánh giá")

    def test_the_slip_carries_the_qr_code_and_a_link_that_opens_the_rating_form(self):
        act(self.d, "finish", self.tuphap, at(2025, 6, 4))
        self.login(self.motcua)
        detail = self.client.get(f"/ho-so/{self.d.code}/")
        self.assertContains(detail, "In phiếu mời đánh giá")
        self.assertContains(detail, f"/danh-gia/quay/?ma={self.d.code}")
        r = self.client.get(f"/ho-so/{self.d.code}/phieu-danh-gia/")
        self.assertContains(r, "PHIẾU MỜI ĐÁNH GIÁ SỰ HÀI LÒNG")
        self.assertContains(r, self.d.code)
        self.assertContains(r, self.proc.name)
        self.assertContains(r, "<svg")
        self.assertNotContains(r, self.d.applicant_phone)
        doc = r.context["doc"]
        self.assertTrue(doc.qr_url.startswith(settings.PUBLIC_BASE_URL + "/danh-gia/r/"))
        self.client.logout()
        form = self.client.get(doc.qr_url.removeprefix(settings.PUBLIC_BASE_URL))
        self.assertEqual(form.status_code, 200)
        self.assertTemplateUsed(form, "satisfaction/rate.html")
        self.assertContains(form, self.d.code)
        # A tampered link does not open it.
        bad = self.client.get(doc.qr_url.removeprefix(settings.PUBLIC_BASE_URL)[:-3] + "xx/")
        self.assertEqual(bad.status_code, 404)

    def test_returning_the_result_offers_the_slip_and_the_kiosk(self):
        act(self.d, "finish", self.tuphap, at(2025, 6, 4))
        self.login(self.motcua)
        r = self.client.post(f"/ho-so/{self.d.code}/thao-tac/", {"action": "return_result"}, follow=True)
        self.assertContains(r, "Mời người nộp đánh giá sự hài lòng")
        self.assertContains(r, f'href="/ho-so/{self.d.code}/phieu-danh-gia/"')
        self.assertContains(r, "mở màn hình đánh giá tại quầy")
        kiosk = self.client.get(f"/danh-gia/quay/?ma={self.d.code}")
        self.assertEqual(kiosk.status_code, 302)
        self.assertIn("/danh-gia/quay/", kiosk["Location"])

    def test_the_slip_downloads_as_docx_with_the_qr_image(self):
        import io
        import zipfile

        act(self.d, "refuse", self.tuphap, at(2025, 6, 3), note="Không đủ điều kiện")
        self.login(self.motcua)
        r = self.client.get(f"/ho-so/{self.d.code}/phieu-danh-gia.docx")
        self.assertEqual(r.status_code, 200)
        self.assertIn(f"phieu-danh-gia-{self.d.code}.docx", r["Content-Disposition"])
        names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
        self.assertTrue(any(n.startswith("word/media/") for n in names))
