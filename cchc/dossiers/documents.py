"""The legal forms of the one-stop shop filled from a dossier, numbered and titled by
the circular in force when the dossier was received (TT 01/2018/TT-VPCP: six forms;
TT 03/2025/TT-VPCP appendix I: seven — docs/rules.md §5), as one neutral structure
(`FormDoc`) rendered both as print-ready A5 HTML (template `dossiers/form_print.html`)
and as .docx; the register (form 07) as a printable .xlsx.

Forms are addressed by their stable key (`rules.RECEIPT` = "01" … `rules.REGISTER` =
"07", the TT 03/2025 numbers); what is printed comes from `dossier.ruleset`.
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

from cchc.core.text import vn_date, vn_time_date
from cchc.core.workcal import TZ, TimeUnit

from . import rules
from .models import Action, Dossier, Status

# Form keys that can be printed for a dossier (the register is a book, not a slip).
SLIP_KEYS = (rules.RECEIPT, rules.SUPPLEMENT, rules.REFUSAL, rules.APOLOGY, rules.STOP, rules.CONTROL)
# A typical receipt (form 01) lists up to this many documents on one A5 sheet.
RECEIPT_TYPICAL_DOCUMENTS = 6
SIGN_NOTE = "(Ký, ghi rõ họ tên)"


@dataclass
class FormDoc:
    number: str  # stable key ("01"…"06"), or "DG" for the rating slip
    title: str  # printed title (capitals)
    agency: str  # the commune People's Committee (first header line)
    agency_sub: str  # the issuing unit under it
    place_date: str
    code: str
    form_label: str = ""  # "Mẫu số 05" top right; "" for a plain notice
    lines: list[tuple[str, str]] = field(default_factory=list)
    list_title: str = ""
    items: list[str] = field(default_factory=list)
    after_items: list[tuple[str, str]] = field(default_factory=list)
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)
    table_widths: list[int] = field(default_factory=list)  # mm, for the .docx
    closing: list[str] = field(default_factory=list)
    signatures: list[tuple[str, str]] = field(default_factory=list)  # (title, name); "\n" breaks a title
    qr_url: str = ""
    qr_svg: str = ""
    qr_with_signatures: bool = False  # receipt: the QR code sits beside the signatures
    landscape: bool = False
    sign_space_pt: int = 24  # room to sign above the printed name
    legal_basis: str = ""  # a footnote (the rating slip's survey basis)
    file_stem: str = ""

    @property
    def filename(self) -> str:
        if self.number == "DG":
            return f"phieu-danh-gia-{self.code}.docx"
        return f"{self.file_stem or 'mau-' + self.number}-{self.code}.docx"

    @property
    def body_lines(self) -> list[tuple[str, str]]:
        """The lines under the title, without the dossier code: it is printed once,
        right under the title."""
        return [(label, value) for label, value in self.lines if label != "Mã hồ sơ"]

    @property
    def signature_blocks(self) -> list[tuple[list[str], str]]:
        return [(title.split("\n"), name) for title, name in self.signatures]


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


def _local(value: datetime) -> datetime:
    return value.astimezone(TZ)


def _d(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _day(value: datetime | None) -> str:
    return _d(_local(value).date()) if value else ""


def _hm_day(value: datetime | None) -> str:
    return f"{_local(value):%H:%M %d/%m/%Y}" if value else ""


def _place_date(dossier: Dossier, when: datetime | date | None) -> str:
    """ "Đức Xương, ngày 05 tháng 4 năm 2025" (NĐ 30/2020 zero-padding)."""
    if isinstance(when, datetime):
        when = _local(when).date()
    when = when or date.today()
    place = dossier.commune.place_name or str(dossier.commune)
    return f"{place}, {vn_date(when)}"


def _last_event(dossier: Dossier, *actions: str):
    return dossier.events.filter(action__in=actions).order_by("-at", "-id").first()


def appointment_at(dossier: Dossier) -> datetime | None:
    """The hour and day printed as the appointment on the receipt (docs/rules.md §5):
    for a time counted in hours, the computed hour; otherwise the start of the
    afternoon session of the due day (its end when the dossier was received after
    the session had begun, e.g. a same-day dossier at 14:00)."""
    if dossier.original_due_date is None:
        return None
    if (
        dossier.time_unit == TimeUnit.WORKING_HOURS
        and dossier.due_at is not None
        and dossier.due_date == dossier.original_due_date
    ):
        return _local(dossier.due_at)
    session_start, session_end = settings.WORKING_PERIODS[-1]
    moment = datetime.combine(dossier.original_due_date, session_start, TZ)
    if dossier.received_at is not None and moment <= _local(dossier.received_at):
        moment = datetime.combine(dossier.original_due_date, session_end, TZ)
    return moment


def superior_line(commune) -> str:
    """The first header line: the commune People's Committee, with the usual
    abbreviation (NĐ 30/2020 allows "UBND" for the body above the issuing unit)."""
    name = commune.name.strip()
    prefix = "ủy ban nhân dân"
    if name.lower().startswith(prefix):
        return f"UBND {name[len(prefix) :].strip()}".upper()
    return name.upper()


def _issuer(dossier: Dossier) -> tuple[str, str]:
    commune = dossier.commune
    return superior_line(commune), commune.one_stop_label.upper()


def available_forms(dossier: Dossier) -> list[str]:
    """The keys of the forms that apply to the dossier in its current history (no
    receipt for an online submission that was not accepted)."""
    forms = [rules.RECEIPT] if dossier.was_received else []
    if dossier.supplement_count:
        forms.append(rules.SUPPLEMENT)
    if dossier.status == Status.REFUSED:
        forms.append(rules.REFUSAL)
    if dossier.apology_date:
        forms.append(rules.APOLOGY)
    if dossier.status in (Status.STOPPED, Status.WITHDRAWN):
        forms.append(rules.STOP)
    forms.append(rules.CONTROL)
    return forms


def form_links(dossier: Dossier) -> list[tuple[str, str, str]]:
    """(key, button text, full name) of each printable form, by the dossier's circular."""
    out = []
    for key in available_forms(dossier):
        spec = dossier.ruleset.form(key)
        button = f"In mẫu {spec.number}" if spec.number else "In thông báo dừng"
        out.append((key, button, spec.label))
    return out


