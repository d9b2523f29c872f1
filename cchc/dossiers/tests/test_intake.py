"""Intake at the counter (the most frequent action of the product): the procedure
list ordered by the commune's use and searchable without accents, the documents
checklist from the procedure's published list, where the result is collected, and
finding a dossier from any tab — also by phone or ID number."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from cchc.core.models import AuditLog
from cchc.dossiers import documents
from cchc.dossiers.models import Dossier
from cchc.dossiers.services import Applicant
from cchc.procedures.services import procedure_details_import
from cchc.testing import BaseTestCase

from .helpers import act, at, make_procedure, receive

DATA = Path(__file__).resolve().parents[2] / "procedures" / "data"


def intake_data(proc, **over) -> dict:
    data = {
        "procedure": proc.pk,
        "channel": "in_person",
        "applicant_name": "Lê Văn Cường",
        "applicant_id_number": "034090009999",
        "applicant_phone": "0911222333",
        "applicant_address": "Thôn Bắc, xã Đức Xương",
        "copies": 1,
    }
    data.update(over)
    return data


class IntakeFormTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.birth = make_procedure(
            cls.commune, "1.001193", name="Đăng ký khai sinh", department=cls.dept_justice
        )
        cls.copy = make_procedure(
            cls.commune,
            "2.000815",
            name="Chứng thực bản sao từ bản chính",
            field="Chứng thực",
            amount=None,
            unit="same_day",
        )
        cls.rare = make_procedure(cls.commune, "1.000001", name="Ái hữu hiếm gặp", field="Khác")
        cls.elsewhere = make_procedure(cls.other_commune, "1.001193", name="Đăng ký khai sinh (Gia Lộc)")
        procedure_details_import(
            commune=cls.commune,
            documents_content=(DATA / "tthc_thanh_phan.csv").read_bytes(),
            details_content=None,
        )
        now = timezone.now()
        for minutes in range(3):  # the commune certifies copies most
            receive(cls.motcua, cls.copy, now - timedelta(days=2, minutes=minutes))
        receive(cls.motcua, cls.birth, now - timedelta(days=2, hours=2))

    def test_the_list_is_a_plain_select_most_used_first_with_search_keys(self):
        self.login(self.motcua)
        html = self.client.get("/ho-so/tiep-nhan/").content.decode()
        select = html[
            html.index('<select name="procedure"') : html.index(
                "</select>", html.index('<select name="procedure"')
            )
        ]
        self.assertIn('data-picker="procedure"', select)
        order = [select.index(f'value="{p.pk}"') for p in (self.copy, self.birth, self.rare)]
        self.assertEqual(order, sorted(order))
        self.assertIn('data-key="1.001193 dang ky khai sinh"', select)
        self.assertIn(">Đăng ký khai sinh (1.001193) – 3 ngày làm việc</option>", select)
        self.assertNotIn(str(self.elsewhere.name), select)
        self.assertIn("dossiers/procedure_picker.js", html)

    def test_the_checklist_comes_from_the_published_list_by_case(self):
        self.login(self.motcua)
        html = self.client.get(f"/ho-so/tiep-nhan/giay-to/?procedure={self.birth.pk}").content.decode()
        birth_cert = self.birth.required_documents.get(seq=5)
        self.assertIn(f'name="checked_documents" value="{birth_cert.pk}"', html)
        self.assertIn('Giấy chứng sinh <span class="text-muted small">(1 bản chính)</span>', html)
        self.assertIn("* Giấy tờ phải nộp:", html)
        self.assertIn("Lưu ý khi tiếp nhận", html)
        # Another commune's procedure gives no list.
        html = self.client.get(f"/ho-so/tiep-nhan/giay-to/?procedure={self.elsewhere.pk}").content.decode()
        self.assertIn("Chọn thủ tục để hiện danh mục", html)
        self.assertNotIn("checked_documents", html)
        self.login(self.tuphap)
        self.assertEqual(
            self.client.get(f"/ho-so/tiep-nhan/giay-to/?procedure={self.birth.pk}").status_code, 403
        )

    def test_without_javascript_a_button_shows_the_checklist_and_saves_nothing(self):
        self.login(self.motcua)
        before = Dossier.objects.count()
        r = self.client.post(
            "/ho-so/tiep-nhan/",
            {"procedure": self.birth.pk, "applicant_name": "Lê Văn Cường", "_checklist": "1"},
        )
        self.assertContains(r, "Giấy chứng sinh")
        self.assertContains(r, 'value="Lê Văn Cường"')
        self.assertNotContains(r, "invalid-feedback")
        self.assertEqual(Dossier.objects.count(), before)

    def test_control_characters_and_nul_typed_in_the_form_are_dropped_before_storing(self):
        self.login(self.motcua)
        r = self.client.post(
            "/ho-so/tiep-nhan/",
            intake_data(
                self.birth,
                applicant_name="Lê\x00 Văn\x01 Cường",
                applicant_address="Thôn\x1f Bắc",
                documents="Tờ khai\x0b",
            ),
            follow=True,
        )
        self.assertContains(r, "Đã tiếp nhận hồ sơ")
        d = Dossier.objects.get(applicant_name="Lê Văn Cường")
        self.assertEqual(d.applicant_address, "Thôn Bắc")
        self.assertEqual(self.client.get(f"/ho-so/{d.code}/mau-01.docx").status_code, 200)

    def test_ticked_documents_and_the_other_line_are_recorded_and_printed(self):
        self.login(self.motcua)
        form_decl = self.birth.required_documents.get(seq=32)
        birth_cert = self.birth.required_documents.get(seq=5)
        r = self.client.post(
            "/ho-so/tiep-nhan/",
            intake_data(
                self.birth,
                checked_documents=[birth_cert.pk, form_decl.pk],
                documents="Bản sao giấy đăng ký kết hôn của cha mẹ",
                result_delivery="post",
            ),
            follow=True,
        )
        self.assertContains(r, "Đã tiếp nhận hồ sơ")
        d = Dossier.objects.get(applicant_name="Lê Văn Cường")
        self.assertEqual(
            d.document_list,
            [
                "Giấy chứng sinh (1 bản chính)",
                "Tờ khai đăng ký khai sinh theo mẫu (1 bản chính)",
                "Bản sao giấy đăng ký kết hôn của cha mẹ",
            ],
        )
        self.assertEqual(d.result_delivery, "post")
        receipt = documents.build_form(d, "01")
        self.assertEqual(receipt.items, d.document_list)
        self.assertEqual(
            dict(receipt.after_items)["6. Đăng ký nhận kết quả"],
            "qua dịch vụ bưu chính công ích, gửi đến: Thôn Bắc, xã Đức Xương",
        )

    def test_a_document_of_another_procedure_is_refused_and_nothing_is_created(self):
        self.login(self.motcua)
        other_doc = self.copy.required_documents.first()
        before = Dossier.objects.count()
        r = self.client.post("/ho-so/tiep-nhan/", intake_data(self.birth, checked_documents=[other_doc.pk]))
        self.assertContains(r, "invalid-feedback")
        self.assertEqual(Dossier.objects.count(), before)

    def test_the_result_can_be_collected_online_or_at_the_counter(self):
        d = receive(
            self.motcua,
            self.birth,
            at(2025, 10, 6),
            applicant=Applicant(
                name="A", id_number="034090009998", phone="0911222334", address="X", email="a@example.com"
            ),
            result_delivery="online",
        )
        self.assertEqual(
            d.result_display, "trực tuyến, trên Cổng Dịch vụ công quốc gia; thư điện tử a@example.com"
        )
        counter = receive(self.motcua, self.birth, at(2025, 10, 6, 10))
        self.assertEqual(counter.result_display, "tại Bộ phận Một cửa ducxuong")
        with self.assertRaises(Exception) as ctx:
            receive(self.motcua, self.birth, at(2025, 10, 6, 11), result_delivery="pigeon")
        self.assertIn("Nơi nhận kết quả", str(ctx.exception))


class SearchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)
        cls.returned = receive(cls.motcua, cls.proc, at(2025, 6, 2))
        act(cls.returned, "transfer", cls.motcua, at(2025, 6, 2, 10))
        act(cls.returned, "finish", cls.tuphap, at(2025, 6, 3, 10))
        act(cls.returned, "return_result", cls.motcua, at(2025, 6, 3, 14))
        cls.land_proc = make_procedure(cls.commune, "1.003003", field="Đất đai", department=cls.dept_land)
        cls.land = receive(
            cls.motcua,
            cls.land_proc,
            at(2025, 6, 4),
            applicant=Applicant(
                name="Trần Thị Lan", id_number="034195007777", phone="0987654321", address="Thôn Tây"
            ),
        )
        act(cls.land, "transfer", cls.motcua, at(2025, 6, 4, 10))
        other_proc = make_procedure(cls.other_commune)
        cls.elsewhere = receive(cls.other, other_proc, at(2025, 6, 2))  # same applicant phone, other commune

    def codes(self, user, **params) -> list[str]:
        self.login(user)
        r = self.client.get("/ho-so/", params)
        self.assertEqual(r.status_code, 200)
        return [d.code for d, _ in r.context["rows"]]

    def test_a_search_looks_in_every_dossier_whatever_the_tab(self):
        self.assertEqual(self.codes(self.motcua, hang="online", q=self.returned.code), [self.returned.code])
        self.assertEqual(self.codes(self.motcua, hang="counter", q="nguyen van an"), [self.returned.code])
        self.assertNotIn(self.elsewhere.code, self.codes(self.motcua, q="nguyen van an"))

    def test_by_phone_or_id_number_exact_digits_with_spaces_or_plus84(self):
        for query in ("0912 345 678", "+84912345678", "034095001234", "034.095.001.234"):
            with self.subTest(query):
                self.assertEqual(self.codes(self.motcua, hang="online", q=query), [self.returned.code])
        self.assertEqual(self.codes(self.motcua, q="091234567"), [])  # not the whole number
        # Each look-up by personal data is recorded, with the number masked.
        logs = AuditLog.objects.filter(
            object_repr="Tìm hồ sơ theo số điện thoại / số định danh", actor=self.motcua
        )
        self.assertEqual(logs.count(), 5)
        self.assertIn("*********234", [log.changes["số"] for log in logs])
        self.assertNotIn("034095001234", str([log.changes for log in logs]))

    def test_a_department_finds_by_phone_only_what_it_may_see_and_the_list_stays_masked(self):
        self.assertEqual(self.codes(self.diachinh, q="0987654321"), [self.land.code])
        self.assertEqual(self.codes(self.diachinh, q="0912345678"), [])  # Tư pháp's applicant
        self.login(self.diachinh)
        r = self.client.get("/ho-so/", {"q": self.returned.code})
        self.assertContains(r, self.returned.code)
        self.assertContains(r, "N***** V** An")
        self.assertNotContains(r, "Nguyễn Văn An")
        self.assertEqual(self.codes(self.other, q="0912345678"), [self.elsewhere.code])
