"""The legal forms 01–06 (TT 01/2018, TT 03/2025 appendix I), filled from a dossier,
as one neutral structure (`FormDoc`) rendered both as print-ready A5 HTML (template
`dossiers/form_print.html`) and as .docx; the register (form 07) and the statistics
as .xlsx.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from cchc.core.workcal import TZ

from .models import Action, Dossier, Status

FORM_TITLES = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "05": "PHIẾU DỪNG XỬ LÝ HỒ SƠ",
    "06": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}


@dataclass
class FormDoc:
    number: str
    title: str
    agency: str
    agency_sub: str
    place_date: str
    code: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    list_title: str = ""
    items: list[str] = field(default_factory=list)
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    signatures: list[tuple[str, str]] = field(default_factory=list)
    qr_url: str = ""
    qr_svg: str = ""
    legal_basis: str = ""

    @property
    def filename(self) -> str:
        if self.number == "DG":
            return f"phieu-danh-gia-{self.code}.docx"
        return f"mau-{self.number}-{self.code}.docx"


def lookup_url(code: str) -> str:
    """The public look-up link printed as a QR code on form 01."""
    try:
        path = reverse("portal:lookup")
    except NoReverseMatch:  # the portal app not installed: its documented address
        path = "/cong-khai/tra-cuu/"
    return f"{settings.PUBLIC_BASE_URL}{path}?ma={code}"


def qr_svg(data: str) -> str:
    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = img.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]


def qr_png(data: str, scale: int = 6) -> bytes:
    """A black-and-white PNG of the QR code, written with zlib (no imaging library)."""
    qr = qrcode.QRCode(border=2)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix) * scale
    raw = bytearray()
    for row in matrix:
        line = bytearray([0])  # filter type 0 per scanline
        for cell in row:
            line.extend([0 if cell else 255] * scale)
        raw.extend(bytes(line) * scale)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


def _dt(value: datetime | None) -> str:
    return f"{value.astimezone(TZ):%H giờ %M phút, ngày %d/%m/%Y}" if value else ""


def _d(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _day(value: datetime | None) -> str:
    return _d(value.astimezone(TZ).date()) if value else ""


def _place_date(dossier: Dossier, when: datetime | date | None) -> str:
    if isinstance(when, datetime):
        when = when.astimezone(TZ).date()
    when = when or date.today()
    place = dossier.commune.place_name or str(dossier.commune)
    return f"{place}, ngày {when:%d} tháng {when:%m} năm {when:%Y}"


def _last_event(dossier: Dossier, *actions: str):
    return dossier.events.filter(action__in=actions).order_by("-at", "-id").first()


def available_forms(dossier: Dossier) -> list[str]:
    """The forms that apply to the dossier in its current history (no receipt for
    an online submission that was not accepted)."""
    forms = ["01"] if dossier.was_received else []
    if dossier.supplement_count:
        forms.append("02")
    if dossier.status == Status.REFUSED:
        forms.append("03")
    if dossier.apology_date:
        forms.append("04")
    if dossier.status in (Status.STOPPED, Status.WITHDRAWN):
        forms.append("05")
    forms.append("06")
    return forms


def build_form(dossier: Dossier, number: str) -> FormDoc:
    if number not in FORM_TITLES or number not in available_forms(dossier):
        raise Http404("Mẫu phiếu này không áp dụng cho hồ sơ.")
    commune = dossier.commune
    doc = FormDoc(
        number=number,
        title=FORM_TITLES[number],
        agency=commune.name.upper(),
        agency_sub="BỘ PHẬN MỘT CỬA",
        place_date=_place_date(dossier, dossier.received_at),
        code=dossier.code,
        legal_basis=f"Mẫu số {number} – {dossier.ruleset.forms_reference}",
    )
    procedure = dossier.procedure
    receiver = dossier.received_by
    if number == "01":
        doc.lines = [
            ("Mã hồ sơ", dossier.code),
            ("Tiếp nhận hồ sơ của", dossier.applicant_name),
            ("Số định danh cá nhân / mã số tổ chức", dossier.applicant_id_number),
            ("Địa chỉ", dossier.applicant_address),
            ("Số điện thoại", dossier.applicant_phone),
            ("Thư điện tử", dossier.applicant_email or "—"),
            ("Người được ủy quyền / đại diện", dossier.representative or "—"),
            ("Nội dung yêu cầu giải quyết", dossier.request or procedure.name),
        ]
        doc.list_title = f"Thành phần hồ sơ nộp ({dossier.copies} bộ):"
        doc.items = dossier.document_list or ["(theo danh mục thành phần hồ sơ của thủ tục)"]
        doc.closing = [
            f"Thời gian giải quyết hồ sơ theo quy định: {dossier.time_display}.",
            f"Thời gian nhận hồ sơ: {_dt(dossier.received_at)}.",
            # The receipt keeps the date first given (docs/rules.md §7); later moves follow.
            f"Thời gian trả kết quả giải quyết hồ sơ: ngày {_d(dossier.original_due_date)}"
            + (
                f" (trước {dossier.due_at.astimezone(TZ):%H giờ %M})"
                if dossier.due_at and dossier.due_date == dossier.original_due_date
                else ""
            )
            + ".",
            f"Đăng ký nhận kết quả tại: {dossier.result_place}.",
            f"Vào Sổ theo dõi hồ sơ, số: {dossier.serial:04d} ngày {_day(dossier.received_at)}.",
            "Tra cứu tình trạng hồ sơ: quét mã QR hoặc truy cập đường dẫn dưới đây (cần mã hồ sơ và "
            "4 số cuối điện thoại).",
        ]
        if dossier.due_date != dossier.original_due_date:
            doc.closing.insert(
                3,
                f"Hạn giải quyết đã được điều chỉnh thành ngày {_d(dossier.due_date)} "
                "(chờ bổ sung hồ sơ hoặc thay đổi lịch làm việc; xem phiếu kiểm soát quá trình).",
            )
        doc.qr_url = lookup_url(dossier.code)
        doc.qr_svg = qr_svg(doc.qr_url)
        doc.signatures = [
            ("NGƯỜI NỘP HỒ SƠ", dossier.applicant_name),
            ("NGƯỜI TIẾP NHẬN HỒ SƠ", str(receiver or "")),
        ]
    elif number == "02":
        req = dossier.supplement_requests.order_by("-number").first()
        doc.place_date = _place_date(dossier, req.requested_at)
        doc.lines = [
            ("Mã hồ sơ", dossier.code),
            ("Kính gửi", dossier.applicant_name),
            ("Địa chỉ", dossier.applicant_address),
            ("Hồ sơ đề nghị giải quyết", dossier.request or procedure.name),
            ("Lần yêu cầu bổ sung", str(req.number)),
        ]
        doc.list_title = "Đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"
        doc.items = list(req.items)
        doc.closing = [
            f"Lý do: {req.reason}",
            "Thời gian chờ bổ sung không tính vào thời hạn giải quyết; thời hạn được tính tiếp từ ngày "
            "nhận đủ hồ sơ bổ sung.",
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ Bộ phận Một cửa để được hướng dẫn.",
        ]
        doc.signatures = [("NGƯỜI HƯỚNG DẪN", str(req.event.actor or ""))]
    elif number == "03":
        event = _last_event(dossier, Action.REFUSE)
        doc.place_date = _place_date(dossier, event.at)
        doc.lines = [
            ("Mã hồ sơ", dossier.code),
            ("Kính gửi", dossier.applicant_name),
            ("Địa chỉ", dossier.applicant_address),
            ("Hồ sơ đề nghị giải quyết", dossier.request or procedure.name),
        ]
        doc.closing = [
            "Sau khi xem xét thành phần hồ sơ và đối chiếu các quy định hiện hành, "
            "cơ quan có thẩm quyền từ chối tiếp nhận, giải quyết hồ sơ này với lý do:",
            event.note,
            "Xin thông báo để Ông/Bà được biết và thực hiện.",
        ]
        doc.signatures = [("NGƯỜI THÔNG BÁO", str(event.actor or ""))]
    elif number == "04":
        event = _last_event(dossier, Action.APOLOGIZE)
        doc.agency_sub = str(event.actor.department or "") if event.actor else ""
        doc.place_date = _place_date(dossier, event.at)
        doc.lines = [
            ("Mã hồ sơ", dossier.code),
            ("Kính gửi", dossier.applicant_name),
            ("Hồ sơ đề nghị giải quyết", dossier.request or procedure.name),
            ("Ngày tiếp nhận", _day(dossier.received_at)),
            ("Ngày hẹn trả kết quả", _d(dossier.due_date)),
        ]
        doc.closing = [
            f"Việc giải quyết hồ sơ chậm so với thời hạn quy định. Lý do: {event.note}",
            f"Chúng tôi thành thật xin lỗi Ông/Bà và hẹn trả kết quả vào ngày {_d(dossier.apology_date)}.",
            "Mong Ông/Bà thông cảm.",
        ]
        doc.signatures = [("THỦ TRƯỞNG CƠ QUAN", "")]
    elif number == "05":
        event = _last_event(dossier, Action.STOP, Action.WITHDRAW)
        doc.place_date = _place_date(dossier, event.at)
        doc.lines = [
            ("Mã hồ sơ", dossier.code),
            ("Kính gửi", dossier.applicant_name),
            ("Hồ sơ đề nghị giải quyết", dossier.request or procedure.name),
            ("Ngày tiếp nhận", _day(dossier.received_at)),
        ]
        reason = "theo đề nghị rút hồ sơ của Ông/Bà" if event.action == Action.WITHDRAW else "với lý do sau"
        doc.closing = [
            f"Cơ quan giải quyết thông báo dừng xử lý hồ sơ nêu trên {reason}:",
            event.note,
            "Xin thông báo để Ông/Bà được biết.",
        ]
        doc.signatures = [("NGƯỜI THÔNG BÁO", str(event.actor or ""))]
    else:  # "06"
        doc.lines = [
            ("Mã hồ sơ", dossier.code),
            ("Thủ tục", f"{procedure.code} – {procedure.name}"),
            ("Người nộp", dossier.applicant_name),
            (
                "Ngày nhận / hẹn trả",
                f"{_day(dossier.received_at) or 'chưa tiếp nhận'} / {_d(dossier.due_date) or '—'}",
            ),
        ]
        doc.table_head = [
            "Tên cơ quan, bộ phận",
            "Thời gian giao, nhận",
            "Bước",
            "Người thực hiện",
            "Kết quả",
            "Ghi chú",
        ]
        for event in dossier.events.select_related("department_to", "department_from", "actor"):
            where = str(
                event.department_to
                or event.department_from
                or (event.actor.department if event.actor else "")
                or ""
            )
            doc.table_rows.append(
                [
                    where,
                    f"{event.at.astimezone(TZ):%H:%M %d/%m/%Y}",
                    event.get_action_display(),
                    event.actor_label,
                    event.outcome_label,
                    event.note,
                ]
            )
    return doc


# --- .docx -----------------------------------------------------------------------
def form_docx(doc: FormDoc) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(148), Mm(210)
    section.top_margin = section.bottom_margin = Mm(12)
    section.left_margin, section.right_margin = Mm(18), Mm(12)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after = Pt(2)

    def para(text: str = "", *, bold=False, italic=False, size=None, align=None, underline=False, cell=None):
        p = cell.add_paragraph() if cell is not None else document.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        return p

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run(doc.agency).bold = True
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r in left.paragraphs[0].runs:
        r.font.size = Pt(11)
    if doc.agency_sub:
        para(doc.agency_sub, bold=True, size=11, align=WD_ALIGN_PARAGRAPH.CENTER, underline=True, cell=left)
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r in right.paragraphs[0].runs:
        r.font.size = Pt(11)
    para(
        "Độc lập - Tự do - Hạnh phúc",
        bold=True,
        size=12,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        underline=True,
        cell=right,
    )
    para(doc.place_date, italic=True, size=11, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc.title, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(f"Mã hồ sơ: {doc.code}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for label, value in doc.lines:
        p = document.add_paragraph()
        p.add_run(f"{label}: ").bold = False
        p.add_run(value).bold = True
    if doc.list_title:
        para(doc.list_title)
        for i, item in enumerate(doc.items, 1):
            para(f"{i}. {item}")
    if doc.table_head:
        table = document.add_table(rows=1, cols=len(doc.table_head))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, doc.table_head, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            run.font.size = Pt(9)
        for row in doc.table_rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(text).font.size = Pt(9)
    for text in doc.closing:
        para(text)
    if doc.qr_url:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(io.BytesIO(qr_png(doc.qr_url)), width=Mm(25))
        para(doc.qr_url, size=9, align=WD_ALIGN_PARAGRAPH.CENTER)
    if doc.signatures:
        sig = document.add_table(rows=1, cols=len(doc.signatures))
        for cell, (title, name) in zip(sig.rows[0].cells, doc.signatures, strict=True):
            cell.paragraphs[0].add_run(title).bold = True
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            para("(Ký, ghi rõ họ tên)", italic=True, size=10, align=WD_ALIGN_PARAGRAPH.CENTER, cell=cell)
            for _ in range(3):
                cell.add_paragraph()
            para(name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, cell=cell)
    para(doc.legal_basis, italic=True, size=8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- .xlsx -----------------------------------------------------------------------
REGISTER_HEAD = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số bộ",
    "Tên người nộp",
    "Địa chỉ, điện thoại",
    "Bộ phận giải quyết",
    "Ngày nhận",
    "Hẹn trả",
    "Ngày chuyển xử lý",
    "Ngày có kết quả",
    "Ngày trả kết quả",
    "Trạng thái",
    "Kết quả đúng hạn",
]


def register_rows(dossiers, show_personal) -> list[list]:
    from .access import applicant_view

    rows = []
    for i, d in enumerate(dossiers, 1):
        person = applicant_view(d, show_personal(d))
        rows.append(
            [
                i,
                d.code,
                d.procedure.name,
                d.copies,
                person["name"],
                f"{person['address']}; {person['phone']}",
                str(d.department or ""),
                d.received_at.astimezone(TZ).strftime("%d/%m/%Y %H:%M"),
                _d(d.due_date),
                d.transferred_at.astimezone(TZ).strftime("%d/%m/%Y") if d.transferred_at else "",
                d.finished_at.astimezone(TZ).strftime("%d/%m/%Y") if d.finished_at else "",
                d.returned_at.astimezone(TZ).strftime("%d/%m/%Y") if d.returned_at else "",
                d.get_status_display(),
                d.outcome_label(),
            ]
        )
    return rows
