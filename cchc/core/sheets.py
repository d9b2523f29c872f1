"""Reading a register that a commune keeps in a spreadsheet (.xlsx), tolerantly.

Real lists are typed by hand over years: a title row or two above the header, the
columns in any order, headers with or without diacritics ("Số, ký hiệu", "so ky
hieu", "SỐ KÝ HIỆU (*)"), an "STT" column, extra columns nobody needs, dates typed as
text ("5/3/2024") or stored as dates, amounts as "1.500.000 đ". A register states
its `Column`s; `read_sheet()` finds the header row (on any sheet of the workbook),
maps the columns by their header, and parses every cell of every row.

Nothing here touches the database. Problems are collected, not raised one by one:
a problem with the whole file raises `SheetFileError`; a problem with a cell is
recorded on its row (`SheetRow.errors`, "Dòng 7: ngày ban hành “31/02/2024” không
hợp lệ…"), so that the register's importer can add its own checks (look-ups,
duplicates) and refuse the file with every problem named by its row — all or nothing.
The row numbers are those Excel shows.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from cchc.core.text import clean_text, search_key

MAX_ROWS = 5000
MAX_ERRORS_SHOWN = 50
HEADER_SCAN_ROWS = 15  # a header below this many title rows is not looked for
EXCEL_EPOCH = date(1899, 12, 30)  # serial day 1 = 1900-01-01 (Excel's leap-year bug included)


class SheetFileError(ValidationError):
    """The file cannot be read as this register at all; nothing is written."""


class CellError(ValueError):
    """A cell's text cannot be read as its column's kind of value; the message
    (Vietnamese) says why, without the row and column, which the reader adds."""


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    """One column of a register's sheet.

    `label` is the header written by the export and shown in messages; `aliases`
    are other header spellings accepted on import (compared without diacritics,
    case or punctuation). `required` columns must be present in the file;
    `needed` cells must not be empty. `parse` turns a cell into a value or raises
    `CellError`; an empty cell gives `empty` without calling it."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    parse: Parser = lambda value: text(value)  # noqa: E731
    required: bool = False
    needed: bool = False
    empty: Any = ""
    help: str = ""  # what the column holds, for the import page

    def __post_init__(self) -> None:
        if self.needed:  # a value every row must have needs its column
            object.__setattr__(self, "required", True)

    def keys(self) -> set[str]:
        return {header_key(self.label), *(header_key(a) for a in self.aliases)}


@dataclass
class SheetRow:
    line: int  # the row number Excel shows
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors.append(f"Dòng {self.line}: {message}")

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass
class Sheet:
    rows: list[SheetRow]
    sheet_name: str
    header_line: int
    columns: list[str]  # keys of the columns found
    ignored: list[str]  # headers of the columns not used

    @property
    def errors(self) -> list[str]:
        return [e for row in self.rows for e in row.errors]


def header_key(header: Any) -> str:
    """'Số, ký hiệu (*)' → 'so ky hieu': no diacritics, case, punctuation or notes."""
    key = search_key(str(header or ""))
    key = re.sub(r"\((\*|bat buoc|neu co)\)", " ", key)
    key = re.sub(r"[^a-z0-9%]+", " ", key)
    return " ".join(key.split())


def refuse(errors: Sequence[str], what: str = "Tệp") -> None:
    """Raise one `ValidationError` listing `errors` (the first `MAX_ERRORS_SHOWN`)."""
    if not errors:
        return
    shown = list(errors[:MAX_ERRORS_SHOWN])
    if len(errors) > len(shown):
        shown.append(f"… và {len(errors) - len(shown)} lỗi khác.")
    head = f"{what} có {len(errors)} lỗi, chưa nhập dòng nào. Sửa các dòng dưới đây rồi tải lên lại:"
    raise ValidationError([head, *shown])


# --- cell parsers -------------------------------------------------------------------
def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def text(value: Any, max_length: int | None = None) -> str:
    """Cleaned text (NFC, one space between words); too long is an error, not cut."""
    out = clean_text(_as_text(value))
    if max_length is not None and len(out) > max_length:
        raise CellError(f"dài {len(out)} ký tự, tối đa {max_length}")
    return out


def text_of(max_length: int) -> Parser:
    return lambda value: text(value, max_length)


def block(value: Any) -> str:
    """Multi-line text: each line cleaned, blank lines dropped."""
    lines = [clean_text(line) for line in _as_text(value).splitlines()]
    return "\n".join(line for line in lines if line)


