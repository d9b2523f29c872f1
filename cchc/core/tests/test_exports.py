"""Spreadsheets never turn a user's text into a formula."""

import io

from openpyxl import load_workbook

from cchc.core.exports import xlsx


def test_text_starting_with_an_equals_sign_stays_text():
    body = xlsx("Thử", ["Tên", "Số"], [['=HYPERLINK("http://x")', 3], ["-2 hồ sơ", 4]])
    ws = load_workbook(io.BytesIO(body)).active
    cells = {c.value: c.data_type for row in ws.iter_rows() for c in row if c.value is not None}
    assert cells['=HYPERLINK("http://x")'] == "s"
    assert cells["-2 hồ sơ"] == "s" and cells[3] == "n"
