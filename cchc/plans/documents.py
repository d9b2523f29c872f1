"""The plan as an official document (.docx, NĐ 30/2020/NĐ-CP appendix I; docs/rules.md §12)
and its appendix as a spreadsheet (.xlsx)."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from cchc.core.exports import fit_row_heights, mark_text, print_setup
from cchc.core.text import vn_date

from .models import Plan

FONT = "Times New Roman"
BODY_PT = 14


def date_in_words(place: str, day: date | None, year: int) -> str:
    """'Đức Xương, ngày 05 tháng 01 năm 2024' (NĐ 30: a zero before days 1–9 and
    months 1–2); blanks to fill by hand while the date is not set."""
    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    return f"{place}, {vn_date(day)}"


def issuing_body_lines(commune) -> tuple[str, str]:
    """('ỦY BAN NHÂN DÂN', 'XÃ ĐỨC XƯƠNG') from the unit's name."""
    name = commune.name.strip()
    prefix = "Ủy ban nhân dân"
    if name.lower().startswith(prefix.lower()):
        return "ỦY BAN NHÂN DÂN", name[len(prefix) :].strip().upper()
    return name.upper(), ""


def short_body(commune) -> str:
    return f"UBND {commune.short_name}" if commune.short_name else commune.name


# --- .docx helpers -----------------------------------------------------------
def _font(run, size: float | None = None, bold=None, italic=None, underline=None) -> None:
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if underline is not None:
        run.underline = underline


def _para(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold=False,
    italic=False,
    underline=False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    before: float = 0,
    after: float = 6,
    keep_with_next: bool = False,
):
    p = container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.15 if size >= 13 else 1.0
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    return p


def _cell_para(
    cell, text: str, *, size: float, bold=False, italic=False, underline=False, align=None, first=True
):
    p = cell.paragraphs[0] if first and not cell.paragraphs[0].text else cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    _font(p.add_run(text), size, bold, italic, underline)
    return p


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _page_field(paragraph) -> None:
    """A PAGE field: Word and LibreOffice fill in the page number."""
    run = paragraph.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _set_widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths that both Word (cell widths) and LibreOffice (grid) honour."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for col, width in zip(table.columns, widths_cm, strict=False):
        col.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _recipient_lines(plan: Plan) -> list[str]:
    items = plan.recipient_list()
    if not any(i.lower().startswith("lưu") for i in items):
        items.append("Lưu: VT, VP")
    out = []
    for i, item in enumerate(items):
        item = item.rstrip(";.")
        if item.lower().startswith("lưu") and ":" not in item:
            item = "Lưu: " + item[3:].strip(" :")
        out.append(f"- {item}{'.' if i == len(items) - 1 else ';'}")
    return out


