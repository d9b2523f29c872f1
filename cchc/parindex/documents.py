"""The commune's submission documents and the province's table (docs/par-index.md,
"Documents"): the summary table (.xlsx), the letter asking for appraisal (.docx in the
format of NĐ 30/2020, docs/rules.md §12, signed by the chairman, with the summary
table) and the ranking (.xlsx)."""

from __future__ import annotations

import io

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

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
    signature_block,
)
from cchc.core.exports import append_row

from .models import Assessment
from .results import Ranking, Result, compute
from .rules import pct, pts

EXAMPLE_NOTE = "BỘ TIÊU CHÍ VÍ DỤ – KHÔNG PHẢI VĂN BẢN PHÁP LÝ"
SUMMARY_HEAD = [
    "STT",
    "Tiêu chí",
    "Điểm tối đa",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Thuyết minh / nhận xét",
]


def _percent(value) -> str:
    return "—" if value is None else pct(value, trim=False)


def _summary_rows(result: Result, *, with_appraisal: bool) -> list[list]:
    rows = []
    for node in result.nodes:
        score = node.score
        self_value = (
            "Không áp dụng"
            if score and score.self_not_applicable
            else ("Cấp trên chấm" if node.criterion.rule_kind == "survey" else pts(node.self.points))
        )
        if (
            node.is_leaf
            and score is not None
            and not score.self_scored
            and node.criterion.rule_kind != "survey"
        ):
            self_value = "Chưa chấm"
        appraised = ""
        if with_appraisal:
            appraised = (
                "Không áp dụng" if score and score.appraised_not_applicable else pts(node.appraised.points)
            )
            if node.is_leaf and score is not None and not score.appraised:
                appraised = "—"
        text = ""
        if score is not None:
            text = "\n".join(
                filter(
                    None,
                    [
                        score.self_note,
                        f"Thẩm định: {score.appraisal_comment}"
                        if with_appraisal and score.appraisal_comment
                        else "",
                    ],
                )
            )
        rows.append(
            [
                node.code,
                node.criterion.title,
                pts(node.max_points),
                self_value,
                appraised,
                text,
                node.criterion.depth,
            ]
        )
    return rows


