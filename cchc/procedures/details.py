"""Reading the published details of procedures (docs/rules.md §15): the required
documents (`tthc_thanh_phan.csv`: one row per line of each procedure's "Thành phần
hồ sơ" table) and the rest of each procedure's page (`tthc_chi_tiet.csv`: steps,
conditions, who may apply, legal basis, results).

The files are real and messy (see `data/`): headings and notes mixed with
documents, quantities in words, legal texts run together by the crawl. These
functions only read and classify; they keep the published wording (NFC, white
space folded) and name every row they cannot use. Pure: no database.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from cchc.core.text import clean_text, nfc, search_key

from .models import HeadingKind, Requirement
from .parsing import CODE_RE, CatalogueFileError

DOCUMENT_COLUMNS = ("code", "document", "copies", "required", "form_name", "case", "seq")
DETAIL_COLUMNS = (
    "code",
    "doi_tuong_thuc_hien",
    "trinh_tu_thuc_hien",
    "yeu_cau_dieu_kien",
    "can_cu_phap_ly_text",
    "ket_qua",
    "ket_qua_ma",
    "detail_url",
)
LABEL_MAX = 110

_COPIES = re.compile(r"^\s*(\d+)\s*bản\s*(chính|sao)\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-+*•·]+|\(?[0-9ivx]{1,4}[.)]|[a-zđ]\))\s*", re.IGNORECASE)
# A legal text's number starts "125/2025/"; its suffix (NĐ-CP, QH10, TT-BTP, QĐ-TTg) is
# read by `_numbers`, because the crawl glued it to the next text's name.
_NUMBER_HEAD = re.compile(r"\d+(?:\.\d+)?/\d{4}/")
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZĐ"
# Two-letter Vietnamese onsets: "CPKinh" is "CP" + "Kinh", "BTCNghị" is "BTC" + "Nghị",
# but "BTCsửa" is "BTC" + "sửa" ("Cs" starts no word).
_ONSETS = {"ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr"}


def _starts_word(upper: str, following: str) -> bool:
    if not following:
        return False
    lower = following[0]
    return search_key(lower) in "aeiouy" or (upper + lower).lower() in _ONSETS


def _numbers(text: str) -> list[tuple[int, int]]:
    """Spans of legal text numbers in `text` (see `_NUMBER_HEAD`)."""
    spans = []
    for head in _NUMBER_HEAD.finditer(text):
        end = head.end()
        if text.startswith(("QĐ-TTg", "CT-TTg"), end):
            spans.append((head.start(), end + 6))
            continue
        i = end
        while i < len(text) and (
            text[i] in _UPPER or (text[i] == "-" and i + 1 < len(text) and text[i + 1] in _UPPER)
        ):
            i += 1
        if i == end:
            continue
        if text[end:i].endswith("QH"):  # QH10, UBTVQH15: the legislature's term
            digits = 0
            while i < len(text) and text[i].isdigit() and digits < 2:
                i, digits = i + 1, digits + 1
        elif i < len(text) and text[i].islower() and i - 1 > end and _starts_word(text[i - 1], text[i:]):
            i -= 1  # the last capital starts the next name
        spans.append((head.start(), i))
    return spans


@dataclass
class BadRow:
    file: str
    line: int
    code: str
    reason: str

    def __str__(self) -> str:
        code = f" (mã {self.code})" if self.code else ""
        return f"{self.file}, dòng {self.line}{code}: {self.reason}"


@dataclass
class DocumentLine:
    seq: int
    text: str
    label: str
    originals: int
    copies: int
    copies_text: str
    heading: str
    heading_kind: str
    requirement: str
    form_name: str

    def published(self) -> tuple:
        """What the published line says: a change here is a new line to review."""
        return (self.text, self.originals, self.copies, self.heading, self.form_name)


@dataclass
class Detail:
    applicants: str
    steps: str
    conditions: str
    legal_basis: str
    results: str
    result_codes: str
    detail_url: str
    source: dict[str, str] = field(default_factory=dict)


def _text(value: str | None) -> str:
    """Published text: NFC, control characters out, spaces folded on each line,
    line breaks kept (steps and conditions are written as lists)."""
    value = nfc(value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u200e\u200f]", "", value)
    lines = [clean_text(line) for line in value.split("\n")]
    return "\n".join(line for line in lines if line)


def _rows(content: bytes, needed: tuple[str, ...], file_name: str) -> list[tuple[int, dict[str, str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueFileError(f"{file_name}: tệp phải là CSV mã hóa UTF-8.") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in needed if c not in (reader.fieldnames or [])]
    if missing:
        raise CatalogueFileError(f"{file_name}: thiếu cột {', '.join(missing)}.")
    return [(index + 2, row) for index, row in enumerate(reader)]


def parse_copies(text: str) -> tuple[int, int] | None:
    """'1 bản chính', '0 bản chính,1 bản sao' → (originals, copies); None when unreadable."""
    originals = copies = 0
    text = clean_text(text)
    if not text:
        return 0, 0
    for part in text.split(","):
        match = _COPIES.match(part)
        if not match:
            return None
        if match.group(2).lower() == "chính":
            originals = int(match.group(1))
        else:
            copies = int(match.group(1))
    return originals, copies


def heading_kind(heading: str) -> str:
    """What a heading announces: documents to hand in, to show, notes, a case."""
    key = search_key(heading).lstrip("*-–•() ").rstrip(": ")
    if key.startswith("luu y"):
        return HeadingKind.NOTE
    if "phai xuat trinh" in key:  # "Giấy tờ phải xuất trình", "Người yêu cầu … phải xuất trình"
        return HeadingKind.SHOW
    if key.startswith("giay to phai nop"):
        return HeadingKind.SUBMIT
    if not key or key.startswith(("thanh phan ho so", "ho so gom", "nguoi yeu cau chung thuc nop")):
        return HeadingKind.GENERAL
    return HeadingKind.CASE


def requirement(text: str, required: str, kind: str) -> str:
    """Required or not, from what the line says (the published flag was lost in
    collection: `required` is "no" where every quantity is 0, else "unknown")."""
    key = search_key(text)
    if required.strip().lower() == "no" or kind == HeadingKind.NOTE:
        return Requirement.NOTE
    if "neu co" in key:
        return Requirement.OPTIONAL
    bare = _BULLET.sub("", key)
    if kind == HeadingKind.CASE or bare.startswith(("truong hop", "doi voi truong hop", "neu ")):
        return Requirement.CONDITIONAL
    return Requirement.UNKNOWN


_CONDITION_TAIL = re.compile(
    r"\s+(?:\((?:nếu|trường hợp|trong trường hợp|do người|đối với)\b|trong trường hợp\s|đối với trường hợp\s)",
    re.IGNORECASE,
)


def short_label(text: str) -> str:
    """A short name for the checklist and the receipt: the line's first sentence
    without its bullet, without a trailing condition ("(nếu …)", "trong trường
    hợp …"), cut at a ';' (unless a list follows a ':'), at most LABEL_MAX
    characters ending on a whole word. The published text stays in `text`."""
    line = _BULLET.sub("", text.split("\n", 1)[0]).strip()
    sentence = re.split(r"(?<=[^\s.]{2})\.\s+(?=[A-ZĐÀ-Ỹ])", line, maxsplit=1)[0]
    if len(sentence) >= 15:
        line = sentence
    condition = _CONDITION_TAIL.search(line)
    if condition and condition.start() >= 15:
        line = line[: condition.start()]
    if ";" in line and ":" not in line.split(";", 1)[0]:
        line = line.split(";", 1)[0].strip()
    line = line.rstrip(" ;,.:")
    if len(line) > LABEL_MAX:
        cut = line[:LABEL_MAX].rsplit(" ", 1)[0].rstrip(" ;,.:")
        line = f"{cut}…"
    return line[:1].upper() + line[1:]


def split_legal_basis(text: str) -> list[str]:
    """One line per legal text. The crawl glued each text's name to its number and
    the number to the next name ("…Bộ Tài chính125/2025/NĐ-CPKinh doanh bảo
    hiểm24/2000/QH10"): split after a number glued to what follows and between
    names glued together, drop a number repeated at the end of its own name, write
    a number after a name without one in parentheses."""
    text = _text(text).replace("\n", " ")
    cuts = {end for _, end in _numbers(text) if end < len(text) and text[end].isalnum()}
    # A name glued to the next one: "Môi trườngNghị định", "Luật thú yNghị định".
    cuts.update(
        i
        for i in range(1, len(text) - 1)
        if text[i - 1].islower() and text[i].isupper() and text[i + 1].islower()
    )
    pieces, start = [], 0
    for cut in sorted(cuts):
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    lines: list[str] = []
    for piece in pieces:
        piece = piece.strip(" ;,")
        spans = _numbers(piece)
        line = piece
        if spans and spans[-1][1] == len(piece) and spans[-1][0] > 0 and piece[spans[-1][0] - 1] != " ":
            # A number glued to the end of a name is the list's label for that name.
            begin = spans[-1][0]
            name, number = piece[:begin].strip(" ;,:"), piece[begin:]
            line = name if number in name else f"{name} ({number})"
        if not line or line in lines:
            continue
        if _numbers(line) == [(0, len(line))] and any(line in earlier for earlier in lines):
            continue  # a bare number already written with its name
        lines.append(line)
    return lines


def read_documents(content: bytes, file_name: str = "tthc_thanh_phan.csv"):
    """{code: [DocumentLine, …] in published order} and the rows that could not be used."""
    by_code: dict[str, list[DocumentLine]] = {}
    bad: list[BadRow] = []
    for line, row in _rows(content, DOCUMENT_COLUMNS, file_name):
        code = clean_text(row.get("code"))
        if not CODE_RE.match(code):
            bad.append(BadRow(file_name, line, code, "mã thủ tục không hợp lệ"))
            continue
        text = _text(row.get("document"))
        copies = parse_copies(row.get("copies") or "")
        if copies is None:
            bad.append(BadRow(file_name, line, code, f"số lượng không đọc được (“{row.get('copies')}”)"))
            continue
        if not text:
            bad.append(BadRow(file_name, line, code, "dòng không có nội dung giấy tờ"))
            continue
        try:
            seq = int(row.get("seq") or 0)
        except ValueError:
            seq = 0
        heading = _text(row.get("case")).replace("\n", " ")[:500]
        kind = heading_kind(heading)
        lines = by_code.setdefault(code, [])
        lines.append(
            DocumentLine(
                seq=seq or len(lines) + 1,
                text=text,
                label=short_label(text)[:200],
                originals=copies[0],
                copies=copies[1],
                copies_text=clean_text(row.get("copies"))[:100],
                heading=heading,
                heading_kind=kind,
                requirement=requirement(text, row.get("required") or "", kind),
                form_name=clean_text(row.get("form_name"))[:300],
            )
        )
    for lines in by_code.values():
        # Positions as published; a repeated or missing one keeps the file's order.
        lines.sort(key=lambda d: d.seq)
        for position, doc in enumerate(lines, 1):
            doc.seq = position
    return by_code, bad


def read_details(content: bytes, file_name: str = "tthc_chi_tiet.csv"):
    """{code: Detail} and the rows that could not be used."""
    out: dict[str, Detail] = {}
    bad: list[BadRow] = []
    for line, row in _rows(content, DETAIL_COLUMNS, file_name):
        code = clean_text(row.get("code"))
        if not CODE_RE.match(code):
            bad.append(BadRow(file_name, line, code, "mã thủ tục không hợp lệ"))
            continue
        if code in out:
            bad.append(BadRow(file_name, line, code, "mã thủ tục lặp lại; giữ dòng đầu"))
            continue
        results = [clean_text(r) for r in (row.get("ket_qua") or "").split(" | ") if clean_text(r)]
        out[code] = Detail(
            applicants=_text(row.get("doi_tuong_thuc_hien")),
            steps=_text(row.get("trinh_tu_thuc_hien")),
            conditions=_text(row.get("yeu_cau_dieu_kien")),
            legal_basis="\n".join(split_legal_basis(row.get("can_cu_phap_ly_text") or "")),
            results="\n".join(results),
            result_codes=clean_text(row.get("ket_qua_ma"))[:300],
            detail_url=clean_text(row.get("detail_url"))[:300],
            # The legal basis is re-split for reading: its text as published stays here.
            source={k: row[k] for k in ("can_cu_phap_ly_text", "source") if row.get(k)},
        )
    return out, bad
