"""Spreadsheets of figures and registers (openpyxl), shared by every app's
"Xuất Excel" button: one sheet, a title, an optional subtitle, then one or more
captioned tables with a bold header row."""

from __future__ import annotations

import io
from collections.abc import Sequence

Table = tuple[str, Sequence[str], Sequence[Sequence]]  # caption, head, rows


def xlsx_tables(title: str, tables: Sequence[Table], *, subtitle: str = "", landscape: bool = True) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    if subtitle:
        ws.append([subtitle])
    width = 0
    first_head = None
    for caption, head, rows in tables:
        ws.append([])
        if caption:
            ws.append([caption])
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True, italic=True)
        ws.append(list(head))
        head_row = ws.max_row
        first_head = first_head or head_row
        for cell in ws[head_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in rows:
            ws.append(list(row))
            mark_text(ws, ws.max_row)
        width = max(width, len(head))
    for i in range(1, width + 1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = 16
    if len(tables) == 1 and first_head:
        ws.freeze_panes = ws.cell(row=first_head + 1, column=1)
    print_setup(
        ws,
        title_rows=f"{first_head}:{first_head}" if len(tables) == 1 and first_head else "",
        landscape=landscape,
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx(
    title: str, head: Sequence[str], rows: Sequence[Sequence], *, subtitle: str = "", landscape: bool = True
) -> bytes:
    """One table (a register, a list of figures)."""
    return xlsx_tables(title, [("", head, rows)], subtitle=subtitle, landscape=landscape)


def mark_text(ws, row: int) -> None:
    """Cells of `row` whose text starts with =, +, - or @ stay text: a spreadsheet
    must never run what an applicant typed as a formula."""
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
            cell.data_type = "s"


def print_setup(ws, *, title_rows: str = "", landscape: bool = True) -> None:
    """A4, fitted to the page width (as many pages down as needed), centred, with
    `title_rows` (e.g. "7:8") repeated on every page and page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "Trang &P / &N"


def fit_row_heights(ws, *, first_row: int, widths: Sequence[float], font_size: float = 11) -> None:
    """Give rows from `first_row` on a height that shows their wrapped text: not
    every spreadsheet program sizes wrapped rows itself when a file is opened, and a
    register printed with cut-off lines is unreadable. A column of width w holds
    about w × 11 / font_size characters per line."""
    import math

    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell, width in zip(row, widths, strict=False):
            if cell.value is None:
                continue
            per_line = max(1.0, width * 11 / font_size * 0.95)
            count = sum(max(1, math.ceil(len(part) / per_line)) for part in str(cell.value).split("\n"))
            lines = max(lines, count)
        ws.row_dimensions[row[0].row].height = round(lines * font_size * 1.3 + 3, 1)
