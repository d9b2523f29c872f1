"""Reading a procedure catalogue file (CSV or XLSX) and interpreting its cells.

Pure functions, no database: `read_catalogue()` turns the bytes of an uploaded file
into rows keyed by canonical column names (or raises `CatalogueFileError` with a
Vietnamese message), and `parse_row()` interprets one row: channels, online level,
processing time, fee, each with a note when a person must check it.

The real national export (shipped as cchc/procedures/data/tthc_cap_xa.csv) is messy: 65 rows have no
usable time unit, and the fee column runs several cells together, e.g.
"Không có thông tin2,000 Việt Nam Đồng(/trang)Tại Ủy ban nhân dân cấp xã…" or
"Miễn phí05 ngày làm việc, kể từ ngày nhận đủ hồ sơ". The rules below read what is
clearly stated and flag the rest; the raw text is always kept.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from cchc.core.text import clean_text, nfc, search_key
from cchc.core.workcal import TimeUnit

from .models import OnlineLevel

MAX_ROWS = 5000
MAX_ERRORS_SHOWN = 10

# Canonical column → accepted header spellings (compared as search keys, "_" = " ").
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "ma", "ma tthc", "ma thu tuc", "ma so", "ma thu tuc hanh chinh"),
    "name": ("name", "ten", "ten thu tuc", "ten tthc", "ten thu tuc hanh chinh"),
    "field": ("field", "linh vuc"),
    "level": ("level", "cap thuc hien", "cap"),
    "decision": ("decision", "quyet dinh", "quyet dinh cong bo", "so quyet dinh", "qd cong bo"),
    "channels": ("channels", "channel", "kenh", "kenh nop", "cach thuc thuc hien", "cach thuc nop"),
    "time_amount": ("time amount", "thoi han so", "so ngay", "thoi han (so)"),
    "time_unit": ("time unit", "don vi thoi han", "don vi"),
    "time_text": ("time text", "thoi han", "thoi han giai quyet", "thoi gian giai quyet"),
    "fee_text": ("fee text", "fee", "phi", "le phi", "phi, le phi", "phi le phi", "phi/le phi"),
    "fee_amount": ("fee amount", "muc phi", "so tien phi"),
    "documents": ("documents", "thanh phan ho so", "giay to"),
    "online_level": (
        "online level",
        "muc do",
        "muc do dvc",
        "muc do dich vu cong",
        "dich vu cong truc tuyen",
    ),
}
COLUMN_LABELS = {
    "code": "mã TTHC (code)",
    "name": "tên thủ tục (name)",
    "field": "lĩnh vực (field)",
    "channels": "cách thức nộp (channels)",
    "fee_text": "phí, lệ phí (fee_text)",
    "time": "thời hạn (time_amount + time_unit, hoặc time_text)",
}
REQUIRED = ("code", "name", "field", "channels", "fee_text")
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_/]{0,39}$")


class CatalogueFileError(ValidationError):
    """The file cannot be imported at all; nothing is written."""


# --- reading the file ------------------------------------------------------------


@dataclass
class RawRow:
    line: int  # line (CSV) or row number (XLSX) in the file, for messages
    values: dict[str, str]  # canonical column → cell text
    source: dict[str, str]  # original header → cell text, kept on the procedure


@dataclass
class Table:
    rows: list[RawRow]
    columns: set[str]  # canonical columns present
    file_format: str  # "csv" or "xlsx"


def _header_key(header: str) -> str:
    return search_key(str(header).replace("_", " ")).strip(" :*.")


_ALIASES = {alias: canonical for canonical, aliases in COLUMNS.items() for alias in aliases}


def _map_headers(headers: list[str]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, header in enumerate(headers):
        canonical = _ALIASES.get(_header_key(header))
        if canonical is None:
            continue
        if canonical in seen:
            raise CatalogueFileError(
                f"Tệp có hai cột cùng nghĩa '{COLUMN_LABELS.get(canonical, canonical)}': "
                f"'{seen[canonical]}' và '{header}'. Giữ lại một cột."
            )
        seen[canonical] = str(header)
        mapping[index] = canonical
    missing = [COLUMN_LABELS[c] for c in REQUIRED if c not in seen.values() and c not in mapping.values()]
    if "time_amount" not in mapping.values() and "time_text" not in mapping.values():
        missing.append(COLUMN_LABELS["time"])
    if missing:
        found = ", ".join(f"'{h}'" for h in headers if str(h).strip()) or "(không có)"
        raise CatalogueFileError(
            f"Tệp thiếu cột bắt buộc: {', '.join(missing)}. Các cột có trong tệp: {found}."
        )
    return mapping


def _detect_format(content: bytes) -> str:
    if not content or not content.strip():
        raise CatalogueFileError("Tệp rỗng: không có dữ liệu để nhập.")
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise CatalogueFileError(
            "Tệp Excel 97–2003 (.xls) chưa được hỗ trợ: mở bằng Excel và lưu lại dạng .xlsx hoặc 'CSV UTF-8'."
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CatalogueFileError(
            "Tệp dùng bảng mã UTF-16: lưu lại dạng 'CSV UTF-8 (phân cách bằng dấu phẩy)' rồi nhập lại."
        )
    if content.startswith(b"%PDF") or b"\x00" in content[:4096]:
        raise CatalogueFileError("Tệp không phải CSV hoặc XLSX (có vẻ là tệp nhị phân hoặc PDF).")
    return "csv"


def _read_csv(content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueFileError(
            "Tệp không dùng bảng mã UTF-8 (có thể là Windows-1258, TCVN3 hoặc VNI). "
            "Mở bằng Excel và chọn 'Lưu thành' → 'CSV UTF-8', rồi nhập lại. "
            f"(Byte lỗi ở vị trí {exc.start}.)"
        ) from exc
    text = nfc(text)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise CatalogueFileError(
            "Không nhận ra tệp CSV: dòng đầu phải là tên các cột, phân cách bằng dấu phẩy (,) hoặc chấm phẩy (;)."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        headers = next(reader)
        rows = []
        for values in reader:
            rows.append((reader.line_num, values))
            if len(rows) > MAX_ROWS:
                raise CatalogueFileError(f"Tệp có quá {MAX_ROWS} dòng: chia nhỏ tệp.")
    except csv.Error as exc:
        raise CatalogueFileError(
            f'Tệp CSV bị lỗi định dạng ở dòng {reader.line_num}: {exc}. Kiểm tra dấu ngoặc kép (").'
        ) from exc
    return headers, rows


def _cell_text(value, canonical: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if canonical == "code":
            # A national code typed into Excel as a number (1.001193) keeps its six decimals.
            return f"{value:.6f}"
        return str(int(value)) if value.is_integer() else str(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


def _read_xlsx(content: bytes) -> tuple[list, list[tuple[int, list]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise CatalogueFileError(
            "Tệp nén (zip) nhưng không phải bảng tính XLSX hợp lệ: mở bằng Excel và lưu lại dạng .xlsx."
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        headers: list = []
        header_line = 0
        for number, values in enumerate(rows_iter, start=1):
            if any(v is not None and str(v).strip() for v in values):
                headers, header_line = list(values), number
                break
        rows = []
        for number, values in enumerate(rows_iter, start=header_line + 1):
            rows.append((number, list(values)))
            if len(rows) > MAX_ROWS:
                raise CatalogueFileError(f"Tệp có quá {MAX_ROWS} dòng: chia nhỏ tệp.")
    finally:
        workbook.close()
    if not headers:
        raise CatalogueFileError("Bảng tính rỗng: trang tính đầu tiên không có dữ liệu.")
    return headers, rows


def read_catalogue(content: bytes) -> Table:
    """Parse the file's bytes; raise `CatalogueFileError` when it cannot be imported.

    Row-level problems that make a row unusable (no code, no name, a code twice)
    reject the whole file, with the lines listed, so that a half-loaded catalogue
    never happens.
    """
    file_format = _detect_format(content)
    headers, data = _read_xlsx(content) if file_format == "xlsx" else _read_csv(content)
    headers = [_cell_text(h, None).strip() for h in headers]
    mapping = _map_headers(headers)
    rows: list[RawRow] = []
    errors: list[str] = []
    first_line: dict[str, int] = {}
    for line, cells in data:
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        if len(cells) > len(headers) and any(str(c).strip() for c in cells[len(headers) :] if c is not None):
            errors.append(f"Dòng {line}: có {len(cells)} ô nhưng tiêu đề chỉ có {len(headers)} cột.")
            continue
        values = {canonical: "" for canonical in mapping.values()}
        source = {}
        for index, header in enumerate(headers):
            canonical = mapping.get(index)
            cell = _cell_text(cells[index] if index < len(cells) else None, canonical)
            if header:
                source[header] = cell
            if canonical:
                values[canonical] = cell.strip()
        code = values["code"]
        if not code:
            errors.append(f"Dòng {line}: thiếu mã TTHC.")
        elif not CODE_RE.match(code):
            errors.append(f"Dòng {line}: mã TTHC '{code[:50]}' không hợp lệ (chỉ gồm chữ, số và . - _ /).")
        elif code in first_line:
            errors.append(f"Dòng {line}: mã TTHC {code} trùng với dòng {first_line[code]}.")
        else:
            first_line[code] = line
        if not clean_text(values["name"]):
            errors.append(f"Dòng {line}: thiếu tên thủ tục.")
        rows.append(RawRow(line=line, values=values, source=source))
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = f" … và {len(errors) - len(shown)} lỗi khác." if len(errors) > len(shown) else ""
        raise CatalogueFileError(f"Tệp có {len(errors)} dòng lỗi, chưa nhập gì: " + " ".join(shown) + more)
    if not rows:
        raise CatalogueFileError("Tệp chỉ có dòng tiêu đề, không có thủ tục nào để nhập.")
    return Table(rows=rows, columns=set(mapping.values()), file_format=file_format)


def remap_source(source: dict[str, str]) -> dict[str, str]:
    """Canonical values from a stored `source_row` (to re-read a row later)."""
    values: dict[str, str] = {}
    for header, value in source.items():
        canonical = _ALIASES.get(_header_key(header))
        if canonical and canonical not in values:
            values[canonical] = str(value or "").strip()
    return values


# --- interpreting cells ----------------------------------------------------------

# Review notes are one line per topic, each starting with its label, so that a
# fix to one topic removes only its own line.
TOPIC_TIME = "Thời hạn"
TOPIC_FEE = "Phí"
TOPIC_CHANNELS = "Kênh nộp"
TOPIC_DEPARTMENT = "Bộ phận"


@dataclass
class TimeParse:
    amount: int | None = None
    unit: str = ""
    text: str = ""  # the raw text kept in Procedure.time_text
    problem: str = ""


@dataclass
class FeeParse:
    amount: Decimal | None = None
    problem: str = ""
    rest: str = ""  # text after the fee cells (the export runs other columns in)


@dataclass
class ParsedRow:
    code: str
    name: str
    field: str
    level: str
    decision: str
    in_person: bool
    online: bool
    postal: bool
    online_level: str
    time: TimeParse
    fee: FeeParse
    fee_text: str
    documents: str | None  # None when the file has no documents column
    problems: dict[str, str] = field(default_factory=dict)  # topic → note


_UNIT_WORDS = {
    "working days": TimeUnit.WORKING_DAYS,
    "working_days": TimeUnit.WORKING_DAYS,
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "days": TimeUnit.DAYS,
    "day": TimeUnit.DAYS,
    "ngay": TimeUnit.DAYS,
    "calendar days": TimeUnit.DAYS,
    "hours": TimeUnit.WORKING_HOURS,
    "hour": TimeUnit.WORKING_HOURS,
    "working hours": TimeUnit.WORKING_HOURS,
    "working_hours": TimeUnit.WORKING_HOURS,
    "gio": TimeUnit.WORKING_HOURS,
    "gio lam viec": TimeUnit.WORKING_HOURS,
    "same day": TimeUnit.SAME_DAY,
    "same_day": TimeUnit.SAME_DAY,
    "trong ngay": TimeUnit.SAME_DAY,
}
_SAME_DAY_RE = re.compile(r"(^|[^a-z])(ngay )?trong ngay( lam viec)?($|[^a-z])")
# "05 ngày làm việc", "03 giờ", "45 ngày", "02 tháng"; clock times ("sau 15 giờ",
# "trước 16 giờ 30") are excluded by the look-behind check in `_time_mentions`.
_AMOUNT_RE = re.compile(r"(\d{1,3})\s*(ngay lam viec|ngay|gio lam viec|gio|thang|tuan)(?![a-z])")
_STEPS_RE = re.compile(r"(^|[\s;:.])b\)\s")
_CLOCK_BEFORE = ("sau ", "truoc ", "luc ", "den ", "tu ")


def _time_mentions(text: str) -> tuple[bool, list[tuple[int, str]]]:
    key = search_key(text)
    same_day = bool(_SAME_DAY_RE.search(key))
    found: list[tuple[int, str]] = []
    for match in _AMOUNT_RE.finditer(key):
        word = match.group(2)
        if word.startswith("gio") and key[: match.start()].endswith(_CLOCK_BEFORE):
            continue
        item = (int(match.group(1)), word)
        if item not in found:
            found.append(item)
    return same_day, found


def _label(amount: int, word: str) -> str:
    return f"{amount:02d} {word}"


def parse_time_text(text: str) -> TimeParse:
    """Read a free-text processing time: "05 ngày làm việc", "Trong ngày", "03 giờ",
    "Ngay trong ngày; nếu sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo"."""
    raw = clean_text(text)
    if not raw:
        return TimeParse(problem="Không có thông tin thời hạn giải quyết.")
    same_day, mentions = _time_mentions(raw)
    if _STEPS_RE.search(raw):
        return TimeParse(
            text=raw,
            problem=f"Thời hạn chia nhiều bước a), b)… ('{raw[:80]}'): ghi tổng thời hạn của thủ tục.",
        )
    if same_day and not mentions:
        return TimeParse(unit=TimeUnit.SAME_DAY, text=raw)
    if len(mentions) == 1 and not same_day:
        amount, word = mentions[0]
        if word in ("thang", "tuan"):
            return TimeParse(
                text=raw,
                problem=f"Thời hạn tính theo {'tháng' if word == 'thang' else 'tuần'} ('{raw[:80]}'): "
                "quy đổi sang ngày hoặc ngày làm việc theo quyết định công bố.",
            )
        unit = _UNIT_WORDS[word]
        if amount == 0:
            return TimeParse(text=raw, problem=f"Thời hạn bằng 0 ('{raw[:80]}').")
        return TimeParse(amount=amount, unit=unit, text=raw)
    if mentions or same_day:
        listed = "; ".join(
            (["trong ngày"] if same_day else [])
            + [
                _label(a, w)
                .replace("ngay lam viec", "ngày làm việc")
                .replace("ngay", "ngày")
                .replace("gio", "giờ")
                for a, w in mentions
            ]
        )
        return TimeParse(
            text=raw, problem=f"Mô tả có nhiều thời hạn ({listed}): chọn thời hạn áp dụng cho thủ tục."
        )
    return TimeParse(text=raw, problem=f"Không đọc được thời hạn từ '{raw[:80]}'.")


def parse_time(amount_raw: str, unit_raw: str, free_texts: list[str], decision: str) -> TimeParse:
    """Processing time from the structured columns, else from free text.

    The structured pair (time_amount, time_unit) wins when complete. When the unit
    is missing, a free-text time (a time_text column, or a time phrase the export
    ran into the fee column) is used if it states exactly one time that agrees with
    the amount; otherwise the row is flagged and the raw values are kept.
    """
    amount_raw = clean_text(amount_raw)
    unit_key = search_key(unit_raw).replace("_", " ") if unit_raw else ""
    raw_text = " ".join(p for p in (amount_raw, clean_text(unit_raw)) if p)
    where = f" trong quyết định công bố {decision}" if decision else " trong quyết định công bố"
    amount: int | None = None
    if amount_raw:
        try:
            amount = int(Decimal(amount_raw.replace(",", ".")))
            if amount < 0 or Decimal(amount_raw.replace(",", ".")) != amount:
                raise ValueError
        except (ArithmeticError, ValueError):
            return TimeParse(text=raw_text, problem=f"Số ngày '{amount_raw}' không phải số nguyên dương.")
    if unit_key:
        unit = _UNIT_WORDS.get(unit_key)
        if unit is None:
            return TimeParse(
                text=raw_text, problem=f"Đơn vị thời hạn '{unit_raw}' không rõ (ngày làm việc, ngày, giờ?)."
            )
        if unit == TimeUnit.SAME_DAY:
            return TimeParse(unit=unit, text=raw_text)
        if amount is None:
            return TimeParse(text=raw_text, problem=f"Có đơn vị '{unit_raw}' nhưng thiếu số ngày/giờ.")
        if amount == 0:
            return TimeParse(text=raw_text, problem="Thời hạn bằng 0: kiểm tra lại" + where + ".")
        return TimeParse(amount=amount, unit=unit, text=raw_text)
    for text in free_texts:
        if not clean_text(text):
            continue
        parsed = parse_time_text(text)
        if parsed.problem and not (parsed.unit or parsed.amount):
            same_day, mentions = _time_mentions(text)
            if not (same_day or mentions):
                continue  # no time in this text at all: try the next one
            return TimeParse(text=parsed.text, problem=parsed.problem)
        if amount is not None and parsed.unit != TimeUnit.SAME_DAY and parsed.amount != amount:
            return TimeParse(
                text=parsed.text,
                problem=f"Cột số ngày ghi {amount} nhưng mô tả ghi '{parsed.text[:80]}': chọn thời hạn đúng.",
            )
        return parsed
    if amount is not None:
        return TimeParse(
            text=raw_text,
            problem=f"Ghi thời hạn '{amount_raw}' nhưng không có đơn vị (ngày làm việc, ngày hay giờ?): kiểm tra{where}.",
        )
    return TimeParse(text=raw_text, problem="Không có thông tin thời hạn giải quyết: kiểm tra" + where + ".")


_FEE_CELL_RE = re.compile(
    r"\s*(?:(Miễn phí)|(Không có thông tin)|(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:Việt Nam Đồng|VNĐ|VND|đồng|đ)(?![^\W\d_]))",
    re.IGNORECASE,
)
# A "Miễn phí" cell whose explanation says the amount is set elsewhere (by the
# provincial People's Council, by a circular's tariff) is not clearly free.
_FEE_SET_ELSEWHERE = ("hoi dong nhan dan", "muc thu", "ap dung theo", "ap dung muc", "thanh toan le phi")


def _balanced(text: str, start: int) -> int:
    """Index just after the parenthesis group opening at `start` (end of text if cut off)."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(text)


