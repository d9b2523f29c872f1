"""Spreadsheets of figures and registers (openpyxl), shared by every app's
"Xuất Excel" button: one sheet, a title, an optional subtitle, then one or more
captioned tables with a bold header row.

Every workbook prints well: A4, fitted to the page width, the (first) table's
header row repeated on every printed page. Cells are written from cleaned text,
and a text that starts like a formula ("=", "+", "-", "@", or a tab or carriage
return before one) stays text — a register row typed as "=HYPERLINK(…)" must never
run in the reader's Excel. Dates are real dates shown dd/mm/yyyy, so that a register
exported here can be sorted, filtered and imported again.

Every workbook the product writes (register, plan appendix, statistics, reports,
registers, PAR index) puts its cells through `put`, `set_cell` or `write_row` here;
`cchc/core/tests/test_exports.py` fails when a module writes a cell another way.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime

Table = tuple[str, Sequence[str], Sequence[Sequence]]  # caption, head, rows

# What makes a spreadsheet program read a cell as a formula (OWASP "CSV injection"):
# these first characters, also after leading tabs or carriage returns.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value):
    """The value as a cell holds it: text in NFC without control characters
    (spreadsheets refuse them; a stored \\x01 must not break an export)."""
    if isinstance(value, str):
        from cchc.core.text import clean_input

        return clean_input(value)
    return value


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _guard(cell) -> None:
    value = cell.value
    if looks_like_formula(value):
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    elif isinstance(value, datetime):
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"


def set_cell(cell, value):
    """Write one cell (a title, a heading placed by hand) the way every export
    writes: cleaned text, never a formula, dates as dd/mm/yyyy. Returns the cell."""
    cell.value = cell_value(value)
    _guard(cell)
    return cell


def put(ws, row: int, column: int, value):
    """`set_cell` on `ws`'s cell at (row, column)."""
    return set_cell(ws.cell(row=row, column=column), value)


def _write_row(ws, values: Sequence) -> None:
    ws.append([cell_value(v) for v in values])
    for cell in ws[ws.max_row]:
        _guard(cell)


def append_row(ws, values: Sequence) -> None:
    """Append one row the way every export writes it (NFC text without control
    characters, never a formula, dates as dd/mm/yyyy), for workbooks laid out by
    hand (the PAR-index summary and criteria tables)."""
    _write_row(ws, list(values))


def xlsx_tables(
    title: str,
    tables: Sequence[Table],
    *,
    subtitle: str = "",
    landscape: bool = True,
    widths: Sequence[int] | None = None,
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\\/*?:\[\]]", " ", cell_value(title))[:31] or "Sheet"
    _write_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    if subtitle:
        _write_row(ws, [subtitle])
    width = 0
    first_head = None
    for caption, head, rows in tables:
        ws.append([])
        if caption:
            _write_row(ws, [caption])
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True, italic=True)
        _write_row(ws, list(head))
        head_row = ws.max_row
        first_head = first_head or head_row
        for cell in ws[head_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in rows:
            _write_row(ws, list(row))
        width = max(width, len(head))
    for i in range(1, width + 1):
        letter = ws.cell(row=1, column=i).column_letter
        ws.column_dimensions[letter].width = widths[i - 1] if widths and i <= len(widths) else 16
    if widths:
        for row in ws.iter_rows(min_row=(first_head or 1) + 1):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if len(tables) == 1 and first_head:
        ws.freeze_panes = ws.cell(row=first_head + 1, column=1)
        if width:
            ws.auto_filter.ref = (
                f"A{first_head}:{ws.cell(row=first_head, column=width).column_letter}{ws.max_row}"
            )
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    # Fit every column on the page width; as many pages down as the rows need.
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if first_head:
        ws.print_title_rows = f"{first_head}:{first_head}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx(
    title: str,
    head: Sequence[str],
    rows: Sequence[Sequence],
    *,
    subtitle: str = "",
    landscape: bool = True,
    widths: Sequence[int] | None = None,
) -> bytes:
    """One table (a register, a list of figures)."""
    return xlsx_tables(title, [("", head, rows)], subtitle=subtitle, landscape=landscape, widths=widths)


def write_row(ws, values: Sequence) -> None:
    """Append a row to a hand-built sheet (a register, an appendix) with the same
    cleaning as the tables above: NFC text, no control characters, formula-looking
    text kept as text, dates as dates."""
    _write_row(ws, values)


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
