"""Text out of a plan document: .docx (paragraphs and tables, in document order), .pdf
with a text layer (pypdf, layout mode: see pyproject.toml for why), .txt.

The result is a list of source lines (what the preview shows next to the parsed plan,
numbered from 1) and, for .docx, the tables' rows with the line numbers they were
shown on. A PDF without a text layer (a scan) is refused with a message saying so.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

FORMATS = ("docx", "pdf", "txt")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\ufeff\u00ad]")
SCANNED_MESSAGE = (
    "Tệp PDF “{name}” không có lớp chữ (là bản quét hoặc ảnh chụp), nên không đọc được nội dung. "
    "Hãy tải lên bản Word (.docx) hoặc bản PDF xuất từ Word; nếu chỉ có bản quét, cần nhận dạng chữ "
    "(OCR) trước khi nhập."
)


@dataclass
class Table:
    """A table of the document: its rows of cell texts, and for each row the number of
    the source line it was shown on."""

    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass
class Extracted:
    format: str
    lines: list[str] = field(default_factory=list)
    # For .docx: paragraphs are exact (one line each); for .pdf and .txt lines are the
    # printed lines, which `paragraphs` joins back.
    exact_paragraphs: bool = False
    tables: list[Table] = field(default_factory=list)
    # Line numbers that are rows of a table (the parser reads them from `tables`).
    table_lines: set[int] = field(default_factory=set)
    pages: int = 0


def clean_line(text: str) -> str:
    text = _CONTROL.sub("", text.replace("\t", " ").replace("\xa0", " "))
    return text.rstrip()


def format_of(name: str) -> str | None:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ext if ext in FORMATS else None


def extract(name: str, data: bytes) -> Extracted:
    """Read `data` as the format its name says; ValidationError with a Vietnamese
    message when it cannot be read."""
    fmt = format_of(name)
    if fmt is None:
        raise ValidationError(f"Tệp “{name}” không phải .docx, .pdf hoặc .txt.")
    if not data:
        raise ValidationError(f"Tệp “{name}” rỗng.")
    if fmt == "docx":
        return _docx(name, data)
    if fmt == "pdf":
        return _pdf(name, data)
    return _txt(name, data)


# --- .txt ---------------------------------------------------------------------
def decode_text(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise ValidationError(f"Tệp “{name}” không phải văn bản thuần (.txt).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Older Vietnamese Windows files.
        return data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"Không đọc được bảng mã của tệp “{name}”: hãy lưu lại dạng UTF-8.") from exc


def _txt(name: str, data: bytes) -> Extracted:
    text = unicodedata.normalize("NFC", decode_text(name, data).replace("\r\n", "\n").replace("\r", "\n"))
    out = Extracted("txt")
    table: Table | None = None
    for raw in text.split("\n"):
        # A table typed as text: cells separated by tabs or "|".
        cells = None
        if "\t" in raw.strip() or raw.count("|") >= 2:
            cells = [c.strip() for c in re.split(r"\t|\|", raw.strip().strip("|"))]
        out.lines.append(clean_line(raw))
        number = len(out.lines)
        if cells and len(cells) >= 3:
            if table is None:
                table = Table()
                out.tables.append(table)
            table.rows.append(cells)
            table.lines.append(number)
            out.table_lines.add(number)
        elif raw.strip():
            table = None
    return out


# --- .pdf -----------------------------------------------------------------------
def _pdf(name: str, data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(f"Tệp PDF “{name}” bị hỏng hoặc có mật khẩu, không đọc được.") from exc
    out = Extracted("pdf", pages=len(pages))
    letters = sum(ch.isalpha() for text in pages for ch in text)
    if letters < 20 * max(1, len(pages)) // 2:
        raise ValidationError(SCANNED_MESSAGE.format(name=name))
    raw_lines: list[str] = []
    for index, text in enumerate(pages):
        if index:
            out.lines.append("")  # a page break reads as a blank line
            raw_lines.append("")
        for raw in unicodedata.normalize("NFC", text).split("\n"):
            raw = clean_line(raw)
            raw_lines.append(raw)
            # Layout mode keeps the page's left margin and justified gaps: fold them
            # for reading (the table reader below uses the positions of `raw`).
            stripped = re.sub(r" {2,}", " ", raw.strip())
            out.lines.append(stripped)
    _pdf_tables(out, raw_lines)
    return out


_CHUNK = re.compile(r"\S+(?: \S+)*")
_ROW_NUMBER = re.compile(r"^(?:[IVX]{1,5}|\d{1,3}|[a-zđ])[.)]?$")


def _chunks(line: str) -> list[tuple[int, str]]:
    """Runs of text separated by two or more spaces, with their column."""
    return [(m.start(), m.group(0)) for m in _CHUNK.finditer(line)]


def _join_cell(before: str, more: str) -> str:
    if not before:
        return more
    if before.endswith("-") and not before.endswith(" -"):
        return before + more  # "VP HĐND-" + "UBND"
    return f"{before} {more}"


def _pdf_tables(out: Extracted, raw_lines: list[str]) -> None:
    """An appendix table printed in a PDF: from a header line naming the columns (its
    wrapped second line merged), every line is cut at the columns' boundaries; a line
    whose first column holds a row number (I, 1, a) starts a row, the others continue
    the cells of the row above (text wrapped inside a cell)."""
    from .parse import is_appendix_header

    index = 0
    while index < len(raw_lines):
        chunks = _chunks(raw_lines[index])
        if len(chunks) < 3:
            index += 1
            continue
        header = [[start, start + len(text), text] for start, text in chunks]
        used = [index + 1]
        follow = index + 1
        while follow < len(raw_lines) and follow <= index + 3:
            more = _chunks(raw_lines[follow])
            if not more or _ROW_NUMBER.match(more[0][1].split(" ")[0]):
                break
            for start, text in more:
                col = min(range(len(header)), key=lambda c: abs(header[c][0] - start))
                header[col][2] = _join_cell(header[col][2], text)
                header[col][1] = max(header[col][1], start + len(text))
            used.append(follow + 1)
            follow += 1
        names = [h[2] for h in header]
        if not is_appendix_header(names):
            index += 1
            continue
        bounds = [(header[i][1] + header[i + 1][0]) / 2 for i in range(len(header) - 1)]
        table = Table(rows=[names], lines=[used[0]])
        out.tables.append(table)
        out.table_lines.update(used)
        row: list[str] | None = None
        number = follow
        while number < len(raw_lines):
            line = raw_lines[number]
            number += 1
            chunks = _chunks(line)
            if not chunks:
                continue
            cells = [""] * len(header)
            for start, text in chunks:
                col = sum(1 for b in bounds if start >= b)
                cells[col] = _join_cell(cells[col], text)
            first = cells[0].split(" ")[0] if cells[0] else ""
            if cells[0] and not _ROW_NUMBER.match(first):
                if len(cells[0]) > 6:
                    break  # text in the first column that is no row number: the table ended
            if cells[0] and _ROW_NUMBER.match(first):
                row = cells
                table.rows.append(row)
                table.lines.append(number)
            elif row is not None:
                for col, text in enumerate(cells):
                    if text:
                        row[col] = _join_cell(row[col], text)
            else:
                continue
            out.table_lines.add(number)
        index = number


# --- .docx ----------------------------------------------------------------------
def _docx(name: str, data: bytes) -> Extracted:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ValidationError(f"Tệp Word “{name}” bị hỏng, không đọc được.") from exc
    out = Extracted("docx", exact_paragraphs=True)
    from .parse import is_appendix_header

    def add(text: str) -> int:
        out.lines.append(clean_line(unicodedata.normalize("NFC", text)))
        return len(out.lines)

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            for part in block.text.split("\n"):
                add(part)
            continue
        if not isinstance(block, DocxTable):
            continue
        rows = []
        for row in block.rows:
            cells = []
            for cell in row.cells:
                cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
            rows.append(cells)
        header_at = next((i for i, cells in enumerate(rows[:3]) if is_appendix_header(cells)), None)
        if header_at is None:
            # A layout table (issuing body and motto, signature block): its cells read
            # as paragraphs, cell by cell, row by row.
            for row in block.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    for p in cell.paragraphs:
                        if p.text.strip():
                            add(p.text)
            continue
        table = Table()
        for cells in rows[header_at:]:
            shown = " | ".join(_dedupe_merged(cells))
            number = add(shown)
            table.rows.append(cells)
            table.lines.append(number)
            out.table_lines.add(number)
        out.tables.append(table)
    return out


def _dedupe_merged(cells: list[str]) -> list[str]:
    """python-docx repeats a merged cell's text in every grid cell it spans."""
    out: list[str] = []
    for cell in cells:
        if out and cell and cell == out[-1]:
            continue
        out.append(cell)
    return out
