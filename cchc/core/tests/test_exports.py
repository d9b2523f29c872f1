"""Spreadsheets never turn a user's text into a formula."""

import io
import re
from pathlib import Path

from openpyxl import load_workbook

import cchc
from cchc.core.exports import xlsx


def test_text_starting_with_an_equals_sign_stays_text():
    body = xlsx("Thử", ["Tên", "Số"], [['=HYPERLINK("http://x")', 3], ["-2 hồ sơ", 4]])
    ws = load_workbook(io.BytesIO(body)).active
    cells = {c.value: c.data_type for row in ws.iter_rows() for c in row if c.value is not None}
    assert cells['=HYPERLINK("http://x")'] == "s"
    assert cells["-2 hồ sơ"] == "s" and cells[3] == "n"


def test_a_leading_tab_or_carriage_return_and_every_formula_start_stay_text():
    values = ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1+2", "\r=1+2", "ok"]
    ws = load_workbook(io.BytesIO(xlsx("Thử", ["Giá trị"], [[v] for v in values]))).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    for value in values[:-1]:
        assert cells[value].data_type == "s" and cells[value].quotePrefix, value
    assert not cells["ok"].quotePrefix


def test_control_characters_are_dropped_from_cells():
    ws = load_workbook(io.BytesIO(xlsx("Thử\x01", ["Tên"], [["Nguyễn\x01 Văn\x00 An\x7f"]]))).active
    assert [c.value for c in ws["A"] if c.value][-1] == "Nguyễn Văn An"


# Every module that builds a workbook writes its cells through the helpers of
# cchc/core/exports.py (put, set_cell, write_row / append_row): a direct write
# would bypass the formula and control-character guard.
_DIRECT_WRITES = [
    re.compile(r"\bws\.append\((?!\[\]\))"),  # ws.append(...) except an empty row
    re.compile(r"\bws\[[^\]]+\]\s*=(?!=)"),  # ws["A1"] = ...
    re.compile(r"\.cell\([^)]*\bvalue\s*="),  # ws.cell(row, col, value=...)
    re.compile(r"\bcell\.value\s*=(?!=)"),  # cell.value = ...
]


def test_every_workbook_writer_goes_through_the_exports_helpers():
    root = Path(cchc.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "exports.py":
            continue
        source = path.read_text(encoding="utf-8")
        if "openpyxl" not in source and "cchc.core.exports" not in source:
            continue
        for number, line in enumerate(source.splitlines(), 1):
            if any(p.search(line) for p in _DIRECT_WRITES):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []
