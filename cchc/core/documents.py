"""Official documents (.docx) in the format of NĐ 30/2020/NĐ-CP appendix I
(docs/rules.md §12), shared by every app that writes one (the plan, the PAR-index
letter asking for appraisal, reports).

The helpers set Times New Roman for every run (also for East-Asian text, which
Word otherwise renders in a fallback font), A4 portrait with the legal margins,
page numbers top centre but not on page 1, the two-column header (issuing body |
national name and motto; number | place and date) and the signature block
(recipients | "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", name).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from cchc.core.text import strip_controls, vn_date

FONT = "Times New Roman"
BODY_PT = 14


def date_in_words(place: str, day: date | None, year: int) -> str:
    """'Đức Xương, ngày 05 tháng 01 năm 2024' (NĐ 30: a zero before days 1–9 and
    months 1–2); blanks to fill by hand while the date is not set."""
    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    return f"{place}, {vn_date(day)}"


def issuing_body_lines(unit) -> tuple[str, str]:
    """('ỦY BAN NHÂN DÂN', 'XÃ ĐỨC XƯƠNG') from the unit's name."""
    name = unit.name.strip()
    prefix = "Ủy ban nhân dân"
    if name.lower().startswith(prefix.lower()):
        return "ỦY BAN NHÂN DÂN", name[len(prefix) :].strip().upper()
    return name.upper(), ""


def short_body(unit) -> str:
    """'UBND xã Đức Xương' (for "Kèm theo … của UBND xã …")."""
    return f"UBND {unit.short_name}" if unit.short_name else unit.name


# --- runs, paragraphs, tables ---------------------------------------------------
def font(run, size: float | None = None, bold=None, italic=None, underline=None) -> None:
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


def run(paragraph, text: str = ""):
    """`paragraph.add_run(text)` for text that may hold control characters (stored
    before input was cleaned): XML refuses them, so they are dropped here and a
    document never fails on one."""
    return paragraph.add_run(strip_controls(text) if text else text)


def para(
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
    """A body paragraph (justified; `indent` gives the 1.27 cm first-line indent)."""
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
        font(run(p, text), size, bold, italic, underline)
    return p


def cell_para(
    cell, text: str, *, size: float, bold=False, italic=False, underline=False, align=None, first=True
):
    """A paragraph in a table cell (the cell's own empty paragraph is used first)."""
    p = cell.paragraphs[0] if first and not cell.paragraphs[0].text else cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    font(run(p, text), size, bold, italic, underline)
    return p


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def page_field(paragraph) -> None:
    """A PAGE field: Word and LibreOffice fill in the page number."""
    run = paragraph.add_run()
    font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def repeat_header(row) -> None:
    """Repeat this table row at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def set_widths(table, widths_cm: Sequence[float]) -> None:
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


# --- the document's frame -----------------------------------------------------------
def new_document():
    """An empty A4 portrait document: Times New Roman 14, margins 20/20/30/15 mm, page
    numbers top centre from page 2 on."""
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
    # Page numbers top centre, not on page 1: a different, empty first-page header.
    section.different_first_page_header_footer = True
    header_p = section.header.paragraphs[0]
    header_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_field(header_p)
    return doc


def header_block(doc, unit, *, number: str, place_date: str, subject: str = ""):
    """The two-column heading: issuing body over the number (and, for a letter, the
    "V/v …" subject under it) | national name and motto over place and date."""
    body1, body2 = issuing_body_lines(unit)
    table = doc.add_table(rows=2, cols=2)
    no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, [6.0, 10.5])
    left, right = table.rows[0].cells
    cell_para(left, body1, size=13, bold=True)
    if body2:
        cell_para(left, body2, size=13, bold=True, underline=True, first=False)
    cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    cell_para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True, first=False)
    left, right = table.rows[1].cells
    cell_para(left, f"Số: {number}", size=13).paragraph_format.space_before = Pt(6)
    if subject:
        cell_para(left, subject, size=12, first=False)
    p = cell_para(right, place_date, size=14, italic=True)
    p.paragraph_format.space_before = Pt(6)
    return table


def recipient_lines(items: Sequence[str], archive: str = "Lưu: VT, VP") -> list[str]:
    """'- UBND tỉnh;' … '- Lưu: VT, VP.' (the archive line added when missing)."""
    items = [i.strip().lstrip("-").strip() for i in items if i.strip(" -")]
    if not any(i.lower().startswith("lưu") for i in items):
        items.append(archive)
    out = []
    for i, item in enumerate(items):
        item = item.rstrip(";.")
        if item.lower().startswith("lưu") and ":" not in item:
            item = "Lưu: " + item[3:].strip(" :")
        out.append(f"- {item}{'.' if i == len(items) - 1 else ';'}")
    return out


def signature_block(doc, *, recipients: Sequence[str], signer_title: str, signer_name: str):
    """Recipients on the left, "TM. ỦY BAN NHÂN DÂN / [KT.] CHỦ TỊCH / name" on the right."""
    sig = doc.add_table(rows=1, cols=2)
    no_borders(sig)
    set_widths(sig, [8.0, 8.5])
    left, right = sig.rows[0].cells
    p = cell_para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    p.paragraph_format.space_before = Pt(12)
    for line in recipient_lines(recipients):
        cell_para(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, first=False)
    p = cell_para(right, "TM. ỦY BAN NHÂN DÂN", size=13, bold=True)
    p.paragraph_format.space_before = Pt(12)
    if signer_title and signer_title.upper() != "CHỦ TỊCH":
        cell_para(right, "KT. CHỦ TỊCH", size=13, bold=True, first=False)
    cell_para(right, (signer_title or "CHỦ TỊCH").upper(), size=13, bold=True, first=False)
    for _ in range(4):
        cell_para(right, "", size=13, first=False)
    cell_para(right, signer_name, size=13, bold=True, first=False)
    return sig
