"""The plan as an official document (.docx, NĐ 30/2020/NĐ-CP appendix I; docs/rules.md §12)
and its appendix as a spreadsheet (.xlsx)."""

from __future__ import annotations

import io

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

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
from cchc.core.exports import fit_row_heights, print_setup, put, write_row

from .extensions import TaskColumns, task_columns
from .models import Plan

__all__ = ["appendix_rows", "appendix_xlsx", "date_in_words", "plan_docx"]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def plan_docx(plan: Plan) -> bytes:
    """The plan as a .docx in the official format, appendix on landscape pages."""
    commune = plan.commune
    areas = list(plan.areas.prefetch_related("tasks__coordinating", "tasks__lead_department"))
    doc = new_document()
    header_block(
        doc,
        commune,
        number=plan.number_display,
        place_date=date_in_words(commune.place_name or commune.short_name, plan.issued_on, plan.year),
    )

    para(doc, "KẾ HOẠCH", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
    para(doc, plan.title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    para(doc, "_______________", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)

    for line in _lines(plan.basis):
        para(doc, line, indent=True)

    def heading(text: str) -> None:
        para(doc, text, bold=True, indent=True, before=6, keep_with_next=True)

    heading("I. MỤC ĐÍCH, YÊU CẦU")
    heading("1. Mục đích")
    for line in _lines(plan.purpose):
        para(doc, line, indent=True)
    heading("2. Yêu cầu")
    for line in _lines(plan.requirements):
        para(doc, line, indent=True)

    heading("II. CÁC CHỈ TIÊU, NHIỆM VỤ CHỦ YẾU")
    for number, area in enumerate(areas, start=1):
        heading(f"{number}. {area.title}")
        for line in _lines(area.intro):
            para(doc, line, indent=True)
        for task in area.tasks.all():
            lines = _lines(task.content) or [task.title]
            para(doc, f"{task.letter}) {lines[0]}", indent=True)
            for line in lines[1:]:
                para(doc, line, indent=True)
    para(
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
            para(doc, line, indent=True)
    for line in _lines(plan.closing):
        para(doc, line, indent=True)

    signature_block(
        doc, recipients=plan.recipient_list(), signer_title=plan.signer_title, signer_name=plan.signer_name
    )
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
    para(doc, "PHỤ LỤC", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    para(
        doc,
        f"KHUNG KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC NĂM {plan.year}",
        size=14,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    issued = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    para(
        doc,
        f"(Kèm theo Kế hoạch số {plan.number_display}{issued} của {short_body(plan.commune)})",
        size=13,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
    )
    extras = task_columns(plan)
    extra_headers = [h for columns in extras for h in columns.headers]
    headers = APPENDIX_HEADERS + extra_headers
    widths = _appendix_widths(len(extra_headers))
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    repeat_header(head)
    for cell, text in zip(head.cells, headers, strict=True):
        cell_para(cell, text, size=12, bold=True)
        shade(cell, "E7E6E6")
    last_base = len(APPENDIX_HEADERS) - 1
    for kind, item in appendix_rows(plan, areas):
        row = table.add_row()
        if kind == "area":
            number, title = item
            cell_para(row.cells[0], str(number), size=12, bold=True)
            merged = row.cells[1].merge(row.cells[last_base])
            cell_para(merged, title.upper(), size=12, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
            area_id = _area_id(item, areas, plan)
            _extra_cells(row.cells[last_base + 1 :], extras, lambda c, a=area_id: c.for_area(a), bold=True)
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
        for i, (cell, text) in enumerate(zip(row.cells, values, strict=False)):
            align = WD_ALIGN_PARAGRAPH.CENTER if i in (0, 4) else WD_ALIGN_PARAGRAPH.LEFT
            cell_para(cell, text, size=12, align=align)
        _extra_cells(row.cells[last_base + 1 :], extras, lambda c, t=task: c.for_task(t.pk))
    if extras:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[last_base])
        cell_para(merged, "TỔNG CỘNG", size=12, bold=True)
        _extra_cells(row.cells[last_base + 1 :], extras, lambda c: c.total, bold=True)
    set_widths(table, widths)


def _appendix_widths(extra: int) -> list[float]:
    """Column widths (cm) on A4 landscape: the six columns of the form, narrowed to
    make room for the columns other apps add (amounts need about 2.3 cm each)."""
    base = [1.3, 9.5, 3.6, 4.4, 3.2, 4.2]
    room = sum(base)
    scale = (room - 2.3 * extra) / room
    return [round(w * scale, 2) for w in base] + [2.3] * extra


def _area_id(item, areas, plan) -> int:
    number = item[0]
    ordered = list(areas if areas is not None else plan.areas.all())
    return ordered[number - 1].pk


def _extra_cells(cells, extras: list[TaskColumns], values_of, *, bold: bool = False) -> None:
    texts = [t for columns in extras for t in columns.text(values_of(columns))]
    for cell, text in zip(cells, texts, strict=True):
        cell_para(cell, text, size=12, bold=bold, align=WD_ALIGN_PARAGRAPH.RIGHT)


def appendix_xlsx(plan: Plan) -> bytes:
    """The appendix table (area, task, lead, coordinating, time, output) with the
    measurable target, as a spreadsheet departments can filter and sort."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"Phụ lục {plan.year}"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    extras = task_columns(plan)
    headers = [
        "TT",
        "Lĩnh vực",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian",
        "Sản phẩm",
        "Chỉ tiêu",
    ] + [h for columns in extras for h in columns.headers]
    last_col = get_column_letter(len(headers))
    ws.merge_cells(f"A1:{last_col}1")
    put(ws, 1, 1, f"PHỤ LỤC KHUNG KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {plan.year} – {plan.commune.name.upper()}")
    ws["A1"].font = Font(name=FONT, bold=True, size=13)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last_col}2")
    issued = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    put(ws, 2, 1, f"(Kèm theo Kế hoạch số {plan.number_display}{issued})")
    ws["A2"].font = Font(name=FONT, italic=True, size=12)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append([])
    write_row(ws, headers)
    header_row = ws.max_row
    for col in range(1, len(headers) + 1):
        cell = ws.cell(row=header_row, column=col)
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    areas = list(plan.areas.prefetch_related("tasks__coordinating", "tasks__lead_department"))
    for number, area in enumerate(areas, 1):
        for task in area.tasks.all():
            write_row(
                ws,
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
                + [v for columns in extras for v in columns.for_task(task.pk)],
            )
            for col in range(1, len(headers) + 1):
                cell = ws.cell(row=ws.max_row, column=col)
                cell.font = Font(name=FONT, size=12)
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                cell.border = border
    # Widths that fit A4 landscape at about 90 % (fit to width then keeps 12 pt readable).
    widths = [6, 18, 40, 16, 18, 13, 20, 18] + [15] * (len(headers) - 8)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    fit_row_heights(ws, first_row=header_row + 1, widths=widths, font_size=12)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.auto_filter.ref = f"A{header_row}:{last_col}{ws.max_row}"
    if extras:
        _xlsx_totals(ws, extras, areas, border)
    print_setup(ws, title_rows=f"{header_row}:{header_row}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_totals(ws, extras: list[TaskColumns], areas, border) -> None:
    """Below the task rows (outside the filter range): a subtotal per reform area
    and the plan's total, under the extra columns' headers."""
    ws.append([])
    write_row(ws, ["", "Tổng hợp theo lĩnh vực"] + [""] * 6 + [h for c in extras for h in c.headers])
    for cell in ws[ws.max_row]:
        cell.font = Font(name=FONT, bold=True, size=12)
    for number, area in enumerate(areas, 1):
        write_row(ws, [str(number), area.title] + [""] * 6 + [v for c in extras for v in c.for_area(area.pk)])
    write_row(ws, ["", "TỔNG CỘNG"] + [""] * 6 + [v for c in extras for v in c.total])
    for cell in ws[ws.max_row]:
        cell.font = Font(name=FONT, bold=True, size=12)
