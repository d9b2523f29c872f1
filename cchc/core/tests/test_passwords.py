"""Staff passwords: the rules (Vietnamese messages; no commune name, date or demo
password) and the page where staff change their own password."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from cchc.core.demo import DEMO_PASSWORD
from cchc.core.models import AuditLog
from cchc.testing import BaseTestCase


class PasswordRuleTests(BaseTestCase):
    def refusal(self, password, user=None) -> list[str]:
        try:
            validate_password(password, user or self.motcua)
        except ValidationError as exc:
            return exc.messages
        return []

    def test_a_good_password_passes(self):
        self.assertEqual(self.refusal("Mây-trắng-bay-qua-đồi-7"), [])

    def test_the_communes_name_is_refused_with_or_without_diacritics(self):
        name = (self.commune.place_name or self.commune.short_name).replace("xã ", "")
        for password in (f"{name}2025!", name.replace(" ", "").upper() + "@@", "ducxuong#Abc"):
            with self.subTest(password):
                self.assertIn(
                    "Mật khẩu không được chứa tên xã, huyện hay tỉnh: loại mật khẩu này dễ bị đoán.",
                    self.refusal(password),
                )
        # Another commune's name is not the user's.
        self.assertEqual(self.refusal("gialoc-Trời-xanh"), [])

    def test_dates_are_refused_and_date_like_numbers_that_are_no_date_pass(self):
        for password in ("hoa01011990!", "Abc-1990-12-31", "An 31/12/1990", "xy19900101zz", "010190"):
            with self.subTest(password):
                self.assertIn(
                    "Mật khẩu không được chứa ngày tháng (như ngày sinh): loại mật khẩu này dễ bị đoán.",
                    self.refusal(password),
                )
        self.assertEqual(self.refusal("Mây-trắng-32132099"), [])  # 32/13: no date

    def test_the_demo_password_is_refused_and_every_message_is_vietnamese(self):
        self.assertIn(
            "Đây là mật khẩu của bản trình diễn, ai cũng biết: hãy chọn mật khẩu khác.",
            self.refusal(DEMO_PASSWORD),
        )
        self.assertEqual(
            self.refusal("x7Q!"),
            ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự."],
        )
        self.assertIn("Mật khẩu này quá phổ biến, dễ bị đoán.", self.refusal("password"))
        self.assertIn("Mật khẩu không được chỉ gồm chữ số.", self.refusal("8362910574"))
        self.assertIn(
            "Mật khẩu quá giống tên đăng nhập, họ tên hoặc thư điện tử của tài khoản.",
            self.refusal("motcua-x1"),
        )


class OwnPasswordPageTests(BaseTestCase):
    URL = "/doi-mat-khau/"

    def test_the_header_links_to_the_page_and_staff_change_their_own_password(self):
        self.login(self.tuphap)
        self.assertContains(self.client.get("/thong-bao/"), 'href="/doi-mat-khau/"')
        refused = self.client.post(
            self.URL,
            {
                "old_password": DEMO_PASSWORD,
                "new_password1": "ducxuong2026!",
                "new_password2": "ducxuong2026!",
            },
        )
        self.assertContains(refused, "không được chứa tên xã")
        refused = self.client.post(
            self.URL, {"old_password": "sai", "new_password1": "Mây-trắng-7", "new_password2": "Mây-trắng-7"}
        )
        self.assertContains(refused, "Mật khẩu hiện tại không đúng.")
        refused = self.client.post(
            self.URL,
            {"old_password": DEMO_PASSWORD, "new_password1": "Mây-trắng-7", "new_password2": "Mây-trắng-8"},
        )
        self.assertContains(refused, "Hai lần nhập mật khẩu mới không giống nhau.")
        self.tuphap.refresh_from_db()
        self.assertTrue(self.tuphap.check_password(DEMO_PASSWORD))
        done = self.client.post(
            self.URL,
            {"old_password": DEMO_PASSWORD, "new_password1": "Mây-trắng-7", "new_password2": "Mây-trắng-7"},
            follow=True,
        )
        self.assertContains(done, "Đã đổi mật khẩu.")
        self.tuphap.refresh_from_db()
        self.assertTrue(self.tuphap.check_password("Mây-trắng-7"))
        row = AuditLog.objects.filter(model="user", object_id=str(self.tuphap.pk), action="update").latest(
            "pk"
        )
        self.assertEqual(row.actor_id, self.tuphap.pk)
        self.assertEqual(row.changes, {"password": "đổi bởi chính người dùng"})  # never the hash

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        response = self.client.get(self.URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/dang-nhap/", response["Location"])
