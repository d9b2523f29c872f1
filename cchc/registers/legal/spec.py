"""The legal-documents register's columns and import, and the annual
systematisation lists (hệ thống hóa) built from the register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from cchc.core import sheets
from cchc.core.exports import xlsx_tables
from cchc.core.sheets import Column

from ..common import registry
from ..common.lookups import Departments
from ..common.registry import ImportContext, ImportItem, RegisterSpec
from ..common.services import same
from . import services
from .models import (
    DocKind,
    DocStatus,
    Finding,
    Issuer,
    LegalDocument,
    LegalDocumentEvent,
    ReviewRound,
    looks_normative,
    number_key,
)

KIND_ALIASES = {"nq": DocKind.RESOLUTION, "qd": DocKind.DECISION, "ct": DocKind.DIRECTIVE, "kh": DocKind.PLAN}
ISSUER_ALIASES = {
    "hdnd": Issuer.COUNCIL,
    "hdnd xa": Issuer.COUNCIL,
    "hoi dong nhan dan": Issuer.COUNCIL,
    "ubnd": Issuer.COMMITTEE,
    "ubnd xa": Issuer.COMMITTEE,
    "uy ban nhan dan": Issuer.COMMITTEE,
    "chu tich": Issuer.CHAIRMAN,
    "chu tich ubnd": Issuer.CHAIRMAN,
    "chu tich ubnd xa": Issuer.CHAIRMAN,
}
STATUS_ALIASES = {
    "con hieu luc": DocStatus.IN_FORCE,
    "het hieu luc mot phan": DocStatus.AMENDED,
    "duoc sua doi": DocStatus.AMENDED,
    "duoc sua doi bo sung": DocStatus.AMENDED,
    "sua doi bo sung": DocStatus.AMENDED,
    "bi thay the": DocStatus.REPLACED,
    "thay the": DocStatus.REPLACED,
    "het hieu luc": DocStatus.EXPIRED,
    "het thoi han": DocStatus.EXPIRED,
    "het hieu luc toan bo": DocStatus.EXPIRED,
    "bi bai bo": DocStatus.ANNULLED,
    "bai bo": DocStatus.ANNULLED,
}
SHORT_STATUS = {
    DocStatus.IN_FORCE: "Còn hiệu lực",
    DocStatus.AMENDED: "Được sửa đổi, bổ sung",
    DocStatus.REPLACED: "Bị thay thế",
    DocStatus.EXPIRED: "Hết thời hạn",
    DocStatus.ANNULLED: "Bị bãi bỏ",
}


def _maybe_bool(value):
    return sheets.boolean(value)


COLUMNS = [
    Column(
        "number",
        "Số, ký hiệu",
        ("số hiệu", "số ký hiệu văn bản", "số văn bản"),
        sheets.text_of(60),
        needed=True,
    ),
    Column(
        "kind",
        "Loại văn bản",
        ("tên loại văn bản", "loại"),
        sheets.choice(DocKind, KIND_ALIASES),
        needed=True,
    ),
    Column("is_normative", "Văn bản QPPL", ("qppl", "quy phạm pháp luật"), _maybe_bool, empty=None),
    Column(
        "issuer",
        "Cơ quan ban hành",
        ("cơ quan", "nơi ban hành"),
        sheets.choice(Issuer, ISSUER_ALIASES),
        empty=None,
    ),
    Column(
        "issued_on",
        "Ngày ban hành",
        ("ngày, tháng, năm ban hành", "ngày ký"),
        sheets.day,
        needed=True,
        empty=None,
    ),
    Column(
        "subject",
        "Trích yếu",
        ("tên gọi của văn bản", "trích yếu nội dung", "tên văn bản"),
        sheets.text_of(500),
        needed=True,
    ),
    Column("signer", "Người ký", (), sheets.text_of(150)),
    Column(
        "effective_from",
        "Ngày có hiệu lực",
        ("thời điểm có hiệu lực", "hiệu lực từ ngày"),
        sheets.day,
        empty=None,
    ),
    Column(
        "status",
        "Tình trạng",
        ("tình trạng hiệu lực", "hiệu lực"),
        sheets.choice(DocStatus, STATUS_ALIASES),
        empty=DocStatus.IN_FORCE,
    ),
    Column("ended_on", "Ngày hết hiệu lực", ("thời điểm hết hiệu lực",), sheets.day, empty=None),
    Column(
        "change_ref",
        "Văn bản sửa đổi, thay thế, bãi bỏ",
        ("văn bản thay thế", "văn bản bãi bỏ"),
        sheets.text_of(120),
    ),
    Column("status_note", "Lý do, nội dung hết hiệu lực", ("lý do hết hiệu lực",), sheets.text_of(300)),
    Column("department", "Bộ phận soạn thảo", ("bộ phận", "cơ quan soạn thảo")),
    Column("note", "Ghi chú", (), sheets.block),
]


def export_row(d: LegalDocument) -> list:
    return [
        d.number,
        d.get_kind_display(),
        "Có" if d.is_normative else "Không",
        d.get_issuer_display(),
        d.issued_on,
        d.subject,
        d.signer,
        d.effective_from,
        SHORT_STATUS[d.status],
        d.ended_on,
        d.changed_by.number if d.changed_by_id else d.change_ref,
        d.status_note,
        d.department.name if d.department else "",
        d.note,
    ]


def plan_import(ctx: ImportContext) -> list[ImportItem]:
    departments = Departments(ctx.commune)
    existing = {
        d.number_key: d
        for d in LegalDocument.objects.filter(commune=ctx.commune).select_related("department", "changed_by")
    }
    seen: dict[str, int] = {}
    items: list[ImportItem] = []
    for row in ctx.sheet.rows:
        if row.errors:
            continue
        values = {name: row[name] for name in services.DOCUMENT_FIELDS if name != "department"}
        values["department"] = departments.find(row["department"], row)
        if values["is_normative"] is None:
            values["is_normative"] = looks_normative(values["number"])
        if values["issuer"] is None:
            values["issuer"] = Issuer.COUNCIL if values["kind"] == DocKind.RESOLUTION else Issuer.COMMITTEE
        status = {name: row[name] for name in services.STATUS_FIELDS}
        if row.errors:
            continue
        try:
            values = services.clean_document(values, commune=ctx.commune)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                for message in messages:
                    row.error(message[0].lower() + message[1:])
            continue
        key = number_key(values["number"])
        if key in seen:
            row.error(f"số {values['number']} trùng với dòng {seen[key]}.")
        else:
            seen[key] = row.line
        for message in services.check_status(status).values():
            row.error(message)
        if status["ended_on"] and status["ended_on"] < values["issued_on"]:
            row.error("ngày hết hiệu lực trước ngày ban hành.")
        if row.errors:
            continue
        record = existing.get(key)
        text = f"{DocKind(values['kind']).label} {values['number']} ngày {values['issued_on']:%d/%m/%Y}: {values['subject'][:90]}"
        details = SHORT_STATUS[status["status"]]
        if record is None:
            items.append(ImportItem(row.line, "create", text, _writer(ctx, None, values, status), details))
            continue
        current = {
            "status": record.status,
            "ended_on": record.ended_on,
            "change_ref": record.changed_by.number if record.changed_by_id else record.change_ref,
            "status_note": record.status_note,
        }
        if same(record, values) and {k: current[k] for k in status} == status:
            items.append(ImportItem(row.line, "unchanged", text, details=details))
        else:
            items.append(ImportItem(row.line, "update", text, _writer(ctx, record, values, status), details))
    ctx.after.append(lambda: services.link_changers(ctx.commune))
    return items


def _writer(ctx: ImportContext, record, values: dict, status: dict):
    return lambda: services.document_import(
        user=ctx.user, commune=ctx.commune, document=record, values=values, status=status
    )


# --- the annual systematisation lists -------------------------------------------------------------
@dataclass
class Systematisation:
    year: int
    as_of: date
    in_force: list[LegalDocument]
    ended: list[LegalDocument]  # fully out of force during the year
    amended: list[tuple[LegalDocument, LegalDocumentEvent]]  # amended in part during the year


def systematisation(commune, year: int) -> Systematisation:
    """The commune's legal normative documents as at 31/12 of `year`: those in force
    (wholly or in part), those that ceased to be in force during the year, and those
    amended in part during the year."""
    as_of = date(year, 12, 31)
    base = LegalDocument.objects.normative().filter(commune=commune).select_related("changed_by")
    in_force = list(base.in_force_on(as_of).order_by("issued_on", "number"))
    ended = list(
        base.filter(ended_on__gte=date(year, 1, 1), ended_on__lte=as_of).order_by("ended_on", "number")
    )
    events = (
        LegalDocumentEvent.objects.filter(
            document__in=base, action="amend", on__gte=date(year, 1, 1), on__lte=as_of
        )
        .select_related("document", "changed_by")
        .order_by("on", "id")
    )
    return Systematisation(year, as_of, in_force, ended, [(e.document, e) for e in events])


def _when(d: LegalDocument) -> str:
    return f"{d.number} ngày {d.issued_on:%d/%m/%Y}"


def systematisation_xlsx(commune, year: int) -> bytes:
    """The three lists as one workbook, in the columns of the systematisation
    forms (kind, number and date, title, dates, reason)."""
    lists = systematisation(commune, year)
    in_force_rows = [
        [
            i,
            d.get_kind_display(),
            _when(d),
            d.subject,
            d.effective_from or d.issued_on,
            f"Được sửa đổi, bổ sung bởi {d.changed_by_display}" if d.status == DocStatus.AMENDED else "",
        ]
        for i, d in enumerate(lists.in_force, start=1)
    ]
    reasons = {
        DocStatus.REPLACED: "Bị thay thế bởi",
        DocStatus.ANNULLED: "Bị bãi bỏ bởi",
        DocStatus.EXPIRED: "Hết thời hạn có hiệu lực",
    }
    ended_rows = [
        [
            i,
            d.get_kind_display(),
            _when(d),
            d.subject,
            " ".join(p for p in (reasons.get(d.status, ""), d.changed_by_display, d.status_note) if p),
            d.ended_on,
        ]
        for i, d in enumerate(lists.ended, start=1)
    ]
    amended_rows = [
        [
            i,
            d.get_kind_display(),
            _when(d),
            d.subject,
            e.note or "",
            f"Sửa đổi, bổ sung bởi {e.changed_by_display}",
            e.on,
        ]
        for i, (d, e) in enumerate(lists.amended, start=1)
    ]
    head = [
        "STT",
        "Tên loại văn bản",
        "Số, ký hiệu; ngày, tháng, năm ban hành",
        "Tên gọi (trích yếu) của văn bản",
    ]
    tables = [
        (
            f"I. DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT CÒN HIỆU LỰC ĐẾN NGÀY {lists.as_of:%d/%m/%Y}",
            head + ["Thời điểm có hiệu lực", "Ghi chú"],
            in_force_rows,
        ),
        (
            f"II. DANH MỤC VĂN BẢN HẾT HIỆU LỰC TOÀN BỘ TRONG NĂM {year}",
            head + ["Lý do hết hiệu lực", "Ngày hết hiệu lực"],
            ended_rows,
        ),
        (
            f"III. DANH MỤC VĂN BẢN HẾT HIỆU LỰC MỘT PHẦN TRONG NĂM {year}",
            head + ["Nội dung hết hiệu lực", "Lý do", "Ngày hết hiệu lực"],
            amended_rows,
        ),
    ]
    return xlsx_tables(
        f"KẾT QUẢ HỆ THỐNG HÓA VĂN BẢN QPPL NĂM {year}",
        tables,
        subtitle=f"{commune.name} · văn bản do HĐND, UBND xã ban hành, tính đến ngày {lists.as_of:%d/%m/%Y}",
        widths=[6, 14, 26, 50, 24, 22, 14],
    )


SPEC = registry.register(
    RegisterSpec(
        key="legal",
        label="Sổ theo dõi văn bản QPPL, quyết định hành chính của xã",
        short_label="Văn bản của xã",
        model=LegalDocument,
        manage_perm="registers.manage_legal",
        columns=COLUMNS,
        export_row=export_row,
        plan_import=plan_import,
        export_title="SỔ THEO DÕI VĂN BẢN QUY PHẠM PHÁP LUẬT, QUYẾT ĐỊNH HÀNH CHÍNH CỦA XÃ",
        export_widths=[18, 12, 8, 18, 11, 50, 18, 11, 14, 11, 18, 24, 18, 24],
        import_help=(
            "Mỗi dòng một văn bản; số, ký hiệu không được trùng. Cột “Văn bản QPPL” để trống thì số có năm "
            "(05/2024/QĐ-UBND) được coi là văn bản quy phạm pháp luật, số không có năm (125/QĐ-UBND) là quyết định "
            "hành chính. Văn bản sửa đổi, thay thế, bãi bỏ ghi theo số; nếu có trong sổ (hoặc trong tệp) sẽ được liên kết."
        ),
        nav_order=60,
        extra={"models": (ReviewRound, Finding)},
    )
)