def parse_fee(text: str, amount_raw: str = "") -> FeeParse:
    """Read the fee: "Miễn phí" → 0, "N Việt Nam Đồng" → N, "Không có thông tin" → unknown.

    The export runs one cell per channel together ("Không có thông tin" + "2,000
    Việt Nam Đồng(/trang)"): an amount stated for any channel is taken when all
    stated amounts agree; "Miễn phí" whose explanation says the level is set by the
    provincial council (or a tariff) is unknown and flagged.
    """
    if clean_text(amount_raw):
        try:
            value = Decimal(clean_text(amount_raw).replace(".", "").replace(",", "").replace(" ", ""))
        except ArithmeticError:
            return FeeParse(problem=f"Mức phí '{amount_raw}' không phải là số tiền.")
        if value < 0:
            return FeeParse(problem=f"Mức phí '{amount_raw}' âm.")
        return FeeParse(amount=value)
    raw = nfc(text or "")
    position = 0
    free = unknown = 0
    amounts: list[Decimal] = []
    explanations: list[str] = []
    while True:
        match = _FEE_CELL_RE.match(raw, position)
        if not match:
            break
        if match.group(1):
            free += 1
        elif match.group(2):
            unknown += 1
        else:
            amounts.append(Decimal(re.sub(r"[.,]", "", match.group(3))))
        position = match.end()
        if position < len(raw) and raw[position] == "(":
            end = _balanced(raw, position)
            explanations.append(raw[position:end])
            position = end
    rest = raw[position:].strip()
    explained = search_key(" ".join(explanations))
    if not (free or unknown or amounts):
        key = search_key(raw)
        if not key:
            return FeeParse(problem="Không có thông tin phí, lệ phí.", rest=rest)
        if key in ("mien phi", "khong", "khong thu", "khong thu phi", "khong co"):
            return FeeParse(amount=Decimal(0), rest="")
        return FeeParse(problem=f"Không đọc được mức phí từ '{clean_text(raw)[:80]}'.", rest=rest)
    set_elsewhere = any(word in explained for word in _FEE_SET_ELSEWHERE)
    distinct = sorted(set(amounts))
    if len(distinct) > 1:
        listed = ", ".join(f"{int(a):,}".replace(",", ".") for a in distinct)
        return FeeParse(problem=f"Có nhiều mức phí ({listed} đồng): ghi mức áp dụng.", rest=rest)
    if distinct and free:
        return FeeParse(
            problem=f"Vừa ghi 'Miễn phí' vừa ghi {int(distinct[0]):,} đồng: ghi rõ mức phí theo từng cách nộp.".replace(
                ",", "."
            ),
            rest=rest,
        )
    if distinct:
        problem = (
            "Mức phí cụ thể do HĐND tỉnh quyết định: đối chiếu nghị quyết HĐND tỉnh." if set_elsewhere else ""
        )
        return FeeParse(amount=distinct[0], problem=problem, rest=rest)
    if free:
        if set_elsewhere:
            return FeeParse(
                problem="Ghi 'Miễn phí' nhưng phần giải thích nói mức phí do HĐND tỉnh hoặc biểu phí quy định: "
                "ghi mức phí áp dụng tại địa phương.",
                rest=rest,
            )
        return FeeParse(amount=Decimal(0), rest=rest)
    return FeeParse(
        problem="Nguồn ghi 'Không có thông tin' về phí, lệ phí: kiểm tra quyết định công bố.", rest=rest
    )