def build_form(dossier: Dossier, number: str) -> FormDoc:
    """Form `number` (a stable key, see `rules`) filled from the dossier, numbered and
    titled by the circular of the dossier's rule set."""
    if number not in SLIP_KEYS or number not in available_forms(dossier):
        raise Http404("Mẫu phiếu này không áp dụng cho hồ sơ.")
    spec = dossier.ruleset.form(number)
    agency, agency_sub = _issuer(dossier)
    doc = FormDoc(
        number=number,
        title=spec.title.upper(),
        agency=agency,
        agency_sub=agency_sub,
        place_date=_place_date(dossier, dossier.received_at),
        code=dossier.code,
        form_label=f"Mẫu số {spec.number}" if spec.number else "",
        file_stem=f"mau-{spec.number}" if spec.number else "thong-bao-dung",
    )
    {
        rules.RECEIPT: _receipt,
        rules.SUPPLEMENT: _supplement,
        rules.REFUSAL: _refusal,
        rules.APOLOGY: _apology,
        rules.STOP: _stop,
        rules.CONTROL: _control,
    }[number](doc, dossier)
    return doc


def _receipt(doc: FormDoc, dossier: Dossier) -> None:
    procedure = dossier.procedure
    receiver = dossier.received_by
    phone = dossier.applicant_phone
    if dossier.applicant_email:
        phone += f"; thư điện tử: {dossier.applicant_email}"
    doc.lines = [
        ("Tiếp nhận hồ sơ của", dossier.applicant_name),
        ("Số định danh cá nhân / mã số tổ chức", dossier.applicant_id_number),
        ("Địa chỉ", dossier.applicant_address),
        ("Số điện thoại", phone),
    ]
    if dossier.representative:
        doc.lines.append(("Người được ủy quyền / đại diện", dossier.representative))
    doc.lines.append(("Nội dung yêu cầu giải quyết", dossier.request or procedure.name))
    doc.list_title = "1. Thành phần hồ sơ nộp gồm:"
    doc.items = dossier.document_list or ["(theo danh mục thành phần hồ sơ của thủ tục)"]
    appointment = appointment_at(dossier)
    doc.after_items = [
        ("2. Số lượng hồ sơ", f"{dossier.copies:02d} bộ"),
        ("3. Thời gian giải quyết hồ sơ theo quy định", dossier.time_display),
        ("4. Thời gian nhận hồ sơ", vn_time_date(_local(dossier.received_at))),
        # The receipt keeps the date first given (docs/rules.md §7); later moves follow.
        ("5. Thời gian trả kết quả giải quyết hồ sơ", vn_time_date(appointment) if appointment else ""),
        ("6. Đăng ký nhận kết quả", dossier.result_display),
        ("Vào Sổ theo dõi hồ sơ", dossier.register_display),
    ]
    if dossier.due_date != dossier.original_due_date:
        doc.after_items.insert(
            5,
            (
                "Hạn giải quyết điều chỉnh",
                f"{_d(dossier.due_date)} (chờ bổ sung hồ sơ hoặc thay đổi lịch làm việc)",
            ),
        )
    doc.qr_url = lookup_url(dossier.code)
    doc.qr_svg = qr_svg(doc.qr_url)
    doc.qr_with_signatures = True
    doc.closing = [
        f"Tra cứu tình trạng hồ sơ: quét mã QR hoặc vào {doc.qr_url} (cần mã hồ sơ và 4 số cuối điện thoại)."
    ]
    doc.signatures = [
        ("NGƯỜI NỘP HỒ SƠ", dossier.applicant_name),
        ("NGƯỜI TIẾP NHẬN HỒ SƠ", str(receiver or "")),
    ]


