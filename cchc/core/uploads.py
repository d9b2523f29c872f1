"""Checking uploaded files, for every app that accepts them (plan evidence,
petition attachments).

A file is accepted only when its extension is in the app's allowed set AND its
first bytes (the "magic number") match that type, so that a renamed executable is
refused even under a .pdf name. Each app states its own `UploadPolicy` (which
types, how many files at once); the size limit per file is
`settings.UPLOAD_MAX_BYTES` for all of them, read at check time.

Every bad file is reported in one `ValidationError`, one Vietnamese message per
problem, so that a citizen or officer fixes them all in one go; nothing is written
here. Stored names are random (`random_storage_name`): an original name may carry
personal data, and it is kept only in the database.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse

from cchc.core.text import clean_text

# How many first bytes are read to recognise a type (the longest signature is 8).
HEAD_BYTES = 16


@dataclass(frozen=True)
class FileType:
    """An accepted kind of file: its canonical extension (no dot), other
    extensions meaning the same, the label shown to users, the content type it is
    served with, and the byte strings one of which the file must start with."""

    extension: str
    label: str
    content_type: str
    signatures: tuple[bytes, ...]
    aliases: tuple[str, ...] = ()

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.aliases)


_ZIP = b"PK\x03\x04"
FILE_TYPES: dict[str, FileType] = {
    t.extension: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", (b"%PDF-",)),
        FileType(
            "docx",
            "DOCX",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (_ZIP,),
        ),
        FileType(
            "xlsx",
            "XLSX",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (_ZIP,),
        ),
        # PK\x05\x06 starts an empty archive (end-of-directory record only).
        FileType("zip", "ZIP", "application/zip", (_ZIP, b"PK\x05\x06")),
        FileType("jpg", "JPG", "image/jpeg", (b"\xff\xd8\xff",), aliases=("jpeg",)),
        FileType("png", "PNG", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    )
}


def human_size(n: int) -> str:
    """A size as people read it: '850 byte', '12 KB', '1,5 MB', '10,02 MB'
    (Vietnamese decimal comma; two decimals so that a file just over a limit
    does not read as the limit itself)."""
    if n < 1024:
        return f"{n} byte"
    if n < 1024 * 1024:
        return f"{n // 1024} KB"
    mb = f"{n / 1024 / 1024:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{mb} MB"


def original_name(upload: UploadedFile, max_length: int = 200) -> str:
    """The file's own name without any folder a browser may have sent (either
    slash), NFC-normalised and cut to the column's length."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return clean_text(name)[:max_length]


def random_token() -> str:
    """32 random hex digits: the unguessable part of a stored file's name."""
    return secrets.token_hex(16)


def random_storage_name(extension: str) -> str:
    """A random, unguessable file name with the given extension ('pdf' or '.pdf')."""
    return f"{random_token()}.{extension.lstrip('.')}"


def size_problem(upload: UploadedFile) -> str | None:
    """Why the file's size is refused (empty, or over `settings.UPLOAD_MAX_BYTES`),
    or None. For forms that check the content themselves (catalogue import)."""
    name, size, limit = original_name(upload), upload.size or 0, settings.UPLOAD_MAX_BYTES
    if size == 0:
        return f"Tệp “{name}” rỗng."
    if size > limit:
        shown, most = human_size(size), human_size(limit)
        if shown == most:  # just over: rounding would show the limit itself
            shown = f"{size} byte"
        return f"Tệp “{name}” quá lớn ({shown}), vượt giới hạn {most} mỗi tệp."
    return None


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed the checks, with what was learnt about it."""

    file: UploadedFile
    file_type: FileType
    original_name: str
    size: int

    @property
    def extension(self) -> str:
        """The canonical extension, without the dot ('jpg' for a .jpeg file)."""
        return self.file_type.extension

    @property
    def content_type(self) -> str:
        return self.file_type.content_type


@dataclass(frozen=True)
class UploadPolicy:
    """What one form accepts: the allowed types (canonical extensions, in the
    order shown to users) and the most files sent at once."""

    types: tuple[str, ...]
    max_files: int

    def __post_init__(self) -> None:
        unknown = [t for t in self.types if t not in FILE_TYPES]
        if unknown or not self.types:
            raise ValueError(f"Unknown or no upload types: {unknown or self.types!r}")
        if self.max_files < 1:
            raise ValueError("max_files must be at least 1")

    @property
    def file_types(self) -> list[FileType]:
        return [FILE_TYPES[t] for t in self.types]

    @property
    def labels(self) -> str:
        """'PDF, JPG, PNG, DOCX' for messages."""
        return ", ".join(t.label for t in self.file_types)

    @property
    def accept(self) -> str:
        """The value for an <input type=file accept=…> attribute."""
        return ",".join(f".{ext}" for t in self.file_types for ext in t.extensions)

    def help_text(self) -> str:
        return (
            f"{self.labels}; tối đa {self.max_files} tệp, "
            f"mỗi tệp không quá {human_size(settings.UPLOAD_MAX_BYTES)}."
        )

    def type_for(self, name: str) -> FileType | None:
        """The allowed type a file name's extension stands for, if any."""
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        for file_type in self.file_types:
            if ext in file_type.extensions:
                return file_type
        return None

    def check(self, files: Iterable[UploadedFile]) -> list[CheckedUpload]:
        """Check the number of files and, for each one, its type (extension and
        first bytes), that it is not empty and not over the size limit.

        Returns the files with their types, in the order given; raises one
        `ValidationError` whose messages list every problem found."""
        files = list(files)
        errors: list[str] = []
        if len(files) > self.max_files:
            errors.append(f"Chỉ được đính kèm tối đa {self.max_files} tệp mỗi lần.")
        checked: list[CheckedUpload] = []
        for upload in files:
            name = original_name(upload)
            file_type = self.type_for(name)
            if file_type is None:
                errors.append(f"Tệp “{name}” không đúng loại cho phép (chỉ nhận {self.labels}).")
                continue
            problem = size_problem(upload)
            if problem:
                errors.append(problem)
                continue
            upload.seek(0)
            head = upload.read(HEAD_BYTES)
            upload.seek(0)
            if not head.startswith(file_type.signatures):
                errors.append(f"Nội dung tệp “{name}” không phải tệp {file_type.label} hợp lệ.")
                continue
            checked.append(
                CheckedUpload(file=upload, file_type=file_type, original_name=name, size=upload.size)
            )
        if errors:
            raise ValidationError(errors)
        return checked


def attachment(content: bytes, filename: str) -> HttpResponse:
    """A generated file (Word, Excel…) offered as a download; the content type
    comes from the file name's extension in `FILE_TYPES`."""
    extension = filename.rsplit(".", 1)[-1].lower()
    response = HttpResponse(content, content_type=FILE_TYPES[extension].content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
