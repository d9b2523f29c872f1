import re
from datetime import date, timedelta

from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from cchc.core.models import AuditLog
from cchc.dossiers.models import Status
from cchc.dossiers.services import dossier_act
from cchc.portal import services
from cchc.satisfaction.models import Rating
from cchc.satisfaction.tests.helpers import FastTestCase, at, make_dossier, make_procedure, rating_post

URL = "/cong-khai/tra-cuu/"
PERSONAL = ("Nguyễn Văn An", "0912345678", "091234", "001088012345", "Lê Lợi", "thôn Đông")


class LookupTests(FastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.motcua.full_name = "Trần Văn Minh"
        cls.motcua.save()
        cls.procedure = make_procedure(cls.commune, department=cls.dept_justice)

    def setUp(self):
        cache.clear()
        self.received = timezone.localdate() - timedelta(days=3)
        self.dossier = make_dossier(
            self.commune,
            self.procedure,
            received=self.received,
            status=Status.PROCESSING,
            department=self.dept_justice,
            received_by=self.motcua,
        )

    def lookup(self, code, last4, **extra):
        return self.client.post(URL, {"ma": code, "phone_last4": last4}, **extra)

    def main(self, response) -> str:
        html = response.content.decode()
        html = html[html.index("<main") : html.index("</main>")]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    def test_the_qr_code_link_prefills_the_code(self):
        response = self.client.get(URL, {"ma": self.dossier.code})
        self.assertContains(response, f'value="{self.dossier.code}"')
        self.assertContains(response, '<label class="form-label" for="id_phone_last4">')
        self.assertNotContains(response, "<script")  # the page needs no JavaScript

    def test_the_right_factor_shows_the_dossier_without_personal_data(self):
        response = self.lookup(self.dossier.code, "5678")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Thủ tục đăng ký khai sinh")
        self.assertContains(response, "N***** V** An")
        self.assertContains(response, "Đang giải quyết tại Tư pháp – Hộ tịch")
        self.assertContains(response, self.received.strftime("%d/%m/%Y"))
        self.assertContains(response, self.dossier.due_date.strftime("%d/%m/%Y"))
        self.assertContains(response, "Tiếp nhận hồ sơ")
        self.assertContains(response, "Chuyển hồ sơ đến Tư pháp – Hộ tịch")
        html = self.main(response)
        for value in PERSONAL:
            self.assertNotIn(value, html)
        self.assertNotIn("Trần Văn Minh", html)  # officers' names are not public
        self.assertNotIn("ghi chú nội bộ", html)  # internal notes are not public
        self.assertEqual(response["Cache-Control"].count("no-store"), 1)

    def test_codes_are_matched_whatever_the_case_and_spaces(self):
        response = self.lookup(f"  {self.dossier.code.lower()} ", " 5678 ")
        self.assertContains(response, "Thủ tục đăng ký khai sinh")

    def test_a_wrong_factor_and_a_wrong_code_give_the_same_answer(self):
        wrong_factor = self.lookup(self.dossier.code, "1234")
        wrong_code = self.lookup(self.dossier.code[:-1] + "9", "5678")
        self.assertEqual(wrong_factor.status_code, wrong_code.status_code)
        self.assertContains(wrong_factor, "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số cuối điện thoại")
        self.assertEqual(
            self.main(wrong_factor).replace(self.dossier.code, "MA"),
            self.main(wrong_code)
            .replace(self.dossier.code[:-1] + "9", "MA")
            .replace('value="5678"', 'value="1234"'),
        )
        self.assertNotContains(wrong_factor, "khai sinh")
        self.assertFalse(AuditLog.objects.filter(source=services.LOOKUP_SOURCE).exists())

    def test_a_dossier_without_a_usable_phone_is_never_found(self):
        self.dossier.applicant_phone = "12"
        self.dossier.save()
        self.assertContains(self.lookup(self.dossier.code, "0012"), "Không tìm thấy hồ sơ")

    def test_bad_input_is_refused_with_vietnamese_messages(self):
        response = self.lookup("", "12a")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nhập mã hồ sơ.")
        self.assertContains(response, "Nhập đúng 4 chữ số (0–9).")

    def test_each_successful_look_up_is_counted_in_the_audit_trail(self):
        self.lookup(self.dossier.code, "5678")
        self.lookup(self.dossier.code, "5678")
        self.assertEqual(services.lookup_count(self.dossier), 2)
        row = AuditLog.objects.filter(source=services.LOOKUP_SOURCE).first()
        self.assertEqual(row.action, AuditLog.Action.VIEW)
        self.assertEqual(row.commune_id, self.commune.pk)
        self.assertIsNone(row.actor)
        text = str(row.changes) + row.object_repr
        for value in ("0912345678", "5678", "127.0.0.1", "Nguyễn"):
            self.assertNotIn(value, text)

    @override_settings(DOSSIER_LOOKUP_LIMIT=3)
    def test_look_ups_are_rate_limited_per_client(self):
        for last4 in ("0000", "1111", "2222"):
            self.assertContains(self.lookup(self.dossier.code, last4), "Không tìm thấy hồ sơ")
        response = self.lookup(self.dossier.code, "5678")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "tra cứu quá nhiều lần", status_code=429)
        self.assertNotContains(response, "khai sinh", status_code=429)
        # Another client still gets through.
        other = self.lookup(self.dossier.code, "5678", REMOTE_ADDR="10.1.2.3")
        self.assertContains(other, "Thủ tục đăng ký khai sinh")

    def test_a_supplement_request_says_what_to_bring_and_why(self):
        dossier = make_dossier(self.commune, self.procedure, received=self.received, status=Status.SUPPLEMENT)
        response = self.lookup(dossier.code, "5678")
        self.assertContains(response, "Cần bổ sung giấy tờ")
        self.assertContains(response, "Giấy chứng sinh (bản chính)")
        self.assertContains(response, "Giấy chứng sinh là bản chụp, không rõ chữ")

    def test_an_apology_shows_the_new_date(self):
        new_date = self.dossier.due_date + timedelta(days=7)
        when = at(self.received + timedelta(days=1), 10)
        dossier_act(
            dossier=self.dossier,
            action="apologize",
            user=self.tuphap,
            note="Chờ xác minh",
            new_date=new_date,
            at=when,
            now=when,
        )
        self.dossier.refresh_from_db()
        self.assertEqual(self.dossier.apology_date, new_date)
        response = self.lookup(self.dossier.code, "5678")
        self.assertContains(response, "Ngày hẹn mới")
        self.assertContains(response, self.dossier.apology_date.strftime("%d/%m/%Y"))

    def test_a_refusal_shows_its_reason(self):
        dossier = make_dossier(self.commune, self.procedure, received=self.received, status=Status.REFUSED)
        response = self.lookup(dossier.code, "5678")
        self.assertContains(response, "Không được giải quyết (từ chối)")
        self.assertContains(response, "Không thuộc thẩm quyền giải quyết của xã")

    def test_a_finished_dossier_links_to_the_rating_form_once(self):
        dossier = make_dossier(
            self.commune,
            self.procedure,
            received=self.received,
            status=Status.PROCESSED,
            department=self.dept_justice,
            handled_by=self.tuphap,
        )
        response = self.lookup(dossier.code, "5678")
        self.assertContains(response, "Mời quý khách đến nhận kết quả")
        link = re.search(r'href="(/danh-gia/r/[^"]+)" id="rate-link"', response.content.decode()).group(1)
        self.assertRedirects(self.client.post(link, rating_post()), f"{link}cam-on/")
        self.assertEqual(Rating.objects.get(dossier=dossier).channel, "lookup")
        response = self.lookup(dossier.code, "5678")
        self.assertNotContains(response, 'id="rate-link"')
        self.assertContains(response, "Quý khách đã đánh giá sự hài lòng cho hồ sơ này")

    def test_an_open_dossier_has_no_rating_link(self):
        response = self.lookup(self.dossier.code, "5678")
        self.assertNotContains(response, "/danh-gia/r/")
        self.assertContains(response, "Quý khách chưa cần làm gì thêm")


class PhoneFactorTests(FastTestCase):
    def test_last_four_digits_ignore_formatting(self):
        self.assertEqual(services.phone_last4("+84 912.345.678"), "5678")
        self.assertEqual(services.phone_last4("(0912) 34-56 78"), "5678")
        self.assertEqual(services.phone_last4("123"), "")

    def test_lookup_service_returns_none_for_either_wrong_part(self):
        procedure = make_procedure(self.commune)
        dossier = make_dossier(self.commune, procedure, received=date(2026, 3, 2))
        self.assertEqual(services.dossier_lookup(code=dossier.code, last4="5678"), dossier)
        self.assertIsNone(services.dossier_lookup(code=dossier.code, last4="5679"))
        self.assertIsNone(services.dossier_lookup(code="X" + dossier.code, last4="5678"))
        self.assertIsNone(services.dossier_lookup(code=dossier.code, last4="567"))
