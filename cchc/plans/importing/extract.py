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
    for index, text in enumerate(pages):
        if index:
            out.lines.append("")  # a page break reads as a blank line
        for raw in unicodedata.normalize("NFC", text).split("\n"):
            # Layout mode keeps the page's left margin and justified gaps: fold them,
            # but keep wide gaps (table columns) as three spaces.
            stripped = raw.strip()
            stripped = re.sub(r" {3,}", "   ", stripped)
            stripped = re.sub(r"(?<! ) (?! )", " ", stripped)
            out.lines.append(clean_line(stripped))
    _pdf_tables(out)
    return out


def _pdf_tables(out: Extracted) -> None:
    """An appendix table printed in the PDF: lines with three or more columns separated
    by wide gaps, from a header line naming the columns."""
    from .parse import is_appendix_header

    table: Table | None = None
    for number, line in enumerate(out.lines, start=1):
        cells = [c.strip() for c in line.split("   ") if c.strip()]
        if table is None:
            if len(cells) >= 3 and is_appendix_header(cells):
                table = Table(rows=[cells], lines=[number])
                out.tables.append(table)
                out.table_lines.add(number)
            continue
        if not line.strip():
            continue
        if len(cells) >= 2 or (table.rows and len(cells) == 1):
            table.rows.append(cells)
            table.lines.append(number)
            out.table_lines.add(number)


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