def _supplement(doc: FormDoc, dossier: Dossier) -> None:
    req = dossier.supplement_requests.order_by("-number").first()
    doc.place_date = _place_date(dossier, req.requested_at)
    doc.lines = [
        ("Kính gửi", dossier.applicant_name),
        ("Địa chỉ", dossier.applicant_address),
        ("Hồ sơ đề nghị giải quyết", dossier.request or dossier.procedure.name),
        ("Ngày tiếp nhận", _day(dossier.received_at)),
        ("Lần yêu cầu bổ sung", str(req.number)),
    ]
    doc.list_title = "Đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"
    doc.items = list(req.items)
    doc.closing = [
        f"Lý do: {req.reason}",
        "Thời gian chờ bổ sung không tính vào thời hạn giải quyết; thời hạn được tính tiếp từ ngày "
        "nhận đủ hồ sơ bổ sung.",
        f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ "
        f"{dossier.commune.one_stop_label} để được hướng dẫn.",
    ]
    doc.signatures = [("NGƯỜI HƯỚNG DẪN", str(req.event.actor or ""))]


def _refusal(doc: FormDoc, dossier: Dossier) -> None:
    event = _last_event(dossier, Action.REFUSE)
    doc.place_date = _place_date(dossier, event.at)
    doc.lines = [
        ("Kính gửi", dossier.applicant_name),
        ("Địa chỉ", dossier.applicant_address),
        ("Hồ sơ đề nghị giải quyết", dossier.request or dossier.procedure.name),
    ]
    doc.closing = [
        "Sau khi xem xét thành phần hồ sơ và đối chiếu các quy định hiện hành, "
        "cơ quan có thẩm quyền từ chối tiếp nhận, giải quyết hồ sơ này với lý do:",
        event.note,
        "Xin thông báo để Ông/Bà được biết và thực hiện.",
    ]
    doc.signatures = [("NGƯỜI THÔNG BÁO", str(event.actor or ""))]


