"""The inspection register's sheet: one row per recommendation, the inspection's
columns repeated on each of its rows (an inspection without recommendations is
one row with those columns empty)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from cchc.core import sheets
from cchc.core.sheets import Column, SheetRow
from cchc.core.text import search_key

from ..common import registry
from ..common.lookups import Departments
from ..common.registry import ImportContext, ImportItem, RegisterSpec
from . import services
from .models import Inspection, InspectionStatus, Kind, Recommendation, RecommendationStatus

KIND_ALIASES = {
    "cchc": Kind.CCHC,
    "kiem tra cchc": Kind.CCHC,
    "tthc": Kind.PROCEDURES,
    "giai quyet tthc": Kind.PROCEDURES,
    "kiem tra tthc": Kind.PROCEDURES,
    "cong vu": Kind.DISCIPLINE,
    "ky luat ky cuong": Kind.DISCIPLINE,
    "khac": Kind.OTHER,
}

INSPECTION_COLUMNS = [
    Column(
        "subject",
        "Đơn vị được kiểm tra",
        ("bộ phận được kiểm tra", "đối tượng kiểm tra"),
        sheets.text_of(200),
        needed=True,
    ),
    Column(
        "kind", "Hình thức", ("nội dung", "loại kiểm tra"), sheets.choice(Kind, KIND_ALIASES), empty=Kind.CCHC
    ),
    Column("scope", "Nội dung kiểm tra", ("phạm vi kiểm tra",), sheets.block),
    Column("planned", "Theo kế hoạch", ("kế hoạch",), sheets.boolean, empty=None),
    Column("planned_on", "Thời gian dự kiến", ("thời gian theo kế hoạch", "dự kiến"), sheets.day, empty=None),
    Column("conducted_on", "Ngày kiểm tra", ("ngày thực hiện", "thời gian kiểm tra"), sheets.day, empty=None),
    Column("team_lead", "Trưởng đoàn", ("người kiểm tra",), sheets.text_of(150)),
    Column("findings", "Kết quả kiểm tra", ("kết quả", "tồn tại, hạn chế"), sheets.block),
    Column(
        "conclusion_ref",
        "Kết luận, báo cáo (số, ngày)",
        ("kết luận", "thông báo kết luận"),
        sheets.text_of(120),
    ),
]
RECOMMENDATION_COLUMNS = [
    Column("text", "Kiến nghị", ("nội dung kiến nghị", "yêu cầu khắc phục"), sheets.block),
    Column("department", "Bộ phận thực hiện kiến nghị", ("bộ phận thực hiện", "đơn vị thực hiện")),
    Column("due_on", "Hạn thực hiện", ("thời hạn",), sheets.day, empty=None),
    Column("handled_on", "Ngày hoàn thành", ("ngày thực hiện xong",), sheets.day, empty=None),
    Column("result", "Kết quả thực hiện kiến nghị", ("kết quả khắc phục",), sheets.block),
]
COLUMNS = INSPECTION_COLUMNS + RECOMMENDATION_COLUMNS


def _inspection_cells(i: Inspection) -> list:
    return [
        i.subject,
        i.get_kind_display(),
        i.scope,
        "Có" if i.is_planned else "Không",
        i.planned_on,
        i.conducted_on if i.status == InspectionStatus.DONE else None,
        i.team_lead,
        i.findings,
        i.conclusion_ref,
    ]


def export_rows(qs) -> list[list]:
    rows = []
    for inspection in qs.prefetch_related("recommendations__department"):
        head = _inspection_cells(inspection)
        recs = list(inspection.recommendations.all())
        if not recs:
            rows.append(head + [""] * len(RECOMMENDATION_COLUMNS))
        for r in recs:
            rows.append(
                head
                + [
                    r.text,
                    r.department.name if r.department else "",
                    r.due_on,
                    r.handled_on if r.status == RecommendationStatus.DONE else None,
                    r.result,
                ]
            )
    return rows


def _errors_into(row: SheetRow, exc: ValidationError) -> None:
    for messages in exc.message_dict.values():
        for message in messages:
            row.error(message[0].lower() + message[1:])


def _key(subject: str, when) -> tuple:
    return (search_key(subject), when)


def plan_import(ctx: ImportContext) -> list[ImportItem]:
    departments = Departments(ctx.commune)
    existing = {}
    for i in Inspection.objects.filter(commune=ctx.commune).prefetch_related("recommendations"):
        existing[_key(i.subject, i.planned_on or i.conducted_on)] = i
    groups: dict[tuple, list[SheetRow]] = {}
    for row in ctx.sheet.rows:
        if row.errors:
            continue
        when = row["planned_on"] or row["conducted_on"]
        if when is None:
            row.error("cần thời gian dự kiến (kiểm tra theo kế hoạch) hoặc ngày kiểm tra.")
            continue
        groups.setdefault(_key(row["subject"], when), []).append(row)
    items: list[ImportItem] = []
    for key, rows in groups.items():
        first = rows[0]
        for row in rows[1:]:
            differ = [c.label.lower() for c in INSPECTION_COLUMNS if row[c.key] != first[c.key]]
            if differ:
                row.error(f"cùng cuộc kiểm tra với dòng {first.line} nhưng khác {', '.join(differ)}.")
        planned = first["planned"] if first["planned"] is not None else first["planned_on"] is not None
        values = {name: first[name] for name in services.INSPECTION_FIELDS if name != "department"}
        values["department"] = departments.match(first["subject"])
        result = {name: first[name] for name in services.RESULT_FIELDS}
        if planned and first["planned_on"] is None:
            values["planned_on"] = first["conducted_on"]
        if not planned:
            values["planned_on"] = None
        try:
            values = services.clean_inspection(values, commune=ctx.commune)
        except ValidationError as exc:
            _errors_into(first, exc)
        if result["conducted_on"] and not result["findings"]:
            first.error("đã kiểm tra thì cần ghi kết quả kiểm tra.")
        if not planned and not result["conducted_on"]:
            first.error("kiểm tra đột xuất cần ngày kiểm tra.")
        if result["conducted_on"] and result["conducted_on"] > timezone.localdate():
            first.error("ngày kiểm tra không được sau hôm nay.")
        recommendations = []
        for row in rows:
            if not row["text"]:
                if row["due_on"] or row["handled_on"]:
                    row.error("có hạn hoặc ngày hoàn thành nhưng thiếu nội dung kiến nghị.")
                continue
            if not result["conducted_on"]:
                row.error("kiến nghị chỉ có ở cuộc kiểm tra đã thực hiện (ghi ngày kiểm tra).")
                continue
            department = departments.find(row["department"], row)
            if row["due_on"] is None:
                row.error("kiến nghị cần hạn thực hiện.")
                continue
            if row["due_on"] < result["conducted_on"]:
                row.error("hạn thực hiện trước ngày kiểm tra.")
            if row["handled_on"] and row["handled_on"] < result["conducted_on"]:
                row.error("ngày hoàn thành trước ngày kiểm tra.")
            recommendations.append(
                {
                    "values": {"text": row["text"], "department": department, "due_on": row["due_on"]},
                    "handled_on": row["handled_on"],
                    "result": row["result"],
                }
            )
        if any(r.errors for r in rows):
            continue
        record = existing.get(key)
        text = f"{values['subject']} ({(values.get('planned_on') or result['conducted_on']):%d/%m/%Y})"
        details = ("Theo kế hoạch" if planned else "Đột xuất") + f"; {len(recommendations)} kiến nghị"
        if record is None:
            items.append(
                ImportItem(
                    first.line,
                    "create",
                    text,
                    _writer(ctx, None, values, result, planned, recommendations),
                    details,
                )
            )
        elif _unchanged(record, values, result, recommendations):
            items.append(ImportItem(first.line, "unchanged", text, details=details))
        else:
            items.append(
                ImportItem(
                    first.line,
                    "update",
                    text,
                    _writer(ctx, record, values, result, planned, recommendations),
                    details,
                )
            )
    return sorted(items, key=lambda i: i.line)


def _unchanged(record: Inspection, values: dict, result: dict, recommendations: list[dict]) -> bool:
    if any(getattr(record, k) != v for k, v in values.items()):
        return False
    if result["conducted_on"] and (
        record.status != InspectionStatus.DONE or any(getattr(record, k) != v for k, v in result.items())
    ):
        return False
    lines = {r.text: r for r in record.recommendations.all()}
    for item in recommendations:
        line = lines.get(item["values"]["text"])
        if line is None or any(getattr(line, k) != v for k, v in item["values"].items()):
            return False
        if item["handled_on"] and line.status != RecommendationStatus.DONE:
            return False
    return True


def _writer(ctx, record, values, result, planned, recommendations):
    return lambda: services.inspection_import(
        user=ctx.user,
        commune=ctx.commune,
        inspection=record,
        values=dict(values),
        result=result,
        planned=planned,
        recommendations=recommendations,
    )


SPEC = registry.register(
    RegisterSpec(
        key="inspections",
        label="Sổ theo dõi kiểm tra CCHC và kiến nghị sau kiểm tra",
        short_label="Kiểm tra CCHC",
        model=Inspection,
        manage_perm="registers.manage_inspection",
        columns=COLUMNS,
        export_row=_inspection_cells,
        export_rows=export_rows,
        plan_import=plan_import,
        export_title="SỔ THEO DÕI KIỂM TRA CẢI CÁCH HÀNH CHÍNH VÀ THỰC HIỆN KIẾN NGHỊ SAU KIỂM TRA",
        export_widths=[24, 20, 30, 9, 11, 11, 16, 36, 18, 36, 20, 11, 11, 30],
        import_help=(
            "Mỗi dòng một kiến nghị; các cột của cuộc kiểm tra ghi lặp lại ở mỗi dòng (cùng đơn vị được kiểm tra và "
            "cùng thời gian là một cuộc). Cuộc kiểm tra theo kế hoạch được thêm vào kế hoạch kiểm tra của năm "
            "(tự tạo nếu chưa có). Kiến nghị có ngày hoàn thành được ghi là đã thực hiện xong vào ngày đó."
        ),
        nav_order=61,
        extra={"models": (Recommendation,)},
    )
)
