"""Shared test base: one province, two communes, the seed's departments, and a
named user per role. Every app's tests build on `BaseTestCase`. It lives above the
apps (like `cchc/urls.py`), not in `core`: it builds units and users through `org`."""

from __future__ import annotations

from django.test import TestCase

from cchc.core.demo import DEMO_PASSWORD
from cchc.org.models import Department, Role, Unit, User
from cchc.org.services import unit_create, user_create


def make_unit(kind: str, slug: str, parent: Unit | None = None, code: str | None = None) -> Unit:
    return unit_create(
        kind=kind,
        name=f"Ủy ban nhân dân {slug}",
        short_name=slug,
        slug=slug,
        agency_code=code or f"000.{abs(hash(slug)) % 100:02d}.{len(slug):02d}.{slug[:3].upper()}",
        parent=parent,
        place_name=slug.title(),
    )


def make_department(commune: Unit, code: str, name: str, **flags) -> Department:
    return Department.objects.create(commune=commune, code=code, name=name, **flags)


def make_user(
    username: str, role: Role | str, unit: Unit | None, department: Department | None = None
) -> User:
    return user_create(
        username=username,
        password=DEMO_PASSWORD,
        full_name=username.title(),
        role=role,
        unit=unit,
        department=department,
    )


class BaseTestCase(TestCase):
    """Named actors:
    - `chutich` chairman, `vanphong` CCHC office, `motcua` one-stop officer,
      `tuphap` Tư pháp officer, `diachinh` Địa chính officer — all of xã Đức Xương;
    - `other` one-stop officer of another commune (xã Gia Lộc);
    - `captren` superior viewer at the province; `admin` global administrator.
    """

    @classmethod
    def setUpTestData(cls) -> None:
        cls.province = make_unit("province", "haiphong", code="000.00.00.H26")
        cls.commune = make_unit("commune", "ducxuong", cls.province, code="000.21.31.H26")
        cls.other_commune = make_unit("commune", "gialoc", cls.province, code="000.22.31.H26")
        cls.dept_office = make_department(
            cls.commune, "vp-dang-uy-noi-vu", "Văn phòng Đảng ủy – Nội vụ", is_cchc_office=True
        )
        cls.dept_one_stop = make_department(
            cls.commune, "vp-hdnd-ubnd", "Văn phòng HĐND – UBND", is_one_stop=True
        )
        cls.dept_justice = make_department(cls.commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
        cls.dept_land = make_department(cls.commune, "dia-chinh-xay-dung", "Địa chính – Xây dựng")
        cls.other_dept = make_department(cls.other_commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
        cls.chutich = make_user("chutich", Role.CHAIRMAN, cls.commune)
        cls.vanphong = make_user("vanphong", Role.CCHC_OFFICE, cls.commune, cls.dept_office)
        cls.motcua = make_user("motcua", Role.ONE_STOP_OFFICER, cls.commune, cls.dept_one_stop)
        cls.tuphap = make_user("tuphap", Role.DEPARTMENT_OFFICER, cls.commune, cls.dept_justice)
        cls.diachinh = make_user("diachinh", Role.DEPARTMENT_OFFICER, cls.commune, cls.dept_land)
        cls.other = make_user("other", Role.ONE_STOP_OFFICER, cls.other_commune)
        cls.captren = make_user("captren", Role.SUPERIOR_VIEWER, cls.province)
        cls.admin = make_user("admin", Role.ADMIN, None)
        cls.admin.is_superuser = True
        cls.admin.save()

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def api_token_for(self, user: User) -> str:
        from cchc.core.services import api_token_create

        return api_token_create(user=user)[1]

    def api_headers(self, user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_token_for(user)}"}


def browser_login(page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real form (Playwright page fixture from conftest.py)."""
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
