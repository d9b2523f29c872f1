"""The report as an official document (.docx, NĐ 30/2020/NĐ-CP appendix I; docs/reports.md)
and its figure tables as a spreadsheet (.xlsx) that prints well."""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from cchc.core import exports
from cchc.core.documents import (
    FONT,
    cell_para,
    date_in_words,
    header_block,
    new_document,
    para,
    repeat_header,
    set_widths,
    shade,
    short_body,
    signature_block,
)
from cchc.core.figures import NO_DATA, PERCENT
from cchc.core.text import strip_controls

from . import tables
from .models import Report, Section, SectionKind
from .text import docx_lines

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
PART_TITLES = {
    SectionKind.GENERAL: "TÌNH HÌNH CHUNG",
    SectionKind.AREA: "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
    SectionKind.LIMITATIONS: "TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
    SectionKind.NEXT_TASKS: "NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
    SectionKind.PROPOSALS: "ĐỀ XUẤT, KIẾN NGHỊ",
}


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1: "I. …", 2: "1. …"
    section: Section | None


def outline(sections: list[Section]) -> list[Heading]:
    """Headings in document order: a Roman-numbered part per kind of section, the
    reform areas numbered 1, 2, … inside theirs."""
    out: list[Heading] = []
    part = 0
    area_number = 0
    last_kind = None
    for section in sections:
        if section.kind != last_kind:
            last_kind = section.kind
            out.append(Heading(f"{ROMAN[part]}. {PART_TITLES[section.kind]}", 1, None))
            part += 1
        if section.kind == SectionKind.AREA:
            area_number += 1
            out.append(Heading(f"{area_number}. {section.title}", 2, section))
        else:
            out.append(Heading("", 2, section))
    return out


def _intro(report: Report) -> str:
    return (
        f"Thực hiện chế độ báo cáo định kỳ về công tác cải cách hành chính, {report.commune.name} báo cáo "
        f"kết quả thực hiện công tác cải cách hành chính {report.period.label.lower()}"
        f" (số liệu tính {report.period.window_text}) như sau:"
    )


def _closing(report: Report) -> str:
    return (
        f"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {report.period.label.lower()} "
        f"của {report.commune.name}./."
    )


_PROJECT_DOC = re.compile(r"[;,]?\s*docs/[\w./-]+(?:,?\s*§\d+)*")


def public_source(source: str) -> str:
    """A figure's legal source without the project's own documentation pointers
    ("…; docs/rules.md §7"), which mean nothing in an official document."""
    return _PROJECT_DOC.sub("", source).strip(" ;,")


def _cell_text(cell: tables.Cell | None) -> str:
    return "—" if cell is None else cell.text