def summary_xlsx(assessment: Assessment) -> bytes:
    """Every criterion with its maximum, self-score and appraisal, the totals and the
    rescale — the table the commune sends with its letter."""
    result = compute(assessment)
    with_appraisal = assessment.is_sent
    wb = Workbook()
    ws = wb.active
    ws.title = f"Chỉ số CCHC {assessment.year}"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    title = f"BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {assessment.year}"
    append_row(ws, [title])
    append_row(ws, [assessment.commune.name.upper()])
    append_row(ws, [f"Bộ tiêu chí: {assessment.criteria_set}"])
    if assessment.criteria_set.is_example:
        append_row(ws, [EXAMPLE_NOTE])
    for row in range(1, ws.max_row + 1):
        ws.cell(row=row, column=1).font = Font(name=FONT, bold=row <= 2, size=13 if row == 1 else 12)
    ws.append([])
    append_row(ws, SUMMARY_HEAD)
    head_row = ws.max_row
    for cell in ws[head_row]:
        cell.font = Font(name=FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for values in _summary_rows(result, with_appraisal=with_appraisal):
        depth = values.pop()
        append_row(ws, values)
        for cell in ws[ws.max_row]:
            cell.font = Font(name=FONT, bold=depth == 0)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
        ws.cell(row=ws.max_row, column=1).number_format = "@"
    totals = [
        [
            "",
            "Tổng điểm",
            pts(result.self_total.maximum),
            pts(result.self_total.points),
            pts(result.appraised_total.points) if with_appraisal else "",
            "",
        ],
        [
            "",
            "Điểm tối đa áp dụng",
            "",
            pts(result.self_total.applicable),
            pts(result.appraised_total.applicable) if with_appraisal else "",
            "",
        ],
        [
            "",
            f"Kết quả quy về thang {pts(result.self_total.scale)}",
            "",
            pts(result.self_total.scaled),
            pts(result.appraised_total.scaled) if with_appraisal else "",
            result.appraised_total.rescale_text if with_appraisal else result.self_total.rescale_text,
        ],
        [
            "",
            "Tỷ lệ so với điểm tối đa áp dụng",
            "",
            _percent(result.self_total.percent),
            _percent(result.appraised_total.percent) if with_appraisal else "",
            "",
        ],
    ]
    for values in totals:
        append_row(ws, values)
        for cell in ws[ws.max_row]:
            cell.font = Font(name=FONT, bold=True)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for col, width in zip("ABCDEF", [8, 60, 10, 12, 12, 45], strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=head_row + 1, column=1)
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def letter_docx(assessment: Assessment) -> bytes:
    """The commune's letter asking the province to appraise its self-assessment
    (công văn, NĐ 30/2020), signed by the chairman, with the summary table."""
    commune = assessment.commune
    criteria_set = assessment.criteria_set
    result = compute(assessment)
    total = result.self_total
    doc = new_document()
    header_block(
        doc,
        commune,
        number=assessment.letter_number_display,
        place_date=date_in_words(
            commune.place_name or commune.short_name, assessment.letter_date, assessment.year
        ),
        subject=f"V/v đề nghị thẩm định kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm {assessment.year}",
    )
    owner = criteria_set.owner
    para(doc, f"Kính gửi: {owner.name}.", align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=12)
    basis = (
        f"Thực hiện {criteria_set.decision} về bộ tiêu chí"
        if criteria_set.decision
        else "Thực hiện bộ tiêu chí"
    )
    para(
        doc,
        f"{basis} đánh giá Chỉ số cải cách hành chính năm {assessment.year} ({criteria_set.title}, phiên bản {criteria_set.version}), "
        f"{commune.name} đã tổ chức tự đánh giá, chấm điểm các tiêu chí, kèm theo tài liệu kiểm chứng.",
        indent=True,
    )
    para(
        doc,
        f"Kết quả tự đánh giá: {pts(total.points)}/{pts(total.applicable)} điểm tối đa áp dụng "
        f"(đạt {_percent(total.percent)}; quy về thang {pts(total.scale)}: {pts(total.scaled)} điểm). "
        "Chi tiết tại bảng tổng hợp kèm theo.",
        indent=True,
    )
    if total.rescale_text:
        para(doc, total.rescale_text + ".", indent=True)
    para(
        doc,
        f"{commune.name} kính đề nghị {owner.name} xem xét, thẩm định kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính "
        f"năm {assessment.year} của {commune.short_name}./.",
        indent=True,
    )
    if criteria_set.is_example:
        para(doc, f"({EXAMPLE_NOTE.capitalize()}.)", italic=True, size=12, indent=True)
    signature_block(
        doc,
        recipients=assessment.recipient_list() or [owner.name],
        signer_title=assessment.signer_title,
        signer_name=assessment.signer_name,
    )
    # The summary table on landscape pages.
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    para(doc, "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    issued = f" ngày {assessment.letter_date:%d/%m/%Y}" if assessment.letter_date else ""
    para(
        doc,
        f"(Kèm theo Công văn số {assessment.letter_number_display}{issued} của {commune.name})",
        italic=True,
        size=13,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
    )
    head = SUMMARY_HEAD[:4] + ["Thuyết minh"]
    table = doc.add_table(rows=1, cols=len(head))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell_para(cell, text, size=12, bold=True)
        shade(cell, "E7E6E6")
    for values in _summary_rows(result, with_appraisal=False):
        depth = values.pop()
        row = table.add_row()
        for i, (cell, text) in enumerate(
            zip(row.cells, [values[0], values[1], values[2], values[3], values[5]], strict=True)
        ):
            cell_para(
                cell,
                str(text),
                size=12,
                bold=depth == 0,
                align=WD_ALIGN_PARAGRAPH.LEFT if i in (1, 4) else WD_ALIGN_PARAGRAPH.CENTER,
            )
    for label, a, b in (
        ("Tổng điểm", pts(total.maximum), pts(total.points)),
        ("Điểm tối đa áp dụng", "", pts(total.applicable)),
        (f"Kết quả quy về thang {pts(total.scale)}", "", pts(total.scaled)),
    ):
        row = table.add_row()
        for i, text in enumerate(["", label, a, b, ""]):
            cell_para(
                row.cells[i],
                text,
                size=12,
                bold=True,
                align=WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER,
            )
    set_widths(table, [1.6, 11.5, 2.3, 2.6, 7.5])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def ranking_xlsx(table: Ranking) -> bytes:
    """The province's table: rank, result group, commune, per-area points, total,
    applicable maximum, result on the scale and in %, status; then who has not sent."""
    criteria_set = table.criteria_set
    wb = Workbook()
    ws = wb.active
    ws.title = f"Xếp hạng {criteria_set.year}"
    append_row(ws, [f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ NĂM {criteria_set.year}"])
    append_row(ws, [f"{criteria_set.owner.name} · {criteria_set.title} (phiên bản {criteria_set.version})"])
    if criteria_set.is_example:
        append_row(ws, [EXAMPLE_NOTE])
    ws["A1"].font = Font(name=FONT, bold=True, size=13)
    ws.append([])
    head = [
        "Hạng",
        "Nhóm",
        "Xã",
        *[f"{a.code}. {a.title} ({pts(a.max_points)})" for a in table.areas],
        "Tổng điểm",
        "Điểm tối đa áp dụng",
        f"Quy về thang {pts(criteria_set.scale)}",
        "Tỷ lệ",
        "Trạng thái",
    ]
    append_row(ws, head)
    head_row = ws.max_row
    for cell in ws[head_row]:
        cell.font = Font(name=FONT, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in table.sent:
        total = row.total
        status = row.status_label + (" (tạm tính theo tự đánh giá)" if row.provisional else "")
        append_row(
            ws,
            [
                row.rank,
                row.band,
                str(row.commune),
                *[float(v) if (v := row.area_points(a.code)) is not None else None for a in table.areas],
                float(total.points),
                float(total.applicable),
                float(total.scaled) if total.scaled is not None else None,
                _percent(total.percent),
                status,
            ],
        )
    if table.not_sent:
        ws.append([])
        append_row(ws, ["Chưa công bố kết quả" if table.published_only else "Chưa gửi kết quả tự đánh giá"])
        ws.cell(row=ws.max_row, column=1).font = Font(name=FONT, bold=True, italic=True)
        for row in table.not_sent:
            append_row(
                ws, ["", "", str(row.commune), *[""] * len(table.areas), "", "", "", "", row.status_label]
            )
    ws.column_dimensions["C"].width = 28
    ws.freeze_panes = ws.cell(row=head_row + 1, column=4)
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