def plan_docx(plan: Plan) -> bytes:
    """The plan as a .docx in the official format, appendix on landscape pages."""
    commune = plan.commune
    areas = list(plan.areas.prefetch_related("tasks__coordinating", "tasks__lead_department"))
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    # Page numbers top centre, not on page 1 (NĐ 30): a different, empty first-page header.
    section.different_first_page_header_footer = True
    header_p = section.header.paragraphs[0]
    header_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(header_p)

    # Header block: issuing body | national title and motto; number | place and date.
    body1, body2 = issuing_body_lines(commune)
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, [6.0, 10.5])
    left, right = table.rows[0].cells
    _cell_para(left, body1, size=13, bold=True)
    if body2:
        _cell_para(left, body2, size=13, bold=True, underline=True, first=False)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _cell_para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True, first=False)
    left, right = table.rows[1].cells
    _cell_para(left, f"Số: {plan.number_display}", size=13).paragraph_format.space_before = Pt(6)
    p = _cell_para(
        right,
        date_in_words(commune.place_name or commune.short_name, plan.issued_on, plan.year),
        size=14,
        italic=True,
    )
    p.paragraph_format.space_before = Pt(6)

    _para(doc, "KẾ HOẠCH", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
    _para(doc, plan.title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, "_______________", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)

    for line in _lines(plan.basis):
        _para(doc, line, indent=True)

    def heading(text: str) -> None:
        _para(doc, text, bold=True, indent=True, before=6, keep_with_next=True)

    heading("I. MỤC ĐÍCH, YÊU CẦU")
    heading("1. Mục đích")
    for line in _lines(plan.purpose):
        _para(doc, line, indent=True)
    heading("2. Yêu cầu")
    for line in _lines(plan.requirements):
        _para(doc, line, indent=True)

    heading("II. CÁC CHỈ TIÊU, NHIỆM VỤ CHỦ YẾU")
    for number, area in enumerate(areas, start=1):
        heading(f"{number}. {area.title}")
        for line in _lines(area.intro):
            _para(doc, line, indent=True)
        for task in area.tasks.all():
            lines = _lines(task.content) or [task.title]
            _para(doc, f"{task.letter}) {lines[0]}", indent=True)
            for line in lines[1:]:
                _para(doc, line, indent=True)
    _para(
        doc,
        f"(Cụ thể trong Phụ lục khung Kế hoạch CCHC năm {plan.year} kèm theo)",
        italic=True,
        indent=True,
    )

    for title, text in (
        ("III. CHẾ ĐỘ BÁO CÁO", plan.reporting),
        ("IV. KINH PHÍ", plan.budget),
        ("V. TỔ CHỨC THỰC HIỆN", plan.responsibilities),
    ):
        heading(title)
        for line in _lines(text):
            _para(doc, line, indent=True)
    for line in _lines(plan.closing):
        _para(doc, line, indent=True)

    # Signature block: recipients on the left, the signer on the right.
    sig = doc.add_table(rows=1, cols=2)
    _no_borders(sig)
    _set_widths(sig, [8.0, 8.5])
    left, right = sig.rows[0].cells
    p = _cell_para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    p.paragraph_format.space_before = Pt(12)
    for line in _recipient_lines(plan):
        _cell_para(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, first=False)
    p = _cell_para(right, "TM. ỦY BAN NHÂN DÂN", size=13, bold=True)
    p.paragraph_format.space_before = Pt(12)
    if plan.signer_title and plan.signer_title.upper() != "CHỦ TỊCH":
        _cell_para(right, "KT. CHỦ TỊCH", size=13, bold=True, first=False)
    _cell_para(right, (plan.signer_title or "CHỦ TỊCH").upper(), size=13, bold=True, first=False)
    for _ in range(4):
        _cell_para(right, "", size=13, first=False)
    _cell_para(right, plan.signer_name, size=13, bold=True, first=False)

    _appendix_section(doc, plan, areas)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


APPENDIX_HEADERS = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện", "Sản phẩm"]


def appendix_rows(plan: Plan, areas=None) -> list[tuple[str, object]]:
    """('area', (number, title)) and ('task', task) rows in document order."""
    rows: list[tuple[str, object]] = []
    for number, area in enumerate(areas if areas is not None else plan.areas.all(), start=1):
        rows.append(("area", (number, area.title)))
        rows.extend(("task", task) for task in area.tasks.all())
    return rows


def _appendix_section(doc, plan: Plan, areas) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    section.different_first_page_header_footer = False
    _para(doc, "PHỤ LỤC", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(
        doc,
        f"KHUNG KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC NĂM {plan.year}",
        size=14,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    issued = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    _para(
        doc,
        f"(Kèm theo Kế hoạch số {plan.number_display}{issued} của {short_body(plan.commune)})",
        size=13,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
    )
    widths = [1.3, 9.5, 3.6, 4.4, 3.2, 4.2]
    table = doc.add_table(rows=1, cols=len(APPENDIX_HEADERS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, APPENDIX_HEADERS, strict=True):
        _cell_para(cell, text, size=12, bold=True)
        _shade(cell, "E7E6E6")
    for kind, item in appendix_rows(plan, areas):
        row = table.add_row()
        if kind == "area":
            number, title = item
            _cell_para(row.cells[0], str(number), size=12, bold=True)
            merged = row.cells[1].merge(row.cells[-1])
            _cell_para(merged, title.upper(), size=12, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
            continue
        task = item
        values = [
            task.letter,
            task.title,
            task.lead_department.name if task.lead_department else "",
            task.coordinating_display(),
            task.time_display,
            task.output,
        ]
        for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.CENTER if i in (0, 4) else WD_ALIGN_PARAGRAPH.LEFT
            _cell_para(cell, text, size=12, align=align)
    _set_widths(table, widths)


def appendix_xlsx(plan: Plan) -> bytes:
    """The appendix table (area, task, lead, coordinating, time, output) with the
    measurable target, as a spreadsheet departments can filter and sort."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"Phụ lục {plan.year}"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    headers = [
        "TT",
        "Lĩnh vực",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian",
        "Sản phẩm",
        "Chỉ tiêu",
    ]
    last_col = get_column_letter(len(headers))
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"] = f"PHỤ LỤC KHUNG KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {plan.year} – {plan.commune.name.upper()}"
    ws["A1"].font = Font(name=FONT, bold=True, size=13)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last_col}2")
    issued = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    ws["A2"] = f"(Kèm theo Kế hoạch số {plan.number_display}{issued})"
    ws["A2"].font = Font(name=FONT, italic=True, size=12)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append([])
    ws.append(headers)
    header_row = ws.max_row
    for col in range(1, len(headers) + 1):
        cell = ws.cell(row=header_row, column=col)
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for number, area in enumerate(
        plan.areas.prefetch_related("tasks__coordinating", "tasks__lead_department"), 1
    ):
        for task in area.tasks.all():
            ws.append(
                [
                    f"{number}.{task.letter}",
                    f"{number}. {area.title}",
                    task.title,
                    task.lead_department.name if task.lead_department else "",
                    task.coordinating_display(),
                    task.time_display,
                    task.output,
                    task.target_display,
                ]
            )
            mark_text(ws, ws.max_row)
            for col in range(1, len(headers) + 1):
                cell = ws.cell(row=ws.max_row, column=col)
                cell.font = Font(name=FONT, size=12)
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                cell.border = border
    # Widths that fit A4 landscape at about 90 % (fit to width then keeps 12 pt readable).
    widths = [6, 18, 40, 16, 18, 13, 20, 18]
    for col, width in zip("ABCDEFGH", widths, strict=True):
        ws.column_dimensions[col].width = width
    fit_row_heights(ws, first_row=header_row + 1, widths=widths, font_size=12)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.auto_filter.ref = f"A{header_row}:{last_col}{ws.max_row}"
    print_setup(ws, title_rows=f"{header_row}:{header_row}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