def report_docx(report: Report) -> bytes:
    """The report as a .docx in the official format; figure tables in a landscape appendix."""
    commune = report.commune
    sections = list(report.sections.order_by("position"))
    cells = tables.quote_cells(report, [s.body for s in sections])
    report_tables = tables.report_tables(report)
    doc = new_document()
    year = report.issued_on.year if report.issued_on else report.deadline.year
    header_block(
        doc,
        commune,
        number=report.number_display,
        place_date=date_in_words(commune.place_name or commune.short_name, report.issued_on, year),
    )
    para(doc, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
    para(doc, report.subject, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    para(doc, "_______________", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    para(doc, _intro(report), indent=True)
    for heading in outline(sections):
        if heading.text:
            para(doc, heading.text, bold=True, indent=True, before=6, keep_with_next=True)
        if heading.section is None:
            continue
        text = tables.render_quotes(heading.section.body, cells)
        written = docx_lines(text)
        if not written:
            para(doc, "(Chưa có nội dung.)", italic=True, indent=True)
        for line, level in written:
            p = para(doc, line, indent=level == 0)
            if level:
                p.paragraph_format.left_indent = Cm(1.27)
    if any(t.rows for t in report_tables):
        para(doc, "(Số liệu chi tiết tại Phụ lục kèm theo.)", italic=True, indent=True)
    para(doc, _closing(report), indent=True, before=6)
    signature_block(
        doc,
        recipients=report.recipient_list(),
        signer_title=report.signer_title,
        signer_name=report.signer_name,
    )
    _appendix(doc, report, report_tables)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _landscape_section(doc) -> None:
    """A new landscape A4 section for the wide figure tables."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(20), Mm(15)


def _appendix(doc, report: Report, report_tables: list[tables.Table]) -> None:
    _landscape_section(doc)
    para(doc, "PHỤ LỤC", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    para(
        doc,
        f"SỐ LIỆU CẢI CÁCH HÀNH CHÍNH {report.period.label.upper()}",
        size=14,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    issued = f" ngày {report.issued_on:%d/%m/%Y}" if report.issued_on else ""
    para(
        doc,
        f"(Kèm theo Báo cáo số {report.number_display}{issued} của {short_body(report.commune)}; "
        f"số liệu tính {report.period.window_text})",
        size=13,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
    )
    for number, table in enumerate(report_tables, start=1):
        para(doc, f"Biểu {number}. {table.title}", size=13, bold=True, keep_with_next=True, before=6)
        if table.by_figure:
            _figure_list(doc, table)
        else:
            _grid(doc, table)
        if table.missing:
            para(
                doc, "Chưa có trong danh mục số liệu: " + ", ".join(table.missing) + ".", size=11, italic=True
            )


def _figure_list(doc, table: tables.Table) -> None:
    grid = doc.add_table(rows=1, cols=4)
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = grid.rows[0]
    repeat_header(head)
    for cell, text in zip(head.cells, ["TT", "Chỉ tiêu", "Kết quả", "Cách tính, căn cứ"], strict=True):
        cell_para(cell, text, size=12, bold=True)
        shade(cell, "E7E6E6")
    for i, row in enumerate(table.rows, start=1):
        cell = row.cells[0]
        r = grid.add_row()
        cell_para(r.cells[0], str(i), size=12)
        cell_para(r.cells[1], row.label, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
        cell_para(r.cells[2], _cell_text(cell), size=12, bold=True)
        explain = ""
        if cell is not None:
            source = public_source(cell.source)
            explain = cell.definition + (f" ({source})" if source else "")
        cell_para(r.cells[3], explain, size=10, align=WD_ALIGN_PARAGRAPH.LEFT)
    set_widths(grid, [1.2, 8.5, 3.8, 12.0])


def _grid(doc, table: tables.Table) -> None:
    columns = len(table.headers)
    grid = doc.add_table(rows=2, cols=columns + 1)
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    top, sub = grid.rows
    repeat_header(top)
    repeat_header(sub)
    cell_para(top.cells[0].merge(sub.cells[0]), "TT", size=11, bold=True)
    cell_para(top.cells[1].merge(sub.cells[1]), table.headers[0], size=11, bold=True)
    col = 2
    for group, span in table.group_spans[1:]:
        if group:
            merged = top.cells[col].merge(top.cells[col + span - 1]) if span > 1 else top.cells[col]
            cell_para(merged, group, size=11, bold=True)
            for i in range(span):
                cell_para(sub.cells[col + i], table.headers[col - 1 + i], size=11, bold=True)
        else:
            for i in range(span):
                cell_para(
                    top.cells[col + i].merge(sub.cells[col + i]),
                    table.headers[col - 1 + i],
                    size=11,
                    bold=True,
                )
        col += span
    for cell in list(top.cells) + list(sub.cells):
        shade(cell, "E7E6E6")
    set_widths(grid, [1.0, 6.2] + [(26.0 - 7.2) / max(columns - 1, 1)] * (columns - 1))
    # Data rows are copies of two formatted prototype rows (plain, bold for the total)
    # with their texts replaced: formatting hundreds of cells one by one through
    # python-docx costs seconds for a commune with forty fields.
    prototypes = {}
    for bold in (False, True):
        r = grid.add_row()
        cell_para(r.cells[0], "0", size=11, bold=bold)
        cell_para(r.cells[1], "0", size=11, bold=bold, align=WD_ALIGN_PARAGRAPH.LEFT)
        for j in range(2, columns + 1):
            cell_para(r.cells[j], "0", size=11, bold=bold)
        prototypes[bold] = r._tr
    for proto in prototypes.values():
        grid._tbl.remove(proto)
    for i, row in enumerate(table.rows, start=1):
        total = row.key == tables.TOTAL_ROW
        tr = copy.deepcopy(prototypes[total])
        texts = ["" if total else str(i), row.label] + ["—" if v is None else v.short for v in row.cells]
        for node, text in zip(tr.iter(qn("w:t")), texts, strict=True):
            node.text = strip_controls(text)
        grid._tbl.append(tr)


# --- spreadsheet ---------------------------------------------------------------------------
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _put(ws, row: int, column: int, value, *, bold: bool = False, wrap: bool = True, fmt: str = ""):
    """Write a styled cell through the exports helper (text that a spreadsheet
    would read as a formula is stored and shown as text)."""
    cell = exports.put(ws, row, column, value)
    cell.font = Font(name=FONT, size=11, bold=bold)
    cell.alignment = Alignment(wrap_text=wrap, vertical="center")
    cell.border = _BORDER
    if fmt:
        cell.number_format = fmt
    return cell


def _value(cell: tables.Cell | None):
    """A number for the spreadsheet (so it can be summed), or the words for no data."""
    if cell is None:
        return "—", ""
    if cell.value is None:
        return NO_DATA, ""
    if cell.unit == PERCENT:
        return float(cell.value), '0.00"%"'
    if isinstance(cell.value, int):
        return cell.value, "#,##0"
    return float(cell.value), "#,##0.00"


def _title(ws, report: Report, title: str, width: int) -> int:
    last = get_column_letter(width)
    for row, (text, bold, italic) in enumerate(
        [
            (f"{report.commune.name.upper()} – BÁO CÁO CCHC {report.period.label.upper()}", True, False),
            (title, True, False),
            (
                f"Số liệu tính {report.period.window_text}"
                + (
                    f"; đã chốt khi gửi báo cáo số {report.number_display} ngày {report.sent_on:%d/%m/%Y}"
                    if report.is_sent
                    else "; số liệu trực tiếp, chưa chốt"
                ),
                False,
                True,
            ),
        ],
        start=1,
    ):
        ws.merge_cells(f"A{row}:{last}{row}")
        exports.put(ws, row, 1, text).font = Font(name=FONT, size=12, bold=bold, italic=italic)
        ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    return 5


def _print_setup(ws, header_rows: str, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.page_margins.left = ws.page_margins.right = 0.5


def report_xlsx(report: Report) -> bytes:
    """The figure tables, one sheet each, plus the definitions of every figure."""
    wb = Workbook()
    wb.remove(wb.active)
    used: dict[str, tables.Cell] = {}
    for number, table in enumerate(tables.report_tables(report), start=1):
        ws = wb.create_sheet(f"Biểu {number}")
        if table.by_figure:
            width = 4
            row = _title(ws, report, f"Biểu {number}. {table.title}", width)
            for col, text in enumerate(["TT", "Chỉ tiêu", "Kết quả", "Đơn vị"], start=1):
                _put(ws, row, col, text, bold=True).fill = PatternFill("solid", fgColor="E7E6E6")
            header_rows = f"{row}:{row}"
            for i, r in enumerate(table.rows, start=1):
                cell = r.cells[0]
                value, fmt = _value(cell)
                _put(ws, row + i, 1, i)
                _put(ws, row + i, 2, r.label)
                _put(ws, row + i, 3, value, fmt=fmt)
                _put(ws, row + i, 4, cell.unit if cell else "")
                if cell:
                    used[cell.key] = cell
            for col, w in zip("ABCD", [6, 60, 16, 12], strict=True):
                ws.column_dimensions[col].width = w
            _print_setup(ws, header_rows, landscape=False)
        else:
            width = len(table.headers) + 1
            row = _title(ws, report, f"Biểu {number}. {table.title}", width)
            _put(ws, row, 1, "TT", bold=True)
            ws.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=1)
            _put(ws, row, 2, table.headers[0], bold=True)
            ws.merge_cells(start_row=row, start_column=2, end_row=row + 1, end_column=2)
            col = 3
            for group, span in table.group_spans[1:]:
                for i in range(span):
                    _put(ws, row + 1, col + i, table.headers[col - 2 + i], bold=True)
                    _put(ws, row, col + i, group, bold=True)
                if span > 1 and group:
                    ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + span - 1)
                col += span
            for r in (row, row + 1):
                for c in range(1, width + 1):
                    ws.cell(row=r, column=c).fill = PatternFill("solid", fgColor="E7E6E6")
                    ws.cell(row=r, column=c).alignment = Alignment(
                        horizontal="center", vertical="center", wrap_text=True
                    )
            header_rows = f"{row}:{row + 1}"
            first = row + 2
            for i, r in enumerate(table.rows):
                total = r.key == tables.TOTAL_ROW
                _put(ws, first + i, 1, "" if total else i + 1)
                _put(ws, first + i, 2, r.label, bold=total)
                for j, cell in enumerate(r.cells):
                    value, fmt = _value(cell)
                    _put(ws, first + i, 3 + j, value, bold=total, fmt=fmt)
                    if cell:
                        used[cell.key] = cell
            ws.column_dimensions["A"].width = 6
            ws.column_dimensions["B"].width = 40
            for c in range(3, width + 1):
                ws.column_dimensions[get_column_letter(c)].width = 12
            ws.freeze_panes = ws.cell(row=first, column=3)
            _print_setup(ws, header_rows, landscape=True)
        if table.missing:
            note = exports.put(
                ws, ws.max_row + 2, 1, "Chưa có trong danh mục số liệu: " + ", ".join(table.missing)
            )
            note.font = Font(name=FONT, size=10, italic=True)
    ws = wb.create_sheet("Định nghĩa")
    row = _title(ws, report, "Định nghĩa các số liệu", 5)
    for col, text in enumerate(["Mã số liệu", "Tên", "Đơn vị", "Cách tính", "Căn cứ"], start=1):
        _put(ws, row, col, text, bold=True).fill = PatternFill("solid", fgColor="E7E6E6")
    for i, cell in enumerate(sorted(used.values(), key=lambda c: c.key), start=1):
        for col, text in enumerate(
            [cell.key, cell.label, cell.unit, cell.definition, public_source(cell.source)], start=1
        ):
            _put(ws, row + i, col, text)
    for col, w in zip("ABCDE", [28, 40, 10, 70, 40], strict=True):
        ws.column_dimensions[col].width = w
    _print_setup(ws, f"{row}:{row}", landscape=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
