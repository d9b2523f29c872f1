import io
from datetime import date

from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from cchc.plans.documents import appendix_xlsx, date_in_words, plan_docx
from cchc.plans.models import Task

from .helpers import PlanTestCase


class DocumentTests(PlanTestCase):
    def test_the_docx_follows_the_official_format(self):
        plan = self.make_plan()
        doc = Document(io.BytesIO(plan_docx(plan)))
        first, appendix = doc.sections
        self.assertEqual(first.orientation, WD_ORIENT.PORTRAIT)
        self.assertEqual((round(first.page_width.mm), round(first.page_height.mm)), (210, 297))  # A4 (twips)
        margins = [
            round(m.mm)
            for m in (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)
        ]
        top, bottom, left, right = margins
        self.assertTrue(
            20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20, margins
        )
        self.assertTrue(first.different_first_page_header_footer)
        self.assertIn("PAGE", first.header._element.xml)
        self.assertNotIn("PAGE", first.first_page_header._element.xml)
        self.assertEqual(appendix.orientation, WD_ORIENT.LANDSCAPE)
        self.assertGreater(appendix.page_width, appendix.page_height)

        header = doc.tables[0]
        left, right = header.rows[0].cells
        self.assertEqual(left.text.split("\n"), ["ỦY BAN NHÂN DÂN", "DUCXUONG"])
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right.text)
        motto = right.paragraphs[1].runs[0]
        self.assertEqual(motto.text, "Độc lập - Tự do - Hạnh phúc")
        self.assertTrue(motto.bold and motto.underline)
        self.assertEqual(header.rows[1].cells[0].text, "Số: 152/KH-UBND")
        place = header.rows[1].cells[1].paragraphs[0].runs[0]
        self.assertEqual(place.text, "Ducxuong, ngày 05 tháng 01 năm 2024")
        self.assertTrue(place.italic)

        texts = [p.text for p in doc.paragraphs]
        kh = doc.paragraphs[texts.index("KẾ HOẠCH")]
        self.assertTrue(kh.runs[0].bold)
        self.assertTrue(doc.paragraphs[texts.index("KẾ HOẠCH") + 1].runs[0].bold)
        body = doc.paragraphs[texts.index("I. MỤC ĐÍCH, YÊU CẦU") + 2]
        self.assertEqual(body.text, "Tiếp tục nâng cao Chỉ số cải cách hành chính của xã.")
        self.assertEqual(body.runs[0].font.size.pt, 14)
        self.assertEqual(body.runs[0].font.name, "Times New Roman")
        self.assertAlmostEqual(body.paragraph_format.first_line_indent.cm, 1.27, places=2)
        self.assertEqual(body.alignment, 3)  # justified
        for heading in (
            "II. CÁC CHỈ TIÊU, NHIỆM VỤ CHỦ YẾU",
            "1. Cải cách thể chế",
            "2. Cải cách thủ tục hành chính",
            "III. CHẾ ĐỘ BÁO CÁO",
            "IV. KINH PHÍ",
            "V. TỔ CHỨC THỰC HIỆN",
        ):
            self.assertIn(heading, texts)
        self.assertIn("a) Rà soát, hệ thống hóa văn bản QPPL năm 2024.", texts)

        signature = doc.tables[1]
        recipients, signer = signature.rows[0].cells
        lines = recipients.text.split("\n")
        self.assertEqual(lines[0], "Nơi nhận:")
        self.assertTrue(recipients.paragraphs[0].runs[0].bold and recipients.paragraphs[0].runs[0].italic)
        self.assertEqual(recipients.paragraphs[0].runs[0].font.size.pt, 12)
        self.assertEqual(recipients.paragraphs[1].runs[0].font.size.pt, 11)
        self.assertEqual(lines[1:], ["- UBND huyện;", "- Lãnh đạo UBND xã;", "- Lưu: VT, VP."])
        self.assertEqual(
            [line for line in signer.text.split("\n") if line][:2], ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
        )
        self.assertTrue(signer.text.strip().endswith("Chutich"))

        table = doc.tables[2]
        self.assertEqual(
            [c.text for c in table.rows[0].cells],
            ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện", "Sản phẩm"],
        )
        rows = [[c.text for c in r.cells] for r in table.rows[1:]]
        self.assertEqual(rows[0][0], "1")
        self.assertEqual(rows[0][1], "CẢI CÁCH THỂ CHẾ")
        self.assertEqual(
            rows[1],
            [
                "a",
                "Rà soát văn bản QPPL",
                "Tư pháp – Hộ tịch",
                "Địa chính – Xây dựng",
                "Trước 30/06/2024",
                "Báo cáo rà soát",
            ],
        )
        self.assertEqual(rows[3][4], "Cả năm 2024")

    def test_the_date_line_follows_the_zero_padding_rule(self):
        self.assertEqual(
            date_in_words("Đức Xương", date(2024, 1, 5), 2024), "Đức Xương, ngày 05 tháng 01 năm 2024"
        )
        self.assertEqual(
            date_in_words("Đức Xương", date(2024, 11, 25), 2024), "Đức Xương, ngày 25 tháng 11 năm 2024"
        )
        self.assertEqual(
            date_in_words("Đức Xương", date(2024, 3, 5), 2024), "Đức Xương, ngày 05 tháng 3 năm 2024"
        )

    def test_the_xlsx_appendix_lists_every_task_with_its_target(self):
        plan = self.make_plan()
        ws = load_workbook(io.BytesIO(appendix_xlsx(plan))).active
        rows = [r for r in ws.iter_rows(values_only=True)]
        self.assertIn("PHỤ LỤC KHUNG KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024", rows[0][0])
        header = rows.index(
            (
                "TT",
                "Lĩnh vực",
                "Nhiệm vụ",
                "Đơn vị chủ trì",
                "Đơn vị phối hợp",
                "Thời gian",
                "Sản phẩm",
                "Chỉ tiêu",
            )
        )
        data = rows[header + 1 :]
        self.assertEqual(len(data), Task.objects.filter(area__plan=plan).count())
        self.assertEqual(
            data[0][:4], ("1.a", "1. Cải cách thể chế", "Rà soát văn bản QPPL", "Tư pháp – Hộ tịch")
        )
        self.assertEqual(data[1][0], "2.a")
        self.assertEqual(data[1][7], "Tỷ lệ thủ tục được công khai đầy đủ = 100%")

    def test_the_xlsx_appendix_prints_fitted_to_the_page_width_with_readable_rows(self):
        plan = self.make_plan()
        ws = load_workbook(io.BytesIO(appendix_xlsx(plan))).active
        self.assertEqual(ws.page_setup.orientation, "landscape")
        self.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual((ws.page_setup.fitToWidth, ws.page_setup.fitToHeight), (1, 0))
        self.assertEqual(ws.print_title_rows, "$4:$4")
        # At most ~1.2 × an A4 landscape width: fitting keeps a readable 12 pt.
        self.assertLessEqual(sum(ws.column_dimensions[c].width for c in "ABCDEFGH"), 160)
        # A wrapped task title gets a row tall enough for its lines.
        for row in range(5, ws.max_row + 1):
            title = ws.cell(row=row, column=3).value or ""
            lines = -(-len(title) // 40)
            self.assertGreaterEqual(ws.row_dimensions[row].height, lines * 12 * 1.2)

    def test_a_control_character_stored_in_a_task_title_breaks_neither_document(self):
        plan = self.make_plan()
        Task.objects.filter(area__plan=plan, title="Rà soát văn bản QPPL").update(
            title="Rà soát\x01 văn bản\x1f QPPL"
        )
        text = "\n".join(p.text for p in Document(io.BytesIO(plan_docx(plan))).paragraphs)
        tables = "\n".join(
            c.text for t in Document(io.BytesIO(plan_docx(plan))).tables for r in t.rows for c in r.cells
        )
        self.assertIn("Rà soát văn bản QPPL", text + tables)
        ws = load_workbook(io.BytesIO(appendix_xlsx(plan))).active
        self.assertIn("Rà soát văn bản QPPL", [c.value for c in ws["C"]])

    def test_pages_and_api_give_the_same_downloads(self):
        plan = self.make_plan()
        self.login(self.captren)
        expected = {
            "docx": (
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                'attachment; filename="ke-hoach-cchc-2024.docx"',
            ),
            "xlsx": (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                'attachment; filename="phu-luc-ke-hoach-cchc-2024.xlsx"',
            ),
        }
        pages = {
            "docx": reverse("plans:plan_document", args=[plan.pk]),
            "xlsx": reverse("plans:plan_appendix", args=[plan.pk]),
        }
        api = {
            "docx": f"/api/v1/plans/{plan.pk}/document.docx",
            "xlsx": f"/api/v1/plans/{plan.pk}/appendix.xlsx",
        }
        for kind, (content_type, disposition) in expected.items():
            for url in (pages[kind], api[kind]):
                with self.subTest(url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response["Content-Type"], content_type)
                    self.assertEqual(response["Content-Disposition"], disposition)
                    self.assertTrue(response.content.startswith(b"PK\x03\x04"))