_CHANNEL_PATTERNS = {
    "in_person": re.compile(r"truc tiep|in person"),
    "online": re.compile(r"truc tuyen|online"),
    "postal": re.compile(r"buu chinh( cong ich)?|buu dien|postal"),
}
_CHANNEL_FILLER = {"qua", "nop", "va", "hoac", "dich", "vu", "ho", "so"}


def parse_channels(text: str) -> tuple[bool, bool, bool, str]:
    """(in person, online, postal, problem) from "truc_tiep truc_tuyen buu_chinh"
    or Vietnamese words ("Trực tiếp; Trực tuyến; Qua bưu chính công ích")."""
    key = search_key(text).replace("_", " ")
    found = {name: bool(pattern.search(key)) for name, pattern in _CHANNEL_PATTERNS.items()}
    leftover = key
    for pattern in _CHANNEL_PATTERNS.values():
        leftover = pattern.sub(" ", leftover)
    unknown = [w for w in re.split(r"[\s,;/|+.\-]+", leftover) if w and w not in _CHANNEL_FILLER]
    shown = clean_text(text)[:60]
    if not any(found.values()):
        if key:
            return True, False, False, f"Không hiểu cách nộp '{shown}': tạm ghi nộp trực tiếp."
        return True, False, False, "Không có thông tin cách nộp hồ sơ: tạm ghi nộp trực tiếp."
    problem = f"Cách nộp có phần không hiểu ('{' '.join(unknown)}' trong '{shown}')." if unknown else ""
    return found["in_person"], found["online"], found["postal"], problem


