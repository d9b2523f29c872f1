"""Reading hand-kept registers from .xlsx: headers found wherever they are, cells
parsed the Vietnamese way, every problem named by its row; and the exports that
such files come from (print setup, formulas kept as text)."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from openpyxl import Workbook, load_workbook

from cchc.core import sheets
from cchc.core.exports import xlsx
from cchc.core.sheets import CellError, Column, SheetFileError, read_sheet


class Colour(models.TextChoices):
    RED = "red", "Đỏ"
    BLUE = "blue", "Xanh dương"


COLUMNS = [
    Column("number", "Số, ký hiệu", aliases=("số hiệu",), needed=True),
    Column("issued_on", "Ngày ban hành", parse=sheets.day, needed=True, empty=None),
    Column("amount", "Số tiền", parse=sheets.amount, empty=None),
    Column("colour", "Màu", parse=sheets.choice(Colour, {"xanh": "blue"})),
]


def book(*rows, title: str = "Sheet") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_finds_the_header_below_title_rows_in_any_column_order_and_spelling():
    content = book(
        ["DANH MỤC VĂN BẢN NĂM 2024"],
        [],
        ["STT", "Mau", "NGÀY BAN HÀNH (*)", "so ky hieu", "Ghi chú riêng"],
        [1, "xanh", "5/3/2024", "01/2024/QĐ-UBND", "x"],
        [2, "Đỏ", datetime(2024, 4, 1), "02/2024/QĐ-UBND", ""],
        [None, None, None, None, None],
        [3, "blue", 45400, " 03/2024/QĐ-UBND ", None],
    )
    sheet = read_sheet(content, COLUMNS)
    assert sheet.header_line == 3
    assert sheet.ignored == ["Ghi chú riêng"]
    assert [r.line for r in sheet.rows] == [4, 5, 7]
    assert [r["number"] for r in sheet.rows] == ["01/2024/QĐ-UBND", "02/2024/QĐ-UBND", "03/2024/QĐ-UBND"]
    assert [r["issued_on"] for r in sheet.rows] == [date(2024, 3, 5), date(2024, 4, 1), date(2024, 4, 18)]
    assert [r["colour"] for r in sheet.rows] == ["blue", "red", "blue"]
    assert all(r["amount"] is None for r in sheet.rows)  # column absent: its empty value
    assert sheet.errors == []


def test_every_bad_cell_is_named_by_its_excel_row():
    content = book(
        ["Số, ký hiệu", "Ngày ban hành", "Số tiền", "Màu"],
        ["01/QĐ", "31/02/2024", "1.500.000 đ", "tím"],
        ["", "05/03/2024", "abc", ""],
    )
    sheet = read_sheet(content, COLUMNS)
    assert sheet.errors == [
        "Dòng 2: ngày ban hành “31/02/2024” không phải ngày có thật.",
        "Dòng 2: màu “tím” không thuộc các giá trị: Đỏ, Xanh dương.",
        "Dòng 3: thiếu số, ký hiệu.",
        "Dòng 3: số tiền “abc” không phải số nguyên.",
    ]
    assert sheet.rows[0]["amount"] == Decimal(1500000)
    with pytest.raises(ValidationError) as exc:
        sheets.refuse(sheet.errors)
    assert exc.value.messages[0].startswith("Tệp có 4 lỗi, chưa nhập dòng nào.")
    assert "Dòng 3: thiếu số, ký hiệu." in exc.value.messages


def test_a_file_without_the_required_columns_says_what_is_missing_and_what_was_found():
    with pytest.raises(SheetFileError) as exc:
        read_sheet(book(["Số, ký hiệu", "Trích yếu"], ["01", "x"]), COLUMNS)
    message = exc.value.messages[0]
    assert "thiếu “Ngày ban hành”" in message and "Đã nhận ra: “Số, ký hiệu”" in message


def test_it_refuses_what_is_not_an_xlsx_and_two_columns_of_one_meaning():
    with pytest.raises(SheetFileError, match="97–2003"):
        read_sheet(b"\xd0\xcf\x11\xe0" + b"\0" * 100, COLUMNS)
    with pytest.raises(SheetFileError, match="không phải bảng tính"):
        read_sheet(b"a,b\n1,2\n", COLUMNS)
    with pytest.raises(SheetFileError, match="Hai cột cùng là “Số, ký hiệu”"):
        read_sheet(book(["Số, ký hiệu", "Ngày ban hành", "Số hiệu"], ["1", "01/01/2024", "2"]), COLUMNS)
    with pytest.raises(SheetFileError, match="không có dòng dữ liệu"):
        read_sheet(book(["Số, ký hiệu", "Ngày ban hành"]), COLUMNS)


def test_the_header_may_be_on_a_later_sheet():
    wb = Workbook()
    wb.active.append(["Hướng dẫn nhập"])
    ws = wb.create_sheet("Danh mục")
    ws.append(["Số, ký hiệu", "Ngày ban hành"])
    ws.append(["05/NQ-HĐND", date(2024, 7, 1)])
    out = io.BytesIO()
    wb.save(out)
    sheet = read_sheet(out.getvalue(), COLUMNS)
    assert sheet.sheet_name == "Danh mục" and sheet.rows[0]["issued_on"] == date(2024, 7, 1)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("05/03/2024", date(2024, 3, 5)),
        ("5-3-2024", date(2024, 3, 5)),
        ("05.03.24", date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)),
        (45356, date(2024, 3, 5)),
        (datetime(2024, 3, 5, 9, 30), date(2024, 3, 5)),
    ],
)
def test_dates_are_read_as_people_type_them(raw, expected):
    assert sheets.day(raw) == expected


def test_numbers_are_read_the_vietnamese_way():
    assert sheets.amount("1.500.000") == Decimal(1500000)
    assert sheets.amount("1,500,000 đồng") == Decimal(1500000)
    assert sheets.amount(2500000.0) == Decimal(2500000)
    assert sheets.decimal("2,5") == Decimal("2.5")
    assert sheets.decimal("2.5 giờ") == Decimal("2.5")
    assert sheets.decimal("1.234,5") == Decimal("1234.5")
    assert sheets.integer("1 234") == 1234
    with pytest.raises(CellError):
        sheets.integer("2,5")
    with pytest.raises(CellError):
        sheets.decimal("nan")
    assert sheets.boolean("Có") is True and sheets.boolean("x") is True and sheets.boolean("không") is False
    assert sheets.choices_list(Colour)("Đỏ; xanh dương, đỏ") == ["red", "blue"]
    with pytest.raises(CellError, match="dài 5 ký tự, tối đa 3"):
        sheets.text("abcde", 3)


def test_exports_print_on_one_page_width_with_the_header_repeated_and_formulas_as_text():
    content = xlsx(
        "Sổ theo dõi",
        ["Số", "Ngày", "Ghi chú"],
        [["=1+1", date(2024, 3, 5), "@SUM(A1)"], ["-5", datetime(2024, 3, 5, 14, 0), "a\x07b"]],
        subtitle="Năm 2024",
    )
    ws = load_workbook(io.BytesIO(content)).active
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws["A5"].value == "=1+1" and ws["A5"].data_type == "s"
    assert ws["B5"].value == datetime(2024, 3, 5) and ws["B5"].number_format == "DD/MM/YYYY"
    assert ws["C6"].value == "ab"  # control characters removed
    # What the export wrote, the reader reads back.
    sheet = read_sheet(content, [Column("number", "Số"), Column("day", "Ngày", parse=sheets.day)])
    assert [r["day"] for r in sheet.rows] == [date(2024, 3, 5), date(2024, 3, 5)]
