"""Demo organisation: the seed's commune (xã Đức Xương) under its province, a
second commune for province-wide views, the seed's seven departments, and one
log-in per role (password `cchc-demo`, demo only)."""

from __future__ import annotations

from cchc.core.demo import DEMO_PASSWORD, DemoLog

from .models import Department, Role, Unit, User
from .services import unit_create, user_create

# Agency codes are shaped like real electronic IDs (QĐ 20/2020/QĐ-TTg) but are demo values.
PROVINCE = dict(
    kind="province",
    name="Ủy ban nhân dân thành phố Hải Phòng",
    short_name="TP Hải Phòng",
    slug="haiphong",
    agency_code="000.00.00.H26",
    place_name="Hải Phòng",
)
COMMUNES = [
    dict(
        kind="commune",
        name="Ủy ban nhân dân xã Đức Xương",
        short_name="xã Đức Xương",
        slug="ducxuong",
        agency_code="000.21.31.H26",
        place_name="Đức Xương",
        # Since 1/7/2025 the commune's one-stop unit is a public administration
        # service centre; the second commune keeps the older "Bộ phận Một cửa".
        one_stop_name="Trung tâm Phục vụ hành chính công xã Đức Xương",
    ),
    dict(
        kind="commune",
        name="Ủy ban nhân dân xã Gia Lộc",
        short_name="xã Gia Lộc",
        slug="gialoc",
        agency_code="000.22.31.H26",
        place_name="Gia Lộc",
    ),
]
DEPARTMENTS = [
    ("vp-dang-uy-noi-vu", "Văn phòng Đảng ủy – Nội vụ", {"is_cchc_office": True}),
    ("vp-hdnd-ubnd", "Văn phòng HĐND – UBND", {"is_one_stop": True}),
    ("tu-phap-ho-tich", "Tư pháp – Hộ tịch", {}),
    ("tai-chinh-ke-toan", "Tài chính – Kế toán ngân sách", {}),
    ("van-hoa-xa-hoi", "Văn hóa xã hội – Văn hóa thông tin", {}),
    ("dia-chinh-xay-dung", "Địa chính – Xây dựng", {}),
    ("dai-truyen-thanh", "Đài truyền thanh xã", {}),
]
# username, full name, role, department code (None: none), position
USERS = [
    ("chutich", "Đỗ Trọng Tuệ", Role.CHAIRMAN, None, "Chủ tịch UBND xã"),
    ("phochutich", "Nguyễn Thị Hà", Role.VICE_CHAIRMAN, None, "Phó Chủ tịch UBND xã"),
    (
        "vanphong",
        "Phạm Thị Lan",
        Role.CCHC_OFFICE,
        "vp-dang-uy-noi-vu",
        "Công chức Văn phòng – Thống kê (Nội vụ)",
    ),
    ("motcua", "Trần Văn Minh", Role.ONE_STOP_OFFICER, "vp-hdnd-ubnd", "Công chức Văn phòng – Thống kê"),
    ("tuphap", "Lê Thị Hồng", Role.DEPARTMENT_OFFICER, "tu-phap-ho-tich", "Công chức Tư pháp – Hộ tịch"),
    ("taichinh", "Vũ Văn Nam", Role.DEPARTMENT_OFFICER, "tai-chinh-ke-toan", "Công chức Tài chính – Kế toán"),
    ("vanhoa", "Đặng Thị Mai", Role.DEPARTMENT_OFFICER, "van-hoa-xa-hoi", "Công chức Văn hóa – Xã hội"),
    (
        "diachinh",
        "Hoàng Văn Đức",
        Role.DEPARTMENT_OFFICER,
        "dia-chinh-xay-dung",
        "Công chức Địa chính – Xây dựng",
    ),
    ("truyenthanh", "Bùi Văn Tâm", Role.DEPARTMENT_OFFICER, "dai-truyen-thanh", "Phụ trách Đài truyền thanh"),
]
HEADS = {
    "vp-dang-uy-noi-vu": "vanphong",
    "vp-hdnd-ubnd": "motcua",
    "tu-phap-ho-tich": "tuphap",
    "tai-chinh-ke-toan": "taichinh",
    "van-hoa-xa-hoi": "vanhoa",
    "dia-chinh-xay-dung": "diachinh",
    "dai-truyen-thanh": "truyenthanh",
}


def _unit(log: DemoLog, parent: Unit | None, data: dict) -> Unit:
    unit = Unit.objects.filter(slug=data["slug"]).first()
    if unit:
        if data.get("one_stop_name") and not unit.one_stop_name:  # demo databases made before the field
            unit.one_stop_name = data["one_stop_name"]
            unit.save(update_fields=["one_stop_name"])
        log.had(f"đơn vị {unit}")
        return unit
    unit = unit_create(parent=parent, **data)
    log.made(f"đơn vị {unit} (mã {unit.agency_code})")
    return unit


def _user(log: DemoLog, username: str, **kwargs) -> User:
    user = User.objects.filter(username=username).first()
    if user:
        log.had(f"tài khoản {username}")
        return user
    user = user_create(username=username, password=DEMO_PASSWORD, **kwargs)
    log.made(f"tài khoản {username} ({user.get_role_display()})")
    return user


def demo_commune() -> Unit:
    return Unit.objects.get(slug="ducxuong")


def load(log: DemoLog) -> None:
    province = _unit(log, None, PROVINCE)
    communes = [_unit(log, province, c) for c in COMMUNES]
    for commune in communes:
        for order, (code, name, flags) in enumerate(DEPARTMENTS, start=1):
            if Department.objects.filter(commune=commune, code=code).exists():
                log.had(f"bộ phận {name} ({commune})")
                continue
            Department.objects.create(commune=commune, code=code, name=name, order=order, **flags)
            log.made(f"bộ phận {name} ({commune})")
    ducxuong = communes[0]
    departments = {d.code: d for d in Department.objects.filter(commune=ducxuong)}
    admin = _user(log, "admin", full_name="Quản trị hệ thống", role=Role.ADMIN, unit=None, is_staff=True)
    if not admin.is_superuser:
        admin.is_superuser = True
        admin.save(update_fields=["is_superuser"])
    for username, full_name, role, dept, position in USERS:
        _user(
            log,
            username,
            full_name=full_name,
            role=role,
            unit=ducxuong,
            department=departments.get(dept) if dept else None,
            position=position,
        )
    _user(
        log,
        "captren",
        full_name="Ngô Văn Hải",
        role=Role.SUPERIOR_VIEWER,
        unit=province,
        position="Chuyên viên Sở Nội vụ",
    )
    for code, username in HEADS.items():
        dept = departments[code]
        if dept.head_id is None:
            dept.head = User.objects.get(username=username)
            dept.save(update_fields=["head", "search_key"])
