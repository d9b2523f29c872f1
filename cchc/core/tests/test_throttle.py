"""Brute-force protection: staff login per account and per address, API tokens per
address (cchc/core/auth.py)."""

from unittest import mock

from django.test import override_settings

from cchc.core.models import AuditLog
from cchc.testing import DEMO_PASSWORD, BaseTestCase

LOGIN = "/dang-nhap/"


class LoginThrottleTests(BaseTestCase):
    def post_login(self, username, password, address="10.0.0.1"):
        return self.client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)

    def test_forty_wrong_passwords_lock_the_account_until_the_window_passes(self):
        t0 = 1_800_000_000.0
        with mock.patch("cchc.core.ratelimit._now", return_value=t0):
            for _ in range(40):
                r = self.post_login("motcua", "sai-mat-khau")
                self.assertNotIn("_auth_user_id", self.client.session)
            # The right password is refused too, with a Vietnamese message.
            r = self.post_login("motcua", DEMO_PASSWORD)
            self.assertNotIn("_auth_user_id", self.client.session)
            self.assertContains(r, "tạm thời bị khóa đăng nhập")
            self.assertContains(r, "15 phút")
        # Locked at the 5th failure (t0): still locked one second before the window ends …
        with mock.patch("cchc.core.ratelimit._now", return_value=t0 + 899):
            r = self.post_login("motcua", DEMO_PASSWORD)
            self.assertNotIn("_auth_user_id", self.client.session)
            self.assertContains(r, "1 phút")
        # … and the right password works once it has passed.
        with mock.patch("cchc.core.ratelimit._now", return_value=t0 + 900):
            r = self.post_login("motcua", DEMO_PASSWORD)
            self.assertEqual(r.status_code, 302)
            self.assertEqual(int(self.client.session["_auth_user_id"]), self.motcua.pk)
        rows = AuditLog.objects.filter(action=AuditLog.Action.LOCKOUT)
        self.assertEqual(
            [(r.object_id, r.changes["scope"], r.changes["address"]) for r in rows],
            [(str(self.motcua.pk), "account", "10.0.0.1")],
        )
        self.assertIn("Tạm khóa đăng nhập sau nhiều lần sai: tài khoản motcua", rows[0].object_repr)
        self.assertEqual(rows[0].commune_id, self.commune.pk)

    def test_the_account_lock_holds_from_another_address_and_spares_other_accounts(self):
        for _ in range(5):
            self.post_login("motcua", "sai", address="10.0.0.1")
        r = self.post_login("motcua", DEMO_PASSWORD, address="10.0.0.2")
        self.assertContains(r, "Tài khoản này đã nhập sai mật khẩu quá nhiều lần")
        self.assertEqual(self.post_login("tuphap", DEMO_PASSWORD, address="10.0.0.1").status_code, 302)

    def test_four_failures_then_the_right_password_logs_in_and_resets_the_count(self):
        for _ in range(4):
            self.post_login("motcua", "sai")
        self.assertEqual(self.post_login("motcua", DEMO_PASSWORD).status_code, 302)
        self.client.logout()
        for _ in range(4):
            self.post_login("motcua", "sai")
        self.assertEqual(self.post_login("motcua", DEMO_PASSWORD).status_code, 302)
        self.assertFalse(AuditLog.objects.filter(action=AuditLog.Action.LOCKOUT).exists())

    def test_one_address_trying_many_accounts_is_locked(self):
        for i in range(20):
            self.post_login(f"khong-co-{i}", "sai", address="10.9.9.9")
        r = self.post_login("tuphap", DEMO_PASSWORD, address="10.9.9.9")
        self.assertContains(r, "Máy của bạn đã nhập sai mật khẩu quá nhiều lần")
        self.assertEqual(self.post_login("tuphap", DEMO_PASSWORD, address="10.9.9.8").status_code, 302)
        row = AuditLog.objects.get(action=AuditLog.Action.LOCKOUT)
        self.assertEqual((row.changes["scope"], row.object_id), ("address", ""))

    def test_the_admin_login_goes_through_the_same_lock(self):
        self.motcua.is_staff = True
        self.motcua.save()
        for _ in range(5):
            self.post_login("motcua", "sai")
        r = self.client.post(
            "/admin/login/?next=/admin/",
            {"username": "motcua", "password": DEMO_PASSWORD},
            REMOTE_ADDR="10.0.0.7",
        )
        self.assertEqual(r.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(LOGIN_FAILURES_PER_ACCOUNT=2)
    def test_the_limits_are_settings(self):
        self.post_login("motcua", "sai")
        self.assertEqual(self.post_login("motcua", DEMO_PASSWORD).status_code, 302)
        self.client.logout()
        self.post_login("motcua", "sai")
        self.post_login("motcua", "sai")
        self.assertContains(self.post_login("motcua", DEMO_PASSWORD), "tạm thời bị khóa")


class ApiTokenThrottleTests(BaseTestCase):
    def test_repeated_unknown_tokens_lock_the_address_out_even_with_a_good_token(self):
        good = self.api_headers(self.motcua)
        for _ in range(20):
            r = self.client.get("/api/v1/me", headers={"Authorization": "Bearer sai"}, REMOTE_ADDR="10.1.1.1")
            self.assertEqual(r.status_code, 401)
        r = self.client.get("/api/v1/me", headers=good, REMOTE_ADDR="10.1.1.1")
        self.assertEqual(r.status_code, 429)
        self.assertIn("khóa API không hợp lệ", r.json()["detail"])
        r = self.client.get("/api/v1/me", headers=good, REMOTE_ADDR="10.1.1.2")
        self.assertEqual(r.json()["username"], "motcua")
        row = AuditLog.objects.get(action=AuditLog.Action.LOCKOUT)
        self.assertEqual((row.changes["kind"], row.changes["address"]), ("api-token", "10.1.1.1"))
