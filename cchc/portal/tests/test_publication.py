"""The public page publishes only what a person reviewed (docs/rules.md §15): the
rest reads "đang cập nhật", never a half-read catalogue row."""

from pathlib import Path

from django.core.cache import cache

from cchc.procedures.models import PARTS, Procedure
from cchc.procedures.services import procedure_details_import, procedure_parts_review
from cchc.testing import BaseTestCase

DATA = Path(__file__).resolve().parents[2] / "procedures" / "data"
FEE = "Lệ phí: 8.000 đồng/trường hợp (miễn cho người thuộc hộ nghèo, người khuyết tật, trẻ em dưới 6 tuổi)"


class PublicationTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.birth = Procedure.objects.create(
            commune=cls.commune,
            code="1.001193",
            name="Đăng ký khai sinh",
            field="Hộ tịch",
            time_amount=1,
            time_unit="",  # "1" without a unit, as the national file has it
            fee_text=FEE,
            needs_review=True,
            review_notes="Thời hạn: (1) [cần rà soát]",
        )
        procedure_details_import(
            commune=cls.commune,
            documents_content=(DATA / "tthc_thanh_phan.csv").read_bytes(),
            details_content=(DATA / "tthc_chi_tiet.csv").read_bytes(),
        )

    def setUp(self):
        cache.clear()

    def page(self) -> str:
        return self.client.get("/cong-khai/ducxuong/").content.decode()

    def test_unreviewed_parts_read_dang_cap_nhat(self):
        html = self.page()
        self.assertIn("Đăng ký khai sinh", html)
        self.assertNotIn("cần rà soát", html)
        self.assertNotIn('Thời hạn giải quyết</dt><dd class="col-sm-9" data-part="time">1', html)
        self.assertNotIn("8.000 đồng", html)
        self.assertNotIn("Giấy chứng sinh", html)
        self.assertEqual(html.count("đang cập nhật"), len(PARTS))

    def test_reviewed_parts_are_published_in_full(self):
        self.birth.time_unit = "working_days"
        self.birth.needs_review = False
        self.birth.save()
        procedure_parts_review(
            user=self.vanphong, procedure=self.birth, parts=["time", "fee", "documents", "legal_basis"]
        )
        html = self.page()
        self.assertIn("1 ngày làm việc", html)
        self.assertIn(FEE, html)  # the whole published text, never cut
        self.assertIn("* Giấy tờ phải nộp:", html)
        self.assertIn("(1 bản chính)", html)
        self.assertIn("Nghị định số 123/2015/NĐ-CP", html)
        self.assertEqual(html.count("đang cập nhật"), len(PARTS) - 4)