def _apology(doc: FormDoc, dossier: Dossier) -> None:
    """Issued by the department handling the dossier and signed by its head
    (docs/rules.md §4); the officer who recorded it signs when no head is set."""
    event = _last_event(dossier, Action.APOLOGIZE)
    department = dossier.department or (event.actor.department if event.actor else None)
    head = department.head if department and department.head_id else None
    signer = head or event.actor
    if department is not None:
        doc.agency_sub = department.name.upper()
    doc.place_date = _place_date(dossier, event.at)
    received = _local(dossier.received_at).date()
    tt03 = dossier.ruleset.circular is rules.TT03_2025
    unit = department.name if department else "Cơ quan giải quyết"
    doc.lines = [
        ("Kính gửi", dossier.applicant_name),
        ("Hồ sơ đề nghị giải quyết", dossier.request or dossier.procedure.name),
        ("Ngày tiếp nhận", _d(received)),
        ("Ngày hẹn trả kết quả", _d(dossier.original_due_date or dossier.due_date)),
    ]
    promise = (
        f"và đề nghị gia hạn thời gian giải quyết hồ sơ đến {vn_date(dossier.apology_date)}"
        if tt03
        else f"và hẹn lại ngày trả kết quả vào {vn_date(dossier.apology_date)}"
    )
    doc.closing = [
        f"Đến nay, {unit} chưa giải quyết xong hồ sơ của Ông/Bà. Lý do: {event.note}",
        f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {unit} thành thật xin lỗi Ông/Bà {promise}.",
        "Mong Ông/Bà thông cảm.",
    ]
    title = (department.name.upper() + "\n") if department else ""
    title += signer.position.upper() if signer and signer.position else "NGƯỜI ĐỨNG ĐẦU BỘ PHẬN"
    doc.signatures = [(title, str(signer or ""))]


def _stop(doc: FormDoc, dossier: Dossier) -> None:
    event = _last_event(dossier, Action.STOP, Action.WITHDRAW)
    doc.place_date = _place_date(dossier, event.at)
    doc.lines = [
        ("Kính gửi", dossier.applicant_name),
        ("Hồ sơ đề nghị giải quyết", dossier.request or dossier.procedure.name),
        ("Ngày tiếp nhận", _day(dossier.received_at)),
    ]
    reason = "theo đề nghị rút hồ sơ của Ông/Bà" if event.action == Action.WITHDRAW else "với lý do sau"
    doc.closing = [
        f"Cơ quan giải quyết thông báo dừng giải quyết hồ sơ nêu trên {reason}:",
        event.note,
        "Xin thông báo để Ông/Bà được biết.",
    ]
    doc.signatures = [("NGƯỜI THÔNG BÁO", str(event.actor or ""))]


def _control(doc: FormDoc, dossier: Dossier) -> None:
    """Form 06 (05 under TT 01/2018): one row per hand-over, with the giver's and
    the receiver's signature columns; other steps are rows without signatures."""
    procedure = dossier.procedure
    doc.landscape = True
    events = list(dossier.events.select_related("department_to", "department_from", "actor"))
    transfers = [e.department_to for e in events if e.action == Action.TRANSFER and e.department_to]
    coordinating = []
    for dept in transfers[:-1]:  # handled before the current department: coordination
        if dept != dossier.department and dept not in coordinating:
            coordinating.append(dept)
    receipt = dossier.ruleset.form(rules.RECEIPT)
    doc.sign_space_pt = 16
    doc.lines = [
        (
            "Kèm theo hồ sơ của",
            f"{dossier.applicant_name} — {procedure.code}: {dossier.request or procedure.name}",
        ),
        (
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            (
                f"mẫu số {receipt.number}, ngày {_day(dossier.received_at)}; "
                f"{dossier.register_display[0].lower()}{dossier.register_display[1:]}; "
                f"hẹn trả {_d(dossier.original_due_date)}"
            )
            if dossier.was_received
            else "chưa tiếp nhận",
        ),
        (
            "Bộ phận giải quyết",
            f"{dossier.department or '—'}; phối hợp: {', '.join(str(d) for d in coordinating) or 'không'}",
        ),
    ]
    doc.table_head = [
        "TT",
        "Tên cơ quan, bộ phận giao – nhận",
        "Thời gian giao, nhận hồ sơ",
        "Người giao (ký, ghi rõ họ tên)",
        "Người nhận (ký, ghi rõ họ tên)",
        "Kết quả (trước hạn / đúng hạn / quá hạn)",
        "Ghi chú",
    ]
    doc.table_widths = [10, 44, 22, 33, 33, 22, 26]
    one_stop = dossier.commune.one_stop_label
    applicant = f"Người nộp: {dossier.applicant_name}"
    for i, event in enumerate(events, 1):
        actor = event.actor_label
        giver = receiver = ""
        if event.action in (Action.RECEIVE, Action.ACCEPT):
            route = f"Người nộp → {one_stop}"
            giver, receiver = applicant, actor
        elif event.action == Action.TRANSFER:
            route = f"{event.department_from or one_stop} → {event.department_to}"
            giver = actor
        elif event.action == Action.RECEIVE_SUPPLEMENT:
            route = f"Người nộp → {event.department_from or dossier.department or one_stop}"
            giver, receiver = applicant, actor
        elif event.action == Action.FINISH:
            route = f"{dossier.department or ''} → {one_stop}".strip()
            giver = actor
        elif event.action == Action.RETURN_RESULT:
            route = f"{one_stop} → Người nộp"
            giver, receiver = actor, applicant
        else:
            route = event.get_action_display()
        note = event.note
        if event.action not in (Action.RECEIVE, Action.ACCEPT, Action.TRANSFER, Action.RETURN_RESULT):
            note = f"{event.get_action_display()}. {note}".strip(" .") if note else event.get_action_display()
        doc.table_rows.append([str(i), route, _hm_day(event.at), giver, receiver, event.outcome_label, note])
    doc.signatures = [("NGƯỜI TIẾP NHẬN HỒ SƠ", str(dossier.received_by or ""))]


