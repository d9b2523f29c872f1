"""The communication register's columns (the same for export and import) and
how an imported row becomes an item."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cchc.core import sheets
from cchc.core.sheets import Column
from cchc.core.text import search_key

from ..common import registry
from ..common.lookups import Departments
from ..common.registry import ImportContext, ImportItem, RegisterSpec
from ..common.services import same
from . import services
from .models import Channel, CommunicationItem, Topic

CHANNEL_ALIASES = {
    "tin": Channel.NEWS,
    "tin bai": Channel.NEWS,
    "bai viet": Channel.NEWS,
    "trang thong tin dien tu": Channel.NEWS,
    "cong thong tin dien tu": Channel.NEWS,
    "website": Channel.NEWS,
    "phat thanh": Channel.RADIO,
    "truyen thanh": Channel.RADIO,
    "dai truyen thanh": Channel.RADIO,
    "loa truyen thanh": Channel.RADIO,
    "hoi nghi": Channel.CONFERENCE,
    "toa dam": Channel.CONFERENCE,
    "tap huan": Channel.CONFERENCE,
    "pano": Channel.VISUAL,
    "ap phich": Channel.VISUAL,
    "bang ron": Channel.VISUAL,
    "khau hieu": Channel.VISUAL,
    "to roi": Channel.PRINT,
    "tai lieu": Channel.PRINT,
    "zalo": Channel.SOCIAL,
    "facebook": Channel.SOCIAL,
    "mang xa hoi": Channel.SOCIAL,
    "khac": Channel.OTHER,
}
TOPIC_ALIASES = {
    "cchc": Topic.GENERAL,
    "cai cach hanh chinh": Topic.GENERAL,
    "tthc": Topic.PROCEDURES,
    "thu tuc hanh chinh": Topic.PROCEDURES,
    "mot cua": Topic.PROCEDURES,
    "dich vu cong truc tuyen": Topic.PROCEDURES,
    "chuyen doi so": Topic.DIGITAL,
    "chinh quyen so": Topic.DIGITAL,
    "chinh quyen dien tu": Topic.DIGITAL,
    "van hoa cong vu": Topic.CIVIL_SERVICE,
    "pho bien phap luat": Topic.LAW,
    "khac": Topic.OTHER,
}

COLUMNS = [
    Column(
        "on",
        "Ngày thực hiện",
        ("ngày", "ngày đăng", "ngày phát", "thời gian"),
        sheets.day,
        needed=True,
        empty=None,
    ),
    Column(
        "channel",
        "Hình thức",
        ("hình thức tuyên truyền", "kênh", "loại"),
        sheets.choice(Channel, CHANNEL_ALIASES),
        needed=True,
    ),
    Column(
        "title",
        "Tiêu đề",
        ("tên tin, bài", "tên tin bài", "tên hoạt động", "nội dung tuyên truyền"),
        sheets.text_of(300),
        needed=True,
    ),
    Column("topic", "Chủ đề", ("lĩnh vực",), sheets.choice(Topic, TOPIC_ALIASES), empty=Topic.GENERAL),
    Column("duration_minutes", "Thời lượng (phút)", ("thời lượng", "số phút"), sheets.integer, empty=None),
    Column("times", "Số lần phát, đăng", ("số lần", "số lần phát", "số buổi"), sheets.integer, empty=1),
    Column("audience", "Số người tham dự", ("số người", "số lượt người"), sheets.integer, empty=None),
    Column("quantity", "Số lượng (bản, chiếc)", ("số lượng",), sheets.integer, empty=None),
    Column("place", "Địa điểm", (), sheets.text_of(200)),
    Column("department", "Bộ phận thực hiện", ("bộ phận", "đơn vị thực hiện", "người thực hiện")),
    Column("summary", "Tóm tắt", ("tóm tắt nội dung",), sheets.block),
    Column("link", "Đường dẫn", ("link", "url"), sheets.text_of(500)),
    Column("is_public", "Đăng công khai", ("công khai",), sheets.boolean, empty=False),
]


def export_row(item: CommunicationItem) -> list:
    return [
        item.on,
        item.get_channel_display(),
        item.title,
        item.get_topic_display(),
        item.duration_minutes,
        item.times,
        item.audience,
        item.quantity,
        item.place,
        item.department.name if item.department else "",
        item.summary,
        item.link,
        "Có" if item.is_public else "Không",
    ]


def natural_key(channel: str, on, title: str) -> tuple:
    return (channel, on, search_key(title))


def plan_import(ctx: ImportContext) -> list[ImportItem]:
    departments = Departments(ctx.commune)
    existing = {
        natural_key(i.channel, i.on, i.title): i
        for i in CommunicationItem.objects.filter(commune=ctx.commune).select_related("department")
    }
    seen: dict[tuple, int] = {}
    items: list[ImportItem] = []
    for row in ctx.sheet.rows:
        if row.errors:
            continue
        values = {c.key: row[c.key] for c in COLUMNS}
        values["department"] = departments.find(values["department"], row)
        if row.errors:
            continue
        try:
            values = services.clean_values(values, commune=ctx.commune)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                for message in messages:
                    row.error(message[0].lower() + message[1:])
            continue
        key = natural_key(values["channel"], values["on"], values["title"])
        if key in seen:
            row.error(f"trùng với dòng {seen[key]} (cùng ngày, hình thức và tiêu đề).")
            continue
        seen[key] = row.line
        record = existing.get(key)
        text = f"{values['on']:%d/%m/%Y} · {Channel(values['channel']).label}: {values['title']}"
        if record is None:
            items.append(ImportItem(row.line, "create", text, _creator(ctx, values)))
        elif same(record, values):
            items.append(ImportItem(row.line, "unchanged", text))
        else:
            items.append(ImportItem(row.line, "update", text, _updater(ctx, record, values)))
    return items


def _creator(ctx: ImportContext, values: dict):
    return lambda: services.communication_save(user=ctx.user, commune=ctx.commune, **values)


def _updater(ctx: ImportContext, record: CommunicationItem, values: dict):
    return lambda: services.communication_save(user=ctx.user, item=record, **values)


SPEC = registry.register(
    RegisterSpec(
        key="communication",
        label="Sổ theo dõi tuyên truyền CCHC",
        short_label="Tuyên truyền CCHC",
        model=CommunicationItem,
        manage_perm="registers.manage_communication",
        columns=COLUMNS,
        export_row=export_row,
        plan_import=plan_import,
        export_title="SỔ THEO DÕI CÔNG TÁC TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH",
        export_widths=[12, 22, 40, 22, 10, 9, 10, 10, 18, 22, 40, 24, 10],
        import_help=(
            "Mỗi dòng một tin, bài, buổi phát thanh, hội nghị hoặc đợt treo pano. Tin phát thanh cần thời "
            "lượng (phút). Dòng trùng ngày, hình thức và tiêu đề với sổ sẽ được cập nhật, không thêm mới."
        ),
        nav_order=65,
    )
)
