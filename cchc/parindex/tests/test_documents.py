"""The commune's submission documents: the summary table and the letter asking for
appraisal in the official format, signed by the chairman."""

import io
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from cchc.parindex import services
from cchc.parindex.documents import letter_docx, summary_xlsx

from .helpers import ParTestCase


class DocumentTests(ParTestCase):
    def setUp(self):
        super().setUp()
        self.set = self.make_set()
        self.a = self.make_assessment(self.set)
        self.score_all(self.a)
        services.score_self(
            user=None,
            assessment=self.a,
            criterion=self.set.criteria.get(code="1.1"),
            points="2.5",
            note="Kế hoạch số 05/KH-UBND, trang 1.",
        )
        services.assessment_act(user=self.vanphong, assessment=self.a, action="self_assess")
        services.assessment_act(user=self.chutich, assessment=self.a, action="approve")
        services.assessment_letter(
            user=self.vanphong,
            assessment=self.a,
            letter_number="125",
            letter_date=date(2025, 12, 5),
            recipients="Sở Nội vụ\nLưu: VT, VP",
        )
        self.a.refresh_from_db()

    def test_the_summary_table_lists_every_criterion_and_the_totals(self):
        ws = load_workbook(io.BytesIO(summary_xlsx(self.a))).active
        rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
        self.assertEqual(rows[0][0], "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025")
        self.assertIn("BỘ TIÊU CHÍ VÍ DỤ – KHÔNG PHẢI VĂN BẢN PHÁP LÝ", [r[0] for r in rows])
        by_code = {r[0]: r for r in rows if r[0]}
        self.assertEqual(by_code["1.1"][2:4], ["3", "2,5"])
        self.assertEqual(by_code["1.1"][5], "Kế hoạch số 05/KH-UBND, trang 1.")
        self.assertEqual(by_code["1"][3], "11,5")
        self.assertEqual(by_code["7.2"][3], "Cấp trên chấm")
        totals = {
            r[1]: r[3]
            for r in rows
            if r[1] and r[1].startswith(("Tổng điểm", "Điểm tối đa áp dụng", "Kết quả quy"))
        }
        self.assertEqual(
            totals, {"Tổng điểm": "93,5", "Điểm tối đa áp dụng": "94", "Kết quả quy về thang 100": "99,47"}
        )

    def test_the_letter_follows_the_official_format_and_is_signed_by_the_chairman(self):
        doc = Document(io.BytesIO(letter_docx(self.a)))
        letter, table_section = doc.sections
        self.assertEqual(letter.orientation, WD_ORIENT.PORTRAIT)
        self.assertEqual(table_section.orientation, WD_ORIENT.LANDSCAPE)
        head = doc.tables[0]
        self.assertEqual(head.rows[0].cells[0].text.split("\n"), ["ỦY BAN NHÂN DÂN", "DUCXUONG"])
        self.assertEqual(
            head.rows[1].cells[0].text.split("\n"),
            ["Số: 125/UBND-VP", "V/v đề nghị thẩm định kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm 2025"],
        )
        self.assertEqual(head.rows[1].cells[1].text, "Ducxuong, ngày 05 tháng 12 năm 2025")
        text = "\n".join(p.text for p in doc.paragraphs)
        self.assertIn("Kính gửi: Ủy ban nhân dân haiphong.", text)
        self.assertIn(
            "Kết quả tự đánh giá: 93,5/94 điểm tối đa áp dụng (đạt 99,47%; quy về thang 100: 99,47 điểm)",
            text,
        )
        self.assertIn("Bộ tiêu chí ví dụ – không phải văn bản pháp lý", text)
        signature = doc.tables[1].rows[0].cells
        self.assertEqual(signature[0].text.split("\n"), ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT, VP."])
        right = signature[1].text.split("\n")
        self.assertEqual((right[0], right[1], right[-1]), ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Chutich"))
        summary = doc.tables[2]
        self.assertEqual(
            [c.text for c in summary.rows[0].cells],
            ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Thuyết minh"],
        )
        codes = [r.cells[0].text for r in summary.rows[1:]]
        self.assertEqual(codes[:3], ["1", "1.1", "1.2"])
