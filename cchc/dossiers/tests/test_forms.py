"""The legal forms as a commune would print them on its first day (docs/rules.md §5):
numbered and titled by the circular in force at receipt, the receipt on one A5 sheet,
the appointment with its hour, the register number equal to the dossier's row in the
register, the process-control slip per hand-over, the register as a printable book,
NĐ 30 dates, the unit's own name, the apology signed by the department's head."""

import io
import re
import zipfile
from datetime import date, time

from django.test import override_settings
from openpyxl import load_workbook

from cchc.dossiers import documents, rules
from cchc.dossiers.models import Dossier
from cchc.dossiers.rules import ruleset_for
from cchc.dossiers.services import Applicant, dossier_submit_online
from cchc.testing import BaseTestCase

from .helpers import APPLICANT, act, at, make_procedure, receive

SIX_DOCUMENTS = "\n".join(
    [
        "Tờ khai đăng ký khai sinh theo mẫu quy định (bản chính)",
        "Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp; nếu không có thì văn bản của người làm chứng",
        "Văn bản ủy quyền có chứng thực trong trường hợp ủy quyền đăng ký khai sinh",
        "Giấy tờ chứng minh nơi cư trú của người yêu cầu (bản sao)",
        "Giấy chứng nhận kết hôn của cha, mẹ trẻ (bản sao có chứng thực)",
        "Biên bản xác nhận việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập",
    ]
)
LONG_APPLICANT = Applicant(
    name="Nguyễn Thị Phương Thảo",
    id_number="034195001234",
    phone="0912345678",
    address="Số 12, ngõ 34, thôn Đông Thượng, xã Đức Xương, thành phố Hải Phòng",
    email="phuongthao.nguyen@example.com",
)


def docx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        xml = z.read("word/document.xml").decode()
    return re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n"))


