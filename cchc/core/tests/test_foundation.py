"""Organisation, roles, scoping, audit trail, API tokens, health check, pages."""

import os
import subprocess
import sys
import unicodedata
from datetime import date
from io import StringIO
from unittest import mock

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from cchc.core.audit import acting_as
from cchc.core.models import ApiToken, AuditLog, CalendarOverride
from cchc.org.models import Role, Unit
from cchc.org.roles import group_name
from cchc.org.services import user_sync_groups
from cchc.testing import BaseTestCase


class ScopingTests(BaseTestCase):
    def test_it_limits_commune_staff_to_their_commune(self):
        assert self.motcua.commune_ids() == [self.commune.pk]
        assert self.other.commune_ids() == [self.other_commune.pk]

    def test_province_viewer_sees_every_commune_of_the_province_but_writes_none(self):
        assert set(self.captren.commune_ids()) == {self.commune.pk, self.other_commune.pk}
        assert not self.captren.can_write_commune(self.commune.pk)

    def test_a_district_between_province_and_commune_is_allowed(self):
        from cchc.testing import make_unit

        district = make_unit("district", "gialoc-huyen", self.province)
        commune = make_unit("commune", "ducxuong-cu", district)
        assert commune.path.startswith(district.path)
        assert commune.pk in [u.pk for u in self.province.descendant_communes()]

    def test_a_commune_cannot_be_parent_of_a_province(self):
        from django.core.exceptions import ValidationError

        unit = Unit(kind="province", name="x", short_name="x", slug="x", agency_code="x", parent=self.commune)
        with self.assertRaises(ValidationError):
            unit.full_clean(exclude=["path"])


class RoleTests(BaseTestCase):
    def test_each_role_is_a_group_with_its_permissions(self):
        admins = Group.objects.get(name=group_name(Role.ADMIN))
        assert admins.permissions.filter(codename="view_auditlog").exists()
        assert self.motcua.groups.filter(name=group_name(Role.ONE_STOP_OFFICER)).exists()

    def test_changing_the_role_moves_the_user_to_the_new_group(self):
        self.tuphap.role = Role.CCHC_OFFICE
        self.tuphap.save()
        user_sync_groups(user=self.tuphap)
        names = set(self.tuphap.groups.values_list("name", flat=True))
        assert names == {group_name(Role.CCHC_OFFICE)}


class AuditTrailTests(BaseTestCase):
    def test_it_records_create_update_delete_with_the_actor(self):
        with acting_as(self.admin, "ui"):
            override = CalendarOverride.objects.create(date=date(2030, 1, 2), kind="off", reason="Bão")
            override.reason = "Bão số 3"
            override.save()
            override.delete()
        rows = list(AuditLog.objects.filter(model="calendaroverride").order_by("id"))
        assert [r.action for r in rows] == ["create", "update", "delete"]
        assert all(r.actor == self.admin and r.source == "ui" for r in rows)
        assert rows[1].changes == {"reason": ["Bão", "Bão số 3"]}

    def test_it_records_changes_made_in_the_admin(self):
        self.login(self.admin)
        response = self.client.post(
            "/admin/core/calendaroverride/add/",
            {"date": "2030-02-03", "kind": "off", "reason": "Nghỉ bù", "reference": ""},
        )
        assert response.status_code == 302
        row = AuditLog.objects.get(model="calendaroverride", action="create")
        assert row.actor == self.admin and row.source == "admin"

    def test_it_never_logs_password_hashes(self):
        self.tuphap.set_password("mật khẩu mới 123")
        self.tuphap.save()
        assert not AuditLog.objects.filter(model="user", changes__has_key="password").exists()

    def test_the_trail_cannot_be_edited_in_the_admin(self):
        self.login(self.admin)
        row = AuditLog.objects.first()
        assert self.client.post(f"/admin/core/auditlog/{row.pk}/delete/", {"post": "yes"}).status_code == 403
        assert AuditLog.objects.filter(pk=row.pk).exists()

    def test_the_trail_page_is_for_admins_and_leaders_scoped_to_their_communes(self):
        self.login(self.motcua)
        assert self.client.get("/nhat-ky/").status_code == 403
        self.login(self.chutich)
        assert self.client.get("/nhat-ky/").status_code == 200