def parse_online_level(text: str, online: bool) -> tuple[str, str]:
    """Online level: fully online only when the data says so; otherwise partial
    when online submission is offered, none when not (NĐ 42/2022)."""
    key = search_key(text).replace("_", " ")
    if not key:
        return (OnlineLevel.PARTIAL if online else OnlineLevel.NONE), ""
    if key in ("full", "toan trinh", "dvc toan trinh", "muc do 4", "4", "muc 4"):
        level = OnlineLevel.FULL
    elif key in ("partial", "mot phan", "dvc mot phan", "muc do 3", "3", "muc 3"):
        level = OnlineLevel.PARTIAL
    elif key in ("none", "khong", "khong truc tuyen", "muc do 2", "2", "muc do 1", "1", "muc 2", "muc 1"):
        level = OnlineLevel.NONE
    else:
        return (
            OnlineLevel.PARTIAL if online else OnlineLevel.NONE
        ), f"Không hiểu mức dịch vụ công '{clean_text(text)[:40]}'."
    if level != OnlineLevel.NONE and not online:
        return OnlineLevel.NONE, f"Ghi mức dịch vụ '{clean_text(text)}' nhưng không có cách nộp trực tuyến."
    if level == OnlineLevel.NONE and online:
        return (
            OnlineLevel.PARTIAL,
            "Có cách nộp trực tuyến nhưng ghi mức 'không trực tuyến': tạm ghi 'một phần'.",
        )
    return level, ""