# --- slips of later apps in the same layout (satisfaction's rating slip) -------------------
def slip_doc(
    dossier: Dossier, *, number: str, title: str, when: datetime | None, legal_basis: str
) -> FormDoc:
    """A `FormDoc` with the heading, place and date the dossier's forms carry."""
    agency, agency_sub = _issuer(dossier)
    return FormDoc(
        number=number,
        title=title,
        agency=agency,
        agency_sub=agency_sub,
        place_date=_place_date(dossier, when),
        code=dossier.code,
        legal_basis=legal_basis,
    )


# --- .docx -----------------------------------------------------------------------
def form_docx(doc: FormDoc) -> bytes:
    """The form as a Word document on A5 (landscape for the process-control slip),
    laid out to fit one sheet for a typical dossier: body 11 pt, no space between
    lines of a block, the QR code of the receipt beside the signatures."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from cchc.core.documents import run as docx_run

    document = Document()
    section = document.sections[0]
    if doc.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(210), Mm(148)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(148), Mm(210)
    section.top_margin = section.bottom_margin = Mm(10)
    section.left_margin, section.right_margin = Mm(15), Mm(10)
    section.header_distance = section.footer_distance = Mm(5)
    content_mm = (210 if doc.landscape else 148) - 25
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.line_spacing = 1.0

    def para(text: str = "", *, bold=False, italic=False, size=None, align=None, underline=False, cell=None):
        if cell is not None and not cell.paragraphs[0].text and not cell.paragraphs[0].runs:
            p = cell.paragraphs[0]
        else:
            p = cell.add_paragraph() if cell is not None else document.add_paragraph()
        run = docx_run(p, text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        return p

    def labelled(label: str, value: str, container=None):
        p = container.add_paragraph() if container is not None else document.add_paragraph()
        docx_run(p, f"{label}: ")
        docx_run(p, value).bold = True
        return p

    def no_borders(table) -> None:
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        table._tbl.tblPr.append(borders)

    def tight(table, side_mm: float = 0.5) -> None:
        """Small left/right cell margins (the defaults wrap the national name)."""
        margins = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:w"), str(int(side_mm * 56.7)))
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        table._tbl.tblPr.append(margins)

    def widths(table, mm: list[float]) -> None:
        # Both the grid and every cell: Word reads the cells, LibreOffice the grid.
        table.autofit = False
        for column, w in zip(table.columns, mm, strict=True):
            column.width = Mm(w)
        for row in table.rows:
            for cell, w in zip(row.cells, mm, strict=True):
                cell.width = Mm(w)

    if doc.form_label:
        para(doc.form_label, italic=True, size=9, align=WD_ALIGN_PARAGRAPH.RIGHT)
    header = document.add_table(rows=1, cols=2)
    no_borders(header)
    tight(header)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    para(doc.agency, size=10, align=WD_ALIGN_PARAGRAPH.CENTER, cell=left)
    if doc.agency_sub:
        para(doc.agency_sub, bold=True, size=10, align=WD_ALIGN_PARAGRAPH.CENTER, underline=True, cell=left)
    para(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=10, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right
    )
    para(
        "Độc lập - Tự do - Hạnh phúc",
        bold=True,
        size=11,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        underline=True,
        cell=right,
    )
    widths(header, [content_mm * 0.38, content_mm * 0.62])
    p = para(doc.place_date, italic=True, size=11, align=WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.space_before = Pt(3)
    p = para(doc.title, bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_before = Pt(4)
    p = para(f"Mã hồ sơ: {doc.code}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_after = Pt(3)
    for label, value in doc.body_lines:
        labelled(label, value)
    if doc.list_title:
        para(doc.list_title)
        for i, item in enumerate(doc.items, 1):
            p = para(f"{i}. {item}")
            p.paragraph_format.left_indent = Mm(4)
    for label, value in doc.after_items:
        labelled(label, value)
    if doc.table_head:
        table = document.add_table(rows=1, cols=len(doc.table_head))
        table.style = "Table Grid"
        head_row = table.rows[0]
        tr_pr = head_row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for cell, text in zip(head_row.cells, doc.table_head, strict=True):
            run = docx_run(cell.paragraphs[0], text)
            run.bold = True
            run.font.size = Pt(9)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for row in doc.table_rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                docx_run(cell.paragraphs[0], text).font.size = Pt(9)
            # Signature columns need room to sign.
            table.rows[-1].height = Mm(7)
        if doc.table_widths:
            widths(table, doc.table_widths)
    for text in doc.closing:
        para(text)
    qr_cell_width = 26
    if doc.signatures or doc.qr_url:
        if doc.qr_url and not doc.qr_with_signatures:
            p = document.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run().add_picture(io.BytesIO(qr_png(doc.qr_url)), width=Mm(25))
            para(doc.qr_url, size=8, align=WD_ALIGN_PARAGRAPH.CENTER)
        cols = len(doc.signatures) + (1 if doc.qr_url and doc.qr_with_signatures else 0)
        if cols:
            sig = document.add_table(rows=1, cols=cols)
            no_borders(sig)
            cells = list(sig.rows[0].cells)
            if doc.qr_url and doc.qr_with_signatures:
                qr_cell = cells.pop(0)
                qr_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                qr_cell.paragraphs[0].add_run().add_picture(io.BytesIO(qr_png(doc.qr_url)), width=Mm(22))
            for cell, (lines, name) in zip(cells, doc.signature_blocks, strict=True):
                for line in lines:
                    para(line, bold=True, size=10, align=WD_ALIGN_PARAGRAPH.CENTER, cell=cell)
                para(SIGN_NOTE, italic=True, size=9, align=WD_ALIGN_PARAGRAPH.CENTER, cell=cell)
                spacer = cell.add_paragraph()
                spacer.paragraph_format.space_before = Pt(doc.sign_space_pt)
                para(name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, cell=cell)
            if doc.qr_url and doc.qr_with_signatures:
                rest = (content_mm - qr_cell_width) / len(doc.signatures)
                widths(sig, [qr_cell_width] + [rest] * len(doc.signatures))
    if doc.legal_basis:
        para(doc.legal_basis, italic=True, size=8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- the register (form 07; form 06 under TT 01/2018) -------------------------------
REGISTER_HEAD = [
    "Số",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số bộ",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Bộ phận giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển hồ sơ đến bộ phận giải quyết",
    "Nhận kết quả từ bộ phận giải quyết",
    "Trả kết quả",
    "Ký nhận (người nhận kết quả)",
    "Ghi chú",
]


def register_note(d: Dossier) -> str:
    """The register's "Ghi chú": the state and the on-time outcome, as words."""
    outcome = d.outcome_label()
    parts = [d.get_status_display()]
    if outcome:
        parts.append(outcome)
    if d.apology_date:
        parts.append(f"hẹn lại {_d(d.apology_date)}")
    return "; ".join(parts)


