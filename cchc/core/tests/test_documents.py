"""The shared helpers of official documents (NĐ 30/2020, docs/rules.md §12)."""

import io
from datetime import date
from types import SimpleNamespace

from docx import Document

from cchc.core.documents import (
    date_in_words,
    header_block,
    issuing_body_lines,
    new_document,
    recipient_lines,
    signature_block,
)

COMMUNE = SimpleNamespace(name="Ủy ban nhân dân xã Đức Xương", short_name="xã Đức Xương")


def test_dates_take_a_leading_zero_only_for_days_below_10_and_months_1_and_2():
    assert date_in_words("Đức Xương", date(2025, 2, 5), 2025) == "Đức Xương, ngày 05 tháng 02 năm 2025"
    assert date_in_words("Đức Xương", date(2025, 3, 10), 2025) == "Đức Xương, ngày 10 tháng 3 năm 2025"
    assert date_in_words("Đức Xương", None, 2025) == "Đức Xương, ngày      tháng      năm 2025"


def test_the_issuing_body_is_split_into_its_two_lines():
    assert issuing_body_lines(COMMUNE) == ("ỦY BAN NHÂN DÂN", "XÃ ĐỨC XƯƠNG")
    assert issuing_body_lines(SimpleNamespace(name="Sở Nội vụ")) == ("SỞ NỘI VỤ", "")


def test_recipients_end_with_the_archive_line_and_a_full_stop():
    assert recipient_lines(["Sở Nội vụ", "- Lãnh đạo UBND xã;"]) == [
        "- Sở Nội vụ;",
        "- Lãnh đạo UBND xã;",
        "- Lưu: VT, VP.",
    ]
    assert recipient_lines(["Sở Nội vụ", "Lưu VT"]) == ["- Sở Nội vụ;", "- Lưu: VT."]


def test_a_letter_has_the_heading_subject_and_signature_in_times_new_roman():
    doc = new_document()
    header_block(
        doc,
        COMMUNE,
        number="12/UBND-VP",
        place_date=date_in_words("Đức Xương", date(2025, 12, 20), 2025),
        subject="V/v đề nghị thẩm định",
    )
    signature_block(doc, recipients=["Sở Nội vụ"], signer_title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Thị Hà")
    out = io.BytesIO()
    doc.save(out)
    read = Document(io.BytesIO(out.getvalue()))
    head, sig = read.tables
    left = head.rows[1].cells[0].text.split("\n")
    assert left == ["Số: 12/UBND-VP", "V/v đề nghị thẩm định"]
    assert head.rows[1].cells[1].paragraphs[0].runs[0].italic
    right = sig.rows[0].cells[1].text.split("\n")
    assert (
        right[:3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] and right[-1] == "Nguyễn Thị Hà"
    )
    fonts = {r.font.name for p in read.tables[0].rows[0].cells[0].paragraphs for r in p.runs}
    assert fonts == {"Times New Roman"}
    section = read.sections[0]
    assert section.different_first_page_header_footer and "PAGE" in section.header._element.xml