def parse_documents(text: str) -> str:
    """One document per line (a semicolon may belong to the text of an item)."""
    lines = re.split(r"\r?\n", nfc(text or ""))
    return "\n".join(
        clean_text(line).lstrip("-•+* ").strip() for line in lines if clean_text(line).strip("-•+* ")
    )


def parse_row(values: dict[str, str]) -> ParsedRow:
    """Interpret one row (canonical column → text)."""
    get = values.get
    decision = clean_text(get("decision", ""))
    in_person, online, postal, channel_problem = parse_channels(get("channels", ""))
    online_level, level_problem = parse_online_level(get("online_level", ""), online)
    fee_text = nfc(get("fee_text", "")).strip()
    fee = parse_fee(fee_text, get("fee_amount", ""))
    time = parse_time(
        get("time_amount", ""), get("time_unit", ""), [get("time_text", ""), fee.rest], decision
    )
    if get("time_text"):
        time.text = clean_text(get("time_text", ""))
    problems = {}
    if time.problem:
        problems[TOPIC_TIME] = time.problem
    if fee.problem:
        problems[TOPIC_FEE] = fee.problem
    if channel_problem or level_problem:
        problems[TOPIC_CHANNELS] = " ".join(p for p in (channel_problem, level_problem) if p)
    return ParsedRow(
        code=clean_text(get("code", "")),
        name=clean_text(get("name", "")),
        field=clean_text(get("field", "")),
        level=clean_text(get("level", ""))[:100],
        decision=decision[:200],
        in_person=in_person,
        online=online,
        postal=postal,
        online_level=online_level,
        time=time,
        fee=fee,
        fee_text=fee_text,
        documents=parse_documents(get("documents", "")) if "documents" in values else None,
        problems=problems,
    )