def register_rows(dossiers, show_personal) -> list[list]:
    """One row per dossier, in the form's columns; the number is the dossier's row
    in its year's register book (the number printed on its receipt)."""
    from .access import applicant_view

    rows = []
    for d in dossiers:
        person = applicant_view(d, show_personal(d))
        rows.append(
            [
                d.register_number or "",
                d.code,
                d.procedure.name,
                d.copies,
                person["name"],
                f"{person['address']}; {person['phone']}",
                str(d.department or ""),
                _hm_day(d.received_at),
                _d(d.original_due_date),
                _day(d.transferred_at),
                _day(d.finished_at),
                _day(d.returned_at),
                "",  # signed by hand when the result is collected
                register_note(d),
            ]
        )
    return rows


def register_xlsx(
    *, commune, ruleset: rules.RuleSet, rows: list[list], date_from: date, date_to: date
) -> bytes:
    """The register as a book to print: A4 landscape fitted to the page width, the
    official heading, the header rows repeated on every page, wrapped text with row
    heights that show it (docs/rules.md §5)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from cchc.core.exports import fit_row_heights, print_setup, put, write_row

    spec = ruleset.form(rules.REGISTER)
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ theo dõi hồ sơ"
    widths = [6, 20, 30, 5, 18, 22, 16, 11, 10, 11, 11, 10, 12, 16]
    last = get_column_letter(len(widths))
    font = "Times New Roman"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.merge_cells("A1:E1")
    ws.merge_cells("A2:E2")
    ws.merge_cells(f"H1:{last}1")
    ws.merge_cells(f"H2:{last}2")
    put(ws, 1, 1, superior_line(commune) if commune else "ỦY BAN NHÂN DÂN")
    put(ws, 2, 1, commune.one_stop_label.upper() if commune else "BỘ PHẬN MỘT CỬA")
    put(ws, 1, 8, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    put(ws, 2, 8, "Độc lập - Tự do - Hạnh phúc")
    for ref, bold, underline in (
        ("A1", False, False),
        ("A2", True, True),
        ("H1", True, False),
        ("H2", True, True),
    ):
        ws[ref].font = Font(name=font, size=12, bold=bold, underline="single" if underline else None)
        ws[ref].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A4:{last}4")
    put(ws, 4, 1, "SỔ THEO DÕI HỒ SƠ")
    ws["A4"].font = Font(name=font, size=14, bold=True)
    ws["A4"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A5:{last}5")
    put(
        ws,
        5,
        1,
        f"Mẫu số {spec.number} – {ruleset.forms_reference} · Quyển số 01/{date_to.year} · "
        f"từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}",
    )
    ws["A5"].font = Font(name=font, size=11, italic=True)
    ws["A5"].alignment = Alignment(horizontal="center")
    head_row = 7
    for col, text in enumerate(REGISTER_HEAD, 1):
        cell = put(ws, head_row, col, text)
        cell.font = Font(name=font, size=10, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for col in range(1, len(REGISTER_HEAD) + 1):  # the form's column numbers (1), (2), …
        cell = put(ws, head_row + 1, col, f"({col})")
        cell.font = Font(name=font, size=9, italic=True)
        cell.alignment = Alignment(horizontal="center")
        cell.border = border
    for values in rows:
        write_row(ws, list(values))
        for col in range(1, len(REGISTER_HEAD) + 1):
            cell = ws.cell(row=ws.max_row, column=col)
            cell.font = Font(name=font, size=10)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    fit_row_heights(ws, first_row=head_row, widths=widths, font_size=10)
    ws.row_dimensions[head_row].height = 42
    ws.freeze_panes = ws.cell(row=head_row + 2, column=1)
    print_setup(ws, title_rows=f"{head_row}:{head_row + 1}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
