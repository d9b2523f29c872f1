"""The procedure-review register's columns and import."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cchc.core import sheets
from cchc.core.sheets import Column
from cchc.procedures.models import Procedure

from ..common import registry
from ..common.lookups import Departments
from ..common.registry import ImportContext, ImportItem, RegisterSpec
from ..common.services import same
from . import services
from .models import ProcedureReview, Proposal, ReviewStatus

PROPOSAL_ALIASES = {
    "giu nguyen": Proposal.KEEP,
    "khong kien nghi": Proposal.KEEP,
    "don gian hoa": Proposal.SIMPLIFY,
    "sua doi": Proposal.SIMPLIFY,
    "sua doi bo sung": Proposal.SIMPLIFY,
    "bai bo": Proposal.ABOLISH,
    "huy bo": Proposal.ABOLISH,
    "gop": Proposal.MERGE,
    "hop nhat": Proposal.MERGE,
}
STATUS_ALIASES = {
    "chua gui": ReviewStatus.REVIEWED,
    "da ra soat": ReviewStatus.REVIEWED,
    "da gui": ReviewStatus.SENT,
    "cho tra loi": ReviewStatus.SENT,
    "chap nhan": ReviewStatus.ACCEPTED,
    "duoc chap nhan": ReviewStatus.ACCEPTED,
    "da thuc thi": ReviewStatus.ACCEPTED,
    "chap nhan mot phan": ReviewStatus.PARTLY,
    "mot phan": ReviewStatus.PARTLY,
    "khong chap nhan": ReviewStatus.REJECTED,
    "khong duoc chap nhan": ReviewStatus.REJECTED,
}


def procedure_code(value) -> str:
    """A national code typed into Excel as a number (1.001193) keeps its six decimals."""
    if isinstance(value, float):
        return f"{value:.6f}"
    return sheets.text(value, 40)


COLUMNS = [
    Column("code", "Mã TTHC", ("mã thủ tục", "mã số", "mã"), procedure_code, needed=True),
    Column("name", "Tên thủ tục", ("tên tthc", "thủ tục"), sheets.text),
    Column("reviewed_on", "Ngày rà soát", ("ngày",), sheets.day, needed=True, empty=None),
    Column("round", "Đợt, kế hoạch rà soát", ("đợt rà soát", "kế hoạch rà soát"), sheets.text_of(200)),
    Column("department", "Bộ phận rà soát", ("bộ phận", "người rà soát")),
    Column("findings", "Nội dung rà soát", ("vướng mắc, bất cập", "kết quả rà soát"), sheets.block),
    Column(
        "proposal",
        "Phương án",
        ("phương án đơn giản hóa", "đề xuất"),
        sheets.choice(Proposal, PROPOSAL_ALIASES),
        needed=True,
    ),
    Column("proposal_text", "Nội dung kiến nghị", ("kiến nghị", "nội dung đề xuất"), sheets.block),
    Column(
        "cost_before",
        "Chi phí trước (đồng/năm)",
        ("chi phí tuân thủ trước", "chi phí trước"),
        sheets.amount,
        empty=None,
    ),
    Column(
        "cost_after",
        "Chi phí sau (đồng/năm)",
        ("chi phí tuân thủ sau", "chi phí sau"),
        sheets.amount,
        empty=None,
    ),
    Column("sent_to", "Gửi cơ quan", ("cơ quan nhận kiến nghị", "nơi gửi"), sheets.text_of(200)),
    Column("sent_on", "Ngày gửi", ("ngày gửi kiến nghị",), sheets.day, empty=None),
    Column("sent_ref", "Số văn bản kiến nghị", ("văn bản kiến nghị", "số công văn"), sheets.text_of(100)),
    Column(
        "status",
        "Kết quả",
        ("kết quả xử lý kiến nghị", "tình trạng"),
        sheets.choice(ReviewStatus, STATUS_ALIASES),
        empty=ReviewStatus.REVIEWED,
    ),
    Column("outcome_on", "Ngày có kết quả", ("ngày trả lời",), sheets.day, empty=None),
    Column(
        "outcome_ref", "Văn bản trả lời, quyết định", ("văn bản trả lời", "quyết định"), sheets.text_of(200)
    ),
    Column("outcome_note", "Ghi chú kết quả", ("ghi chú",), sheets.block),
]
SHORT_STATUS = {
    ReviewStatus.REVIEWED: "Chưa gửi",
    ReviewStatus.SENT: "Đã gửi",
    ReviewStatus.ACCEPTED: "Chấp nhận",
    ReviewStatus.PARTLY: "Chấp nhận một phần",
    ReviewStatus.REJECTED: "Không chấp nhận",
}


def export_row(r: ProcedureReview) -> list:
    return [
        r.procedure.code,
        r.procedure.name,
        r.reviewed_on,
        r.round,
        r.department.name if r.department else "",
        r.findings,
        r.get_proposal_display(),
        r.proposal_text,
        r.cost_before,
        r.cost_after,
        r.sent_to,
        r.sent_on,
        r.sent_ref,
        SHORT_STATUS[r.status],
        r.outcome_on,
        r.outcome_ref,
        r.outcome_note,
    ]


def plan_import(ctx: ImportContext) -> list[ImportItem]:
    departments = Departments(ctx.commune)
    procedures = {p.code: p for p in Procedure.objects.filter(commune=ctx.commune)}
    existing = {
        (r.procedure_id, r.reviewed_on): r
        for r in ProcedureReview.objects.filter(commune=ctx.commune).select_related("procedure", "department")
    }
    seen: dict[tuple, int] = {}
    items: list[ImportItem] = []
    for row in ctx.sheet.rows:
        if row.errors:
            continue
        code = row["code"]
        procedure = procedures.get(code)
        if procedure is None:
            row.error(f"mã TTHC {code} không có trong danh mục thủ tục của xã (nhập danh mục trước).")
            continue
        values = {name: row[name] for name in services.FIELDS if name not in ("procedure", "department")}
        values["procedure"] = procedure
        values["department"] = departments.find(row["department"], row)
        outcome = {name: row[name] for name in services.OUTCOME_FIELDS}
        if row.errors:
            continue
        try:
            values = services.clean_values(values, commune=ctx.commune, status=ReviewStatus.REVIEWED)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                for message in messages:
                    row.error(message[0].lower() + message[1:])
            continue
        for message in services.check_outcome(outcome, values["proposal"]).values():
            row.error(message)
        if row.errors:
            continue
        key = (procedure.pk, values["reviewed_on"])
        if key in seen:
            row.error(f"trùng với dòng {seen[key]} (cùng thủ tục, cùng ngày rà soát).")
            continue
        seen[key] = row.line
        record = existing.get(key)
        text = f"{procedure.code} – {procedure.name[:80]}: {Proposal(values['proposal']).label}"
        details = SHORT_STATUS[outcome["status"]]
        if record is None:
            items.append(ImportItem(row.line, "create", text, _writer(ctx, None, values, outcome), details))
        elif same(record, values) and same(record, {k: v for k, v in outcome.items()}):
            items.append(ImportItem(row.line, "unchanged", text, details=details))
        else:
            items.append(ImportItem(row.line, "update", text, _writer(ctx, record, values, outcome), details))
    return items


def _writer(ctx: ImportContext, record, values: dict, outcome: dict):
    return lambda: services.review_import(
        user=ctx.user, commune=ctx.commune, review=record, values=values, outcome=outcome
    )


SPEC = registry.register(
    RegisterSpec(
        key="procedure_reviews",
        label="Sổ theo dõi rà soát, kiến nghị đơn giản hóa TTHC",
        short_label="Rà soát TTHC",
        model=ProcedureReview,
        manage_perm="registers.manage_procedure_review",
        columns=COLUMNS,
        export_row=export_row,
        plan_import=plan_import,
        export_title="SỔ THEO DÕI RÀ SOÁT, KIẾN NGHỊ ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH",
        export_widths=[11, 36, 11, 20, 18, 30, 16, 36, 13, 13, 20, 11, 14, 14, 11, 20, 24],
        import_help=(
            "Mỗi dòng một thủ tục được rà soát trong một ngày; thủ tục tìm theo mã TTHC trong danh mục của xã. "
            "Cột “Kết quả”: Chưa gửi, Đã gửi, Chấp nhận, Chấp nhận một phần, Không chấp nhận."
        ),
        nav_order=62,
    )
)