class CircularTests(BaseTestCase):
    """Numbering and titles follow the circular in force on the day of receipt."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)

    def test_the_rule_set_splits_on_the_day_tt03_took_effect_and_keeps_nd118_from_1_july(self):
        self.assertEqual(ruleset_for(date(2025, 6, 30)).key, "nd61-2018")
        self.assertEqual(ruleset_for(date(2025, 7, 1)).key, "nd118-2025")
        self.assertEqual(ruleset_for(date(2025, 9, 14)).key, "nd118-2025")
        self.assertEqual(ruleset_for(date(2025, 9, 15)).key, "nd118-tt03-2025")
        self.assertEqual(ruleset_for(date(2025, 7, 1)).decree, "Nghị định 118/2025/NĐ-CP")
        self.assertEqual(ruleset_for(date(2025, 7, 1)).forms_reference, "Thông tư 01/2018/TT-VPCP")
        self.assertEqual(ruleset_for(date(2025, 9, 15)).forms_reference, "Thông tư 03/2025/TT-VPCP")
        before = receive(self.motcua, self.proc, at(2025, 9, 12, 16))
        after = receive(self.motcua, self.proc, at(2025, 9, 15, 8))
        self.assertEqual((before.rules_version, after.rules_version), ("nd118-2025", "nd118-tt03-2025"))

    def test_tt03_has_seven_forms_with_its_titles(self):
        forms = rules.TT03_2025.forms
        self.assertEqual([f.number for f in forms.values()], ["01", "02", "03", "04", "05", "06", "07"])
        self.assertEqual(forms["04"].title, "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")
        self.assertEqual(forms["05"].title, "Thông báo dừng giải quyết hồ sơ")
        self.assertEqual(forms["06"].title, "Phiếu kiểm soát quá trình giải quyết hồ sơ")
        self.assertEqual(forms["07"].title, "Sổ theo dõi hồ sơ")

    def test_tt01_has_six_forms_and_no_stop_form(self):
        forms = rules.TT01_2018.forms
        numbered = [f.number for f in forms.values() if f.number]
        self.assertEqual(numbered, ["01", "02", "03", "04", "05", "06"])
        self.assertEqual(forms["04"].title, "Phiếu xin lỗi và hẹn lại ngày trả kết quả")
        self.assertEqual(
            (forms["06"].number, forms["06"].title), ("05", "Phiếu kiểm soát quá trình giải quyết hồ sơ")
        )
        self.assertEqual((forms["07"].number, forms["07"].title), ("06", "Sổ theo dõi hồ sơ"))
        self.assertEqual(forms["05"].number, "")

    def test_a_dossier_received_in_august_2025_prints_tt01_numbers(self):
        d = receive(self.motcua, self.proc, at(2025, 8, 4))
        act(d, "transfer", self.motcua, at(2025, 8, 4, 10))
        act(d, "apologize", self.tuphap, at(2025, 8, 6, 9), note="Chờ xác minh", new_date=date(2025, 8, 12))
        d.refresh_from_db()
        slip = documents.build_form(d, "06")
        self.assertEqual(
            (slip.form_label, slip.title), ("Mẫu số 05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")
        )
        self.assertEqual(slip.filename, f"mau-05-{d.code}.docx")
        apology = documents.build_form(d, "04")
        self.assertEqual(apology.title, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
        self.assertIn("hẹn lại ngày trả kết quả vào ngày 12 tháng 8 năm 2025", apology.closing[1])
        self.login(self.motcua)
        page = self.client.get(f"/ho-so/{d.code}/")
        self.assertContains(page, "In mẫu 05")
        self.assertContains(page, "Mẫu 05 – Phiếu kiểm soát quá trình giải quyết hồ sơ")
        self.assertNotContains(page, "In mẫu 06")
        printed = self.client.get(f"/ho-so/{d.code}/mau-06/")
        self.assertContains(printed, 'id="form-label">Mẫu số 05<')

    def test_a_dossier_received_under_tt03_prints_its_titles(self):
        d = receive(self.motcua, self.proc, at(2025, 10, 6))
        act(d, "transfer", self.motcua, at(2025, 10, 6, 10))
        act(d, "apologize", self.tuphap, at(2025, 10, 8, 9), note="Chờ xác minh", new_date=date(2025, 10, 14))
        act(d, "stop", self.tuphap, at(2025, 10, 9, 9), note="Người yêu cầu chết")
        d.refresh_from_db()
        apology = documents.build_form(d, "04")
        self.assertEqual(apology.title, "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT")
        self.assertIn(
            "đề nghị gia hạn thời gian giải quyết hồ sơ đến ngày 14 tháng 10 năm 2025", apology.closing[1]
        )
        stop = documents.build_form(d, "05")
        self.assertEqual((stop.form_label, stop.title), ("Mẫu số 05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"))
        self.assertEqual(documents.build_form(d, "06").form_label, "Mẫu số 06")

    def test_a_stop_under_tt01_is_a_plain_notice_citing_no_form_number(self):
        d = receive(self.motcua, self.proc, at(2025, 8, 4))
        act(d, "transfer", self.motcua, at(2025, 8, 4, 10))
        act(d, "stop", self.tuphap, at(2025, 8, 5, 9), note="Người yêu cầu chết")
        d.refresh_from_db()
        notice = documents.build_form(d, "05")
        self.assertEqual(notice.form_label, "")
        self.assertEqual(notice.title, "THÔNG BÁO VỀ VIỆC DỪNG GIẢI QUYẾT HỒ SƠ")
        self.assertEqual(notice.filename, f"thong-bao-dung-{d.code}.docx")
        self.login(self.tuphap)
        printed = self.client.get(f"/ho-so/{d.code}/mau-05/").content.decode()
        self.assertNotIn("Mẫu số", printed)
        self.assertIn("THÔNG BÁO VỀ VIỆC DỪNG GIẢI QUYẾT HỒ SƠ", printed)
        self.assertNotIn("Mẫu số", docx_text(self.client.get(f"/ho-so/{d.code}/mau-05.docx").content))
        self.assertContains(self.client.get(f"/ho-so/{d.code}/"), "In thông báo dừng")


class ReceiptTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)

    def test_the_appointment_gives_the_afternoon_session_hour_when_the_unit_is_days(self):
        d = receive(self.motcua, self.proc, at(2025, 10, 6, 9, 12))  # Mon + 3 working days → Thu 9/10
        printed = dict(documents.build_form(d, "01").after_items)
        self.assertEqual(printed["4. Thời gian nhận hồ sơ"], "09 giờ 12 phút, ngày 06 tháng 10 năm 2025")
        self.assertEqual(
            printed["5. Thời gian trả kết quả giải quyết hồ sơ"], "13 giờ 30 phút, ngày 09 tháng 10 năm 2025"
        )

    @override_settings(WORKING_PERIODS=[(time(7, 0), time(11, 0)), (time(13, 0), time(16, 30))])
    def test_the_session_hour_follows_the_configured_office_hours(self):
        d = receive(self.motcua, self.proc, at(2025, 10, 6, 9, 12))
        self.assertEqual(documents.appointment_at(d), at(2025, 10, 9, 13, 0))

    def test_same_day_after_the_session_began_is_due_at_its_end_and_hours_at_the_computed_hour(self):
        same_day = make_procedure(self.commune, code="2.000908", amount=None, unit="same_day")
        d = receive(self.motcua, same_day, at(2025, 10, 6, 14, 0))
        self.assertEqual(documents.appointment_at(d), at(2025, 10, 6, 17, 0))
        morning = receive(self.motcua, same_day, at(2025, 10, 6, 8, 0))
        self.assertEqual(documents.appointment_at(morning), at(2025, 10, 6, 13, 30))
        hours = make_procedure(self.commune, code="2.000815", amount=4, unit="working_hours")
        h = receive(self.motcua, hours, at(2025, 10, 6, 10, 0))  # 1h30 before noon, 2h30 after 13:30
        self.assertEqual(documents.appointment_at(h), at(2025, 10, 6, 16, 0))

    def test_the_dossier_code_is_printed_once(self):
        d = receive(self.motcua, self.proc, at(2025, 10, 6))
        act(d, "transfer", self.motcua, at(2025, 10, 6, 10))
        act(d, "apologize", self.tuphap, at(2025, 10, 8, 9), note="Chờ xác minh", new_date=date(2025, 10, 14))
        act(d, "finish", self.tuphap, at(2025, 10, 13, 9))
        act(d, "return_result", self.motcua, at(2025, 10, 13, 10))
        self.login(self.motcua)
        for path in ("mau-01", "mau-04", "mau-06", "phieu-danh-gia"):
            with self.subTest(path):
                html = self.client.get(f"/ho-so/{d.code}/{path}/").content.decode()
                self.assertEqual(html.count("Mã hồ sơ"), 1)
                self.assertEqual(
                    docx_text(self.client.get(f"/ho-so/{d.code}/{path}.docx").content).count("Mã hồ sơ"), 1
                )

    def test_a_control_character_stored_in_a_name_breaks_no_form_and_no_export(self):
        d = receive(self.motcua, self.proc, at(2025, 10, 6))
        # Stored before input was cleaned (or written by a script): the documents cope.
        Dossier.objects.filter(pk=d.pk).update(applicant_name="Nguyễn\x01 Văn\x1f An", request="Yêu\x0bcầu")
        self.login(self.motcua)
        for path in ("mau-01", "mau-06"):
            with self.subTest(path):
                body = self.client.get(f"/ho-so/{d.code}/{path}.docx")
                self.assertEqual(body.status_code, 200)
                self.assertIn("Nguyễn Văn An", docx_text(body.content))
        self.login(self.chutich)
        r = self.client.get("/ho-so/so-theo-doi/?date_from=01/10/2025&date_to=31/10/2025&xuat=xlsx")
        values = [c.value for row in load_workbook(io.BytesIO(r.content)).active.iter_rows() for c in row]
        self.assertTrue(any(isinstance(v, str) and "Nguyễn Văn An" in v for v in values))

    def test_the_register_number_is_the_row_in_the_register_and_online_submissions_do_not_shift_it(self):
        first = receive(self.motcua, self.proc, at(2025, 10, 6, 8))
        waiting = dossier_submit_online(
            user=self.motcua,
            procedure=self.proc,
            applicant=APPLICANT,
            submitted_at=at(2025, 10, 6, 8, 30),
            now=at(2025, 10, 6, 8, 30),
        )
        second = receive(self.motcua, self.proc, at(2025, 10, 6, 9))
        self.assertEqual((first.register_number, second.register_number), (1, 2))
        self.assertIsNone(waiting.register_number)
        printed = dict(documents.build_form(second, "01").after_items)
        self.assertEqual(printed["Vào Sổ theo dõi hồ sơ"], "Quyển số 01/2025, số thứ tự 2")
        act(waiting, "accept", self.motcua, at(2025, 10, 6, 10))
        waiting.refresh_from_db()
        self.assertEqual(waiting.register_number, 3)
        # Another commune's book is its own.
        other_proc = make_procedure(self.other_commune)
        self.assertEqual(receive(self.other, other_proc, at(2025, 10, 6, 9)).register_number, 1)
        # A new year opens a new book.
        self.assertEqual(receive(self.motcua, self.proc, at(2026, 1, 5, 8)).register_number, 1)
        self.login(self.chutich)
        r = self.client.get("/ho-so/so-theo-doi/?date_from=01/10/2025&date_to=31/10/2025&xuat=xlsx")
        ws = load_workbook(io.BytesIO(r.content)).active
        rows = {
            ws.cell(row=i, column=2).value: ws.cell(row=i, column=1).value for i in range(9, ws.max_row + 1)
        }
        self.assertEqual(rows, {first.code: 1, second.code: 2, waiting.code: 3})

    def test_the_result_place_the_unit_name_and_nd30_dates_are_printed(self):
        self.commune.one_stop_name = "Trung tâm Phục vụ hành chính công xã Đức Xương"
        self.commune.save()
        d = receive(self.motcua, self.proc, at(2026, 2, 3, 9))
        doc = documents.build_form(d, "01")
        self.assertEqual(doc.agency_sub, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ ĐỨC XƯƠNG")
        self.assertTrue(doc.place_date.endswith("ngày 03 tháng 02 năm 2026"))
        self.assertEqual(
            dict(doc.after_items)["6. Đăng ký nhận kết quả"],
            "tại Trung tâm Phục vụ hành chính công xã Đức Xương",
        )
        self.login(self.motcua)
        html = self.client.get(f"/ho-so/{d.code}/mau-01/").content.decode()
        self.assertIn("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ ĐỨC XƯƠNG", html)
        self.assertNotIn("BỘ PHẬN MỘT CỬA", html)
        self.assertNotIn("tháng 2 năm", html)

    def test_the_units_name_is_on_the_citizens_pages_too(self):
        from cchc.portal.services import public_view

        self.commune.one_stop_name = "Trung tâm Phục vụ hành chính công xã Đức Xương"
        self.commune.save()
        d = dossier_submit_online(
            user=self.motcua,
            procedure=self.proc,
            applicant=APPLICANT,
            submitted_at=at(2025, 10, 6, 8),
            now=at(2025, 10, 6, 8),
        )
        d = Dossier.objects.select_related("commune").get(pk=d.pk)
        self.assertIn("chờ Trung tâm Phục vụ hành chính công xã Đức Xương kiểm tra", d.next_step_text())
        view = public_view(d, today=date(2025, 10, 6))
        self.assertIn("chờ Trung tâm Phục vụ hành chính công xã Đức Xương kiểm tra", view.status_text)

    def test_without_a_name_the_unit_is_the_one_stop_shop(self):
        d = receive(self.motcua, self.proc, at(2025, 4, 5, 9))
        doc = documents.build_form(d, "01")
        self.assertEqual(doc.agency_sub, "BỘ PHẬN MỘT CỬA")
        self.assertTrue(doc.place_date.endswith("ngày 05 tháng 4 năm 2025"))

    def test_form_01_docx_is_one_a5_sheet_with_both_signatures_and_the_qr_code(self):
        """Measured: every block's lines at the widths and sizes the document sets
        (11 pt body ≈ 70 characters a line across 123 mm, 4.5 mm a line), checked
        against LibreOffice 7.4: it renders this dossier, and up to nine documents of
        which three run onto a second line, on one page; six documents of two lines
        each, or ten documents, take two pages — and so does this estimate."""
        d = receive(
            self.motcua,
            self.proc,
            at(2025, 10, 6, 9),
            applicant=LONG_APPLICANT,
            representative="Trần Văn Bình (ông ngoại, được ủy quyền)",
            documents=SIX_DOCUMENTS,
        )
        body = documents.form_docx(documents.build_form(d, "01"))
        from docx import Document

        doc = Document(io.BytesIO(body))
        section = doc.sections[0]
        self.assertEqual((round(section.page_width.mm), round(section.page_height.mm)), (148, 210))
        self.assertLessEqual(estimated_height_mm(doc), 190)
        tables = doc.tables
        signature = tables[-1].rows[0].cells
        self.assertEqual(len(signature), 3)  # QR code, applicant, receiver
        self.assertTrue(signature[0]._tc.xpath(".//pic:pic"))
        self.assertIn("NGƯỜI NỘP HỒ SƠ", signature[1].text)
        self.assertIn("NGƯỜI TIẾP NHẬN HỒ SƠ", signature[2].text)
        longer = receive(
            self.motcua,
            self.proc,
            at(2025, 10, 6, 10),
            applicant=LONG_APPLICANT,
            representative="Trần Văn Bình (ông ngoại, được ủy quyền)",
            documents=SIX_DOCUMENTS + "\nTờ khai\nGiấy tờ khác\nBản sao\nẢnh",
        )
        too_long = Document(io.BytesIO(documents.form_docx(documents.build_form(longer, "01"))))
        self.assertGreater(estimated_height_mm(too_long), 190)


def estimated_height_mm(doc) -> float:
    """Height of a .docx body on its page, from the paragraphs' font sizes and text
    lengths (a line holds about 6.4 × width_mm / size_pt characters of Times New
    Roman), plus the signature block's room to sign and pictures."""
    import math

    from docx.shared import Mm

    section = doc.sections[0]
    width = (section.page_width - section.left_margin - section.right_margin) / Mm(1)

    def para_height(p, width_mm: float) -> float:
        sizes = [r.font.size.pt for r in p.runs if r.font.size] or [11.0]
        size = max(sizes)
        per_line = 6.4 * width_mm / size
        indent = (p.paragraph_format.left_indent or 0) / Mm(1)
        lines = max(1, math.ceil(len(p.text) / (per_line * (width_mm - indent) / width_mm)))
        before = (p.paragraph_format.space_before or 0) / Mm(1)
        pictures = sum(Mm(float(e.get("cy")) / 36000) / Mm(1) for e in p._p.xpath(".//wp:extent"))
        return max(lines * size * 0.3528 * 1.16, pictures) + before

    total = 0.0
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            from docx.text.paragraph import Paragraph

            total += para_height(Paragraph(child, doc), width)
        elif tag == "tbl":
            from docx.table import Table

            table = Table(child, doc)
            for row in table.rows:
                cells = row.cells
                cell_width = width / len(cells)
                total += max(sum(para_height(p, cell_width) for p in c.paragraphs) for c in cells)
    return total


class ControlSlipAndApologyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)
        cls.dept_justice.head = cls.tuphap
        cls.dept_justice.save()
        cls.tuphap.full_name = "Lê Thị Hồng"
        cls.tuphap.position = "Công chức Tư pháp – Hộ tịch"
        cls.tuphap.save()

    def test_form_06_has_a_row_per_hand_over_with_giver_and_receiver(self):
        d = receive(self.motcua, self.proc, at(2025, 10, 6, 9))
        act(d, "transfer", self.motcua, at(2025, 10, 6, 10), department=self.dept_land)
        act(d, "transfer", self.diachinh, at(2025, 10, 7, 9), department=self.dept_justice)
        act(d, "finish", self.tuphap, at(2025, 10, 8, 9))
        act(d, "return_result", self.motcua, at(2025, 10, 8, 14))
        d.refresh_from_db()
        doc = documents.build_form(d, "06")
        self.assertIn("Người giao (ký, ghi rõ họ tên)", doc.table_head)
        self.assertIn("Người nhận (ký, ghi rõ họ tên)", doc.table_head)
        rows = doc.table_rows
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows[0][1], "Người nộp → Bộ phận Một cửa")
        self.assertEqual((rows[0][3], rows[0][4]), ("Người nộp: Nguyễn Văn An", "Motcua"))
        self.assertEqual(rows[1][1], "Văn phòng HĐND – UBND → Địa chính – Xây dựng")
        self.assertEqual(rows[4][1], "Bộ phận Một cửa → Người nộp")
        self.assertEqual((rows[4][3], rows[4][4]), ("Motcua", "Người nộp: Nguyễn Văn An"))
        lines = dict(doc.body_lines)
        self.assertEqual(lines["Bộ phận giải quyết"], "Tư pháp – Hộ tịch; phối hợp: Địa chính – Xây dựng")
        self.assertIn(
            "mẫu số 01, ngày 06/10/2025; quyển số 01/2025, số thứ tự 1",
            lines["Giấy tiếp nhận hồ sơ và hẹn trả kết quả"],
        )
        self.assertEqual(doc.signatures, [("NGƯỜI TIẾP NHẬN HỒ SƠ", "Motcua")])
        self.assertTrue(doc.landscape)

    def test_form_04_is_issued_by_the_handling_department_and_signed_by_its_head(self):
        d = receive(self.motcua, self.proc, at(2025, 10, 6, 9))
        act(d, "transfer", self.motcua, at(2025, 10, 6, 10))
        act(
            d, "apologize", self.chutich, at(2025, 10, 8, 9), note="Chờ xác minh", new_date=date(2025, 10, 14)
        )
        d.refresh_from_db()
        doc = documents.build_form(d, "04")
        self.assertEqual(doc.agency_sub, "TƯ PHÁP – HỘ TỊCH")
        self.assertEqual(doc.signatures, [("TƯ PHÁP – HỘ TỊCH\nCÔNG CHỨC TƯ PHÁP – HỘ TỊCH", "Lê Thị Hồng")])
        self.login(self.motcua)
        html = self.client.get(f"/ho-so/{d.code}/mau-04/").content.decode()
        self.assertIn("Lê Thị Hồng", html)
        self.assertIn(
            "<strong>TƯ PHÁP – HỘ TỊCH</strong><br><strong>CÔNG CHỨC TƯ PHÁP – HỘ TỊCH</strong>", html
        )


class RegisterBookTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)

    def test_the_register_prints_as_a_book_with_the_forms_columns(self):
        d = receive(self.motcua, self.proc, at(2025, 10, 6, 9), documents="Tờ khai")
        receive(self.other, make_procedure(self.other_commune), at(2025, 10, 6, 9))
        self.login(self.chutich)
        r = self.client.get("/ho-so/so-theo-doi/?date_from=01/10/2025&date_to=31/10/2025&xuat=xlsx")
        ws = load_workbook(io.BytesIO(r.content)).active
        self.assertEqual(ws.page_setup.orientation, "landscape")
        self.assertEqual(int(ws.page_setup.paperSize), int(ws.PAPERSIZE_A4))
        self.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual((ws.page_setup.fitToWidth, ws.page_setup.fitToHeight), (1, 0))
        self.assertEqual(ws.print_title_rows, "$7:$8")
        self.assertEqual(ws["A1"].value, "UBND DUCXUONG")
        self.assertEqual(ws["H1"].value, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        self.assertEqual(ws["A4"].value, "SỔ THEO DÕI HỒ SƠ")
        self.assertIn("Mẫu số 07 – Thông tư 03/2025/TT-VPCP", ws["A5"].value)
        head = [c.value for c in ws[7]]
        self.assertIn("Ký nhận (người nhận kết quả)", head)
        self.assertEqual(head[-1], "Ghi chú")
        codes = [ws.cell(row=i, column=2).value for i in range(9, ws.max_row + 1)]
        self.assertEqual(codes, [d.code])  # another commune's rows are absent
        self.assertGreater(ws.row_dimensions[9].height, 15)

    def test_a_window_under_tt01_names_the_book_form_06(self):
        receive(self.motcua, self.proc, at(2025, 8, 4, 9))
        self.login(self.chutich)
        r = self.client.get("/ho-so/so-theo-doi/?date_from=01/08/2025&date_to=31/08/2025&xuat=xlsx")
        self.assertIn(
            "Mẫu số 06 – Thông tư 01/2018/TT-VPCP", load_workbook(io.BytesIO(r.content)).active["A5"].value
        )
        page = self.client.get("/ho-so/so-theo-doi/?date_from=01/08/2025&date_to=31/08/2025")
        self.assertContains(page, "mẫu 06 – sổ theo dõi hồ sơ")

    def test_the_migration_numbers_existing_rows_per_commune_and_year(self):
        import importlib

        migration = importlib.import_module(
            "cchc.dossiers.migrations.0008_fill_register_rows_and_tt03_rule_set"
        )
        a = receive(self.motcua, self.proc, at(2024, 12, 31, 16))
        b = receive(self.motcua, self.proc, at(2025, 9, 15, 8))
        c = receive(self.motcua, self.proc, at(2025, 9, 16, 8))
        Dossier.objects.update(register_book=None, register_number=None)
        Dossier.objects.filter(pk__in=[b.pk, c.pk]).update(rules_version="nd118-2025")
        from django.apps import apps

        from cchc.dossiers.models import RegisterSerial

        RegisterSerial.objects.all().delete()
        migration.forwards(apps, None)
        got = {x.pk: (x.register_book, x.register_number, x.rules_version) for x in Dossier.objects.all()}
        self.assertEqual(
            got,
            {
                a.pk: (2024, 1, "nd61-2018"),
                b.pk: (2025, 1, "nd118-tt03-2025"),
                c.pk: (2025, 2, "nd118-tt03-2025"),
            },
        )
        self.assertEqual(receive(self.motcua, self.proc, at(2025, 9, 17, 8)).register_number, 3)