class CalendarTests(BaseTestCase):
    def test_cli_prints_the_due_date_first(self):
        out = StringIO()
        call_command("calendar", "due", "2024-04-26", "3", "--explain", stdout=out)
        lines = out.getvalue().splitlines()
        assert lines[0] == "2024-05-04"
        assert any("29/04/2024" in line for line in lines)

    def test_cli_refuses_too_long_a_time_in_one_vietnamese_line(self):
        for args, text in [
            (["2024-01-01", "100000"], "Thời hạn 100000 ngày làm việc quá dài"),
            (["2024-01-01", "3000000", "--unit", "days"], "Thời hạn 3000000 ngày quá dài"),
            (["2024-01-01", "-1"], "Thời hạn không được âm."),
        ]:
            # A CommandError is what `cchc` prints as one line ("CommandError: …", exit 1).
            with self.assertRaises(CommandError) as ctx:
                call_command("calendar", "due", *args, stdout=StringIO())
            assert text in str(ctx.exception)
            assert "\n" not in str(ctx.exception)

    def test_cli_explains_a_make_up_saturday_a_weekend_start_and_the_cut_off(self):
        def explain(*args):
            out = StringIO()
            call_command("calendar", "due", *args, "--explain", stdout=out)
            return out.getvalue().splitlines()

        makeup = explain("2024-04-26", "3")
        assert makeup[0] == "2024-05-04"
        assert (
            "  Tính Thứ Bảy 04/05/2024 là ngày làm việc: Ngày làm việc bù theo thông báo của Chính phủ."
            in makeup
        )
        weekend = explain("2024-01-06", "2")
        assert weekend[0] == "2024-01-09"
        assert any(line.startswith("  Ngày tiếp nhận Thứ Bảy 06/01/2024 là ngày nghỉ") for line in weekend)
        late = explain("2024-03-08T15:01", "0", "--unit", "same_day")
        assert late[0] == "2024-03-11"
        assert (
            "  Tiếp nhận lúc 15:01, sau giờ chốt buổi chiều 15:00: kết quả trả vào ngày làm việc kế tiếp."
            in late
        )

    def test_cli_accepts_a_datetime_and_working_hours(self):
        out = StringIO()
        call_command("calendar", "due", "2024-04-26T16:00", "8", "--unit", "working_hours", stdout=out)
        assert out.getvalue().splitlines()[0] == "2024-05-02 16:30"

    def test_cli_overrides_take_precedence_and_can_be_removed(self):
        call_command(
            "calendar", "override", "add", "2024-03-05", "--off", "--reason", "Bão số 1", stdout=StringIO()
        )
        out = StringIO()
        call_command("calendar", "due", "2024-03-04", "1", stdout=out)
        assert out.getvalue().splitlines()[0] == "2024-03-06"
        listing = StringIO()
        call_command("calendar", "override", "list", stdout=listing)
        assert "2024-03-05" in listing.getvalue()
        call_command("calendar", "override", "remove", "2024-03-05", stdout=StringIO())
        assert not CalendarOverride.objects.exists()
        assert AuditLog.objects.filter(model="calendaroverride", source="command:calendar").count() == 2

    def test_cli_rejects_bad_input_and_changes_nothing(self):
        with self.assertRaises(CommandError):
            call_command("calendar", "due", "26/04/2024", "3")
        call_command("calendar", "override", "add", "2024-03-05", "--off", "--reason", "A", stdout=StringIO())
        with self.assertRaises(CommandError):
            call_command("calendar", "override", "add", "2024-03-05", "--workday", "--reason", "B")
        with self.assertRaises(CommandError):
            call_command("calendar", "override", "remove", "2024-03-06")
        assert CalendarOverride.objects.count() == 1

    def test_staff_with_permission_add_overrides_in_the_ui_in_nfc(self):
        self.login(self.admin)
        reason = unicodedata.normalize("NFD", "Nghỉ bù Quốc khánh")
        response = self.client.post(
            "/lich-lam-viec/dieu-chinh/", {"date": "2030-09-03", "kind": "off", "reason": reason}
        )
        assert response.status_code == 302
        assert CalendarOverride.objects.get().reason == "Nghỉ bù Quốc khánh"

    def test_officers_without_permission_cannot_change_the_calendar(self):
        self.login(self.tuphap)
        response = self.client.post(
            "/lich-lam-viec/dieu-chinh/", {"date": "2030-09-03", "kind": "off", "reason": "x"}
        )
        assert response.status_code == 403
        assert not CalendarOverride.objects.exists()

    def test_bad_override_form_says_why_and_stores_nothing(self):
        self.login(self.admin)
        response = self.client.post(
            "/lich-lam-viec/dieu-chinh/", {"date": "khong-phai-ngay", "kind": "off"}, follow=True
        )
        assert "Không thêm được" in response.content.decode()
        assert not CalendarOverride.objects.exists()

    def test_calendar_page_explains_a_due_date(self):
        self.login(self.tuphap)
        response = self.client.get(
            "/lich-lam-viec/",
            {"year": 2024, "start": "2024-04-26T10:00", "amount": 3, "unit": "working_days"},
        )
        body = response.content.decode()
        assert "Hạn giải quyết: 04/05/2024" in body
        assert "Ngày Giỗ Tổ Hùng Vương" in body


