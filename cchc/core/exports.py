"""Spreadsheets of figures and registers (openpyxl), shared by every app's
"Xuất Excel" button: one sheet, a title, an optional subtitle, then one or more
captioned tables with a bold header row."""

from __future__ import annotations

import io
from collections.abc import Sequence

Table = tuple[str, Sequence[str], Sequence[Sequence]]  # caption, head, rows


def append_row(ws, values: Sequence) -> None:
    """Append a row in which every text value stays text: openpyxl would store a
    text starting with '=' as a formula (formula injection from a title typed by a
    user); such cells are marked as plain strings (CONVENTIONS 17)."""
    ws.append(list(values))
    for cell in ws[ws.max_row]:
        if cell.data_type == "f" and isinstance(cell.value, str):
            cell.data_type = "s"


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
            append_row(ws, row)
        width = max(width, len(head))
    for i in range(1, width + 1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = 16
    if len(tables) == 1 and first_head:
        ws.freeze_panes = ws.cell(row=first_head + 1, column=1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx(
    title: str, head: Sequence[str], rows: Sequence[Sequence], *, subtitle: str = "", landscape: bool = True
) -> bytes:
    """One table (a register, a list of figures)."""
    return xlsx_tables(title, [("", head, rows)], subtitle=subtitle, landscape=landscape)