_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def day(value: Any) -> date:
    """A date stored as a date, typed as dd/mm/yyyy (also d/m/yy, dd-mm-yyyy,
    dd.mm.yyyy, yyyy-mm-dd), or an Excel serial number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000 and float(value).is_integer():  # 1954 … 2119
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(f"“{_as_text(value)}” không phải ngày (dd/mm/yyyy)")
    raw = clean_text(str(value))
    try:
        if m := _DATE_TEXT.match(raw):
            d, mth, y = int(m[1]), int(m[2]), int(m[3])
            if y < 100:
                y += 2000
            return date(y, mth, d)
        if m := _ISO_DATE.match(raw):
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise CellError(f"“{raw}” không phải ngày có thật") from None
    raise CellError(f"“{raw}” không phải ngày (viết dd/mm/yyyy, ví dụ 05/03/2024)")


def _number_text(value: Any) -> str:
    raw = clean_text(_as_text(value)).lower()
    raw = re.sub(r"(đồng|vnđ|vnd|đ|giờ|tiết|phút|người|lần|%)$", "", raw).strip()
    return raw.replace(" ", "").replace("\u00a0", "")


def integer(value: Any) -> int:
    """A whole number: 12, 12.0, '1.234', '1,234', '1 234'."""
    if isinstance(value, bool):
        raise CellError("không phải số")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(f"“{_as_text(value)}” phải là số nguyên")
    raw = _number_text(value)
    if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", raw):
        raw = raw.replace(".", "").replace(",", "")
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    raise CellError(f"“{clean_text(_as_text(value))}” không phải số nguyên")


def amount(value: Any) -> Decimal:
    """Money in đồng (whole): 1500000, '1.500.000', '1,500,000 đ', '1 500 000 đồng'."""
    return Decimal(integer(value))


def decimal(value: Any) -> Decimal:
    """A number that may have decimals, written the Vietnamese way ('2,5') or not
    ('2.5'); thousands separators are accepted when unambiguous ('1.234,5')."""
    if isinstance(value, bool):
        raise CellError("không phải số")
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    raw = _number_text(value)
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", raw):
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        out = Decimal(raw)
    except InvalidOperation:
        raise CellError(f"“{clean_text(_as_text(value))}” không phải số") from None
    if not out.is_finite():
        raise CellError(f"“{clean_text(_as_text(value))}” không phải số")
    return out


_YES = {"co", "x", "1", "dat", "yes", "true", "v", "da", "da cap", "co cap"}
_NO = {"khong", "0", "no", "false", "chua", "khong dat", "khong cap"}


def boolean(value: Any) -> bool:
    """'Có', 'x', '1', 'Đạt' → True; 'Không', '0', 'Chưa' → False (empty: the column's default)."""
    if isinstance(value, bool):
        return value
    key = header_key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(f"“{clean_text(_as_text(value))}” không rõ có hay không (ghi Có hoặc Không)")


def choice(choices: type[models.TextChoices], aliases: dict[str, str] | None = None) -> Parser:
    """A value of `choices` typed as its label or its code, without diacritics or
    case mattering; `aliases` maps other spellings (as header keys) to codes."""
    table = {header_key(label): value for value, label in choices.choices}
    table.update({header_key(value): value for value in choices.values})
    table.update({header_key(k): v for k, v in (aliases or {}).items()})
    shown = ", ".join(str(label) for label in choices.labels)

    def parse(value: Any) -> str:
        key = header_key(value)
        if key in table:
            return table[key]
        raise CellError(f"“{clean_text(_as_text(value))}” không thuộc các giá trị: {shown}")

    return parse


def choices_list(choices: type[models.TextChoices], aliases: dict[str, str] | None = None) -> Parser:
    """Several values of `choices` in one cell, separated by ',', ';' or '+'."""
    one = choice(choices, aliases)

    def parse(value: Any) -> list[str]:
        out: list[str] = []
        for part in re.split(r"[;,+\n]", _as_text(value)):
            if part.strip():
                code = one(part)
                if code not in out:
                    out.append(code)
        return out

    return parse


# --- reading the workbook -------------------------------------------------------------
def _open(content: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not content:
        raise SheetFileError("Tệp rỗng: không có dữ liệu để nhập.")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetFileError(
            "Tệp Excel 97–2003 (.xls) chưa được hỗ trợ: mở bằng Excel, chọn “Lưu thành” → “Sổ làm việc Excel (.xlsx)” rồi tải lên lại."
        )
    if not content.startswith(b"PK\x03\x04"):
        raise SheetFileError(
            "Tệp không phải bảng tính .xlsx (Excel 2007 trở lên hoặc LibreOffice lưu dạng .xlsx)."
        )
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise SheetFileError(
            "Tệp nén nhưng không phải bảng tính .xlsx hợp lệ: mở bằng Excel và lưu lại dạng .xlsx."
        ) from exc


def _match_header(cells: Sequence[Any], columns: Sequence[Column]) -> tuple[dict[int, Column], list[str]]:
    by_key: dict[str, Column] = {}
    for column in columns:
        for key in column.keys():
            by_key[key] = column
    mapping: dict[int, Column] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        key = header_key(cell)
        if not key:
            continue
        column = by_key.get(key)
        if column is None:
            if key not in ("stt", "tt", "so tt", "so thu tu"):
                ignored.append(clean_text(_as_text(cell)))
            continue
        mapping[index] = column
    return mapping, ignored


def _find_header(sheet, columns: Sequence[Column]):
    """The first row (of the first `HEADER_SCAN_ROWS`) whose cells name the most
    columns; returns (line, mapping, ignored, rows iterator after it)."""
    rows = sheet.iter_rows(values_only=True)
    best = (0, {}, [])
    for line, cells in enumerate(rows, start=1):
        mapping, ignored = _match_header(cells, columns)
        if len(mapping) > len(best[1]):
            best = (line, mapping, ignored)
        if mapping and all(c in mapping.values() for c in columns if c.required):
            return line, mapping, ignored, rows
        if line >= HEADER_SCAN_ROWS:
            break
    return best[0], best[1], best[2], None


def read_sheet(content: bytes, columns: Sequence[Column], *, max_rows: int = MAX_ROWS) -> Sheet:
    """Read the first sheet of the workbook that has a header naming every required
    column; parse every row below it (empty rows skipped).

    Raises `SheetFileError` when the file is not an .xlsx, no sheet has the
    required columns (the message lists what is missing and what was found), a
    meaning appears in two columns, or there are no rows or too many."""
    workbook = _open(content)
    try:
        best_missing: tuple[str, list[str], list[str]] | None = None
        for sheet in workbook.worksheets:
            line, mapping, ignored, rest = _find_header(sheet, columns)
            if rest is None:
                found = [c.label for c in mapping.values()]
                missing = [c.label for c in columns if c.required and c not in mapping.values()]
                if best_missing is None or len(found) > len(best_missing[1]):
                    best_missing = (sheet.title, found, missing)
                continue
            return _read_rows(sheet.title, line, mapping, ignored, rest, columns, max_rows)
    finally:
        workbook.close()
    title, found, missing = best_missing or ("", [], [c.label for c in columns if c.required])
    found_text = ", ".join(f"“{f}”" for f in found) or "không có cột nào nhận ra được"
    raise SheetFileError(
        f"Không tìm thấy dòng tiêu đề có đủ các cột bắt buộc: thiếu {', '.join(f'“{m}”' for m in missing)}. "
        f"Đã nhận ra: {found_text}. Dòng tiêu đề phải nằm trong {HEADER_SCAN_ROWS} dòng đầu của trang tính."
    )


def _read_rows(
    title: str,
    header_line: int,
    mapping: dict[int, Column],
    ignored: list[str],
    rows: Iterable[Sequence[Any]],
    columns: Sequence[Column],
    max_rows: int,
) -> Sheet:
    seen: dict[str, int] = {}
    for index, column in mapping.items():
        if column.key in seen:
            raise SheetFileError(
                f"Hai cột cùng là “{column.label}” (cột {seen[column.key] + 1} và cột {index + 1}): giữ lại một cột."
            )
        seen[column.key] = index
    present = {c.key for c in mapping.values()}
    out: list[SheetRow] = []
    for line, cells in enumerate(rows, start=header_line + 1):
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        if len(out) >= max_rows:
            raise SheetFileError(f"Tệp có quá {max_rows} dòng dữ liệu: chia thành nhiều tệp nhỏ hơn.")
        row = SheetRow(line=line, values={})
        for column in columns:
            if column.key not in present:
                row.values[column.key] = column.empty
        for index, column in mapping.items():
            cell = cells[index] if index < len(cells) else None
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                row.values[column.key] = column.empty
                if column.needed:
                    row.error(f"thiếu {column.label.lower()}.")
                continue
            try:
                row.values[column.key] = column.parse(cell)
            except CellError as exc:
                row.values[column.key] = column.empty
                row.error(f"{column.label.lower()} {exc}.")
        out.append(row)
    if not out:
        raise SheetFileError("Bảng tính chỉ có dòng tiêu đề, không có dòng dữ liệu nào để nhập.")
    return Sheet(
        rows=out,
        sheet_name=title,
        header_line=header_line,
        columns=sorted(present),
        ignored=ignored,
    )