class ApiAuthTests(BaseTestCase):
    def test_tokens_are_stored_hashed_and_work_as_bearer(self):
        out = StringIO()
        call_command("api_token", "create", "tuphap", stdout=out, stderr=StringIO())
        key = out.getvalue().strip()
        assert not ApiToken.objects.filter(key_hash=key).exists()
        assert ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).exists()
        response = self.client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200
        assert response.json()["username"] == "tuphap"

    def test_revoked_or_wrong_tokens_get_401_json(self):
        headers = self.api_headers(self.tuphap)
        token = ApiToken.objects.get(user=self.tuphap)
        call_command("api_token", "revoke", token.key_prefix, stdout=StringIO())
        response = self.client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert "detail" in response.json()
        assert self.client.get("/api/v1/me", headers={"Authorization": "Bearer sai"}).status_code == 401

    def test_unknown_user_gives_a_clear_error(self):
        with self.assertRaises(CommandError):
            call_command("api_token", "create", "khong-co")

    def test_openapi_docs_are_served(self):
        assert self.client.get("/api/v1/openapi.json").status_code == 200
        assert self.client.get("/api/v1/docs").status_code == 200


class HealthAndPagesTests(BaseTestCase):
    def test_healthz_ok(self):
        response = self.client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}

    def test_healthz_503_when_the_database_fails(self):
        with mock.patch.object(connection, "cursor", side_effect=Exception("down")):
            response = self.client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "error"

    def test_pages_require_login(self):
        response = self.client.get("/")
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]

    def test_login_with_wrong_password_says_so_in_vietnamese(self):
        response = self.client.post("/dang-nhap/", {"username": "tuphap", "password": "sai"})
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()

    @override_settings(DEBUG=False)
    def test_404_page_is_in_vietnamese(self):
        self.login(self.tuphap)
        response = self.client.get("/khong-co-trang-nay/")
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()

    def test_home_shows_the_user_and_navigation(self):
        self.login(self.admin)
        body = self.client.get("/").content.decode()
        assert "Lịch làm việc" in body and "Nhật ký" in body and "Quản trị" in body


class DemoCommandTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):  # the demo builds its own organisation
        pass

    def test_demo_is_idempotent_and_says_so(self):
        first = StringIO()
        call_command("demo", no_serve=True, stdout=first)
        assert "Đã tạo" in first.getvalue()
        assert Unit.objects.get(slug="ducxuong").departments.count() == 7
        for username in ("admin", "chutich", "vanphong", "motcua", "tuphap", "captren"):
            assert self.client.login(username=username, password="cchc-demo"), username
        counts = {m._meta.label: m.objects.count() for m in (Unit, AuditLog)}
        second = StringIO()
        call_command("demo", no_serve=True, stdout=second)
        assert "không thay đổi gì" in second.getvalue()
        assert Unit.objects.count() == counts["org.Unit"]


def test_bad_settings_stop_start_up_with_a_clear_message(tmp_path):
    env = {**os.environ, "CCHC_DATA_DIR": str(tmp_path), "DATABASE_URL": "mysql://x/y"}
    result = subprocess.run(
        [sys.executable, "-c", "import cchc.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    env = {**os.environ, "CCHC_DATA_DIR": str(tmp_path), "CCHC_DEBUG": "maybe"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", "import cchc.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert "CCHC_DEBUG" in result.stderr


def test_console_script_lists_commands_without_arguments():
    result = subprocess.run(
        [sys.executable, "-c", "from cchc.cli import main; main(['cchc'])"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "calendar" in result.stdout and "demo" in result.stdout and "api_token" in result.stdout


class NavigationTests(BaseTestCase):
    def test_grouped_items_become_one_menu_and_single_items_stay_plain(self):
        from cchc.core.nav import NavGroup, NavItem, nav_for

        entries = nav_for(self.admin)
        system = next(e for e in entries if getattr(e, "label", "") == "Hệ thống")
        assert isinstance(system, NavGroup)
        assert [i.url_name for i in system.items][:2] == ["calendar", "audit_log"]
        # The department officer sees only the calendar in that group: a plain item.
        officer_entries = nav_for(self.tuphap)
        calendar = next(e for e in officer_entries if getattr(e, "url_name", "") == "calendar")
        assert isinstance(calendar, NavItem)


class ApiErrorTests(BaseTestCase):
    @override_settings(DEBUG=False)
    def test_unknown_api_paths_answer_json_404(self):
        response = self.client.get("/api/v1/khong-co", headers=self.api_headers(self.tuphap))
        assert response.status_code == 404
        assert response.json()["detail"]

    def test_schema_errors_are_explained_in_vietnamese(self):
        from cchc.core.api import schema_error_text

        assert schema_error_text({"type": "missing"}) == "thiếu, bắt buộc phải có"
        assert "in_person" in schema_error_text({"type": "literal_error", "ctx": {"expected": "'in_person'"}})
        assert "YYYY-MM-DD" in schema_error_text({"type": "date_from_datetime_parsing"})
        assert schema_error_text({"type": "value_error", "ctx": {"error": "Ngày sai"}}) == "Ngày sai"
