import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cchc.core.uploads import (
    FILE_TYPES,
    UploadPolicy,
    human_size,
    original_name,
    random_storage_name,
    size_problem,
)

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 8
ZIP = b"PK\x03\x04" + b"\x00" * 8
EMPTY_ZIP = b"PK\x05\x06" + b"\x00" * 18
EVERYTHING = UploadPolicy(types=("pdf", "docx", "xlsx", "zip", "jpg", "png"), max_files=10)
SMALL = UploadPolicy(types=("pdf", "png"), max_files=2)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def messages_of(policy: UploadPolicy, files: list) -> list[str]:
    with pytest.raises(ValidationError) as ctx:
        policy.check(files)
    return ctx.value.messages


def test_it_accepts_each_type_by_extension_and_content():
    files = [
        upload("a.pdf", PDF),
        upload("b.docx", ZIP),
        upload("c.xlsx", ZIP),
        upload("d.zip", ZIP),
        upload("e.zip", EMPTY_ZIP),
        upload("f.jpg", JPG),
        upload("g.JPEG", JPG),
        upload("h.png", PNG),
    ]
    checked = EVERYTHING.check(files)
    assert [(c.extension, c.original_name) for c in checked] == [
        ("pdf", "a.pdf"),
        ("docx", "b.docx"),
        ("xlsx", "c.xlsx"),
        ("zip", "d.zip"),
        ("zip", "e.zip"),
        ("jpg", "f.jpg"),
        ("jpg", "g.JPEG"),
        ("png", "h.png"),
    ]
    assert checked[0].content_type == "application/pdf"
    assert checked[6].content_type == "image/jpeg"
    assert checked[0].size == len(PDF)
    assert checked[0].file is files[0]


def test_it_leaves_the_file_readable_from_the_start():
    f = upload("a.pdf", PDF)
    f.read(3)
    EVERYTHING.check([f])
    assert f.read() == PDF


def test_it_refuses_an_extension_outside_the_policy_even_with_good_content():
    messages = messages_of(SMALL, [upload("bang.xlsx", ZIP), upload("virus.exe", b"MZ\x90\x00")])
    assert messages == [
        "Tệp “bang.xlsx” không đúng loại cho phép (chỉ nhận PDF, PNG).",
        "Tệp “virus.exe” không đúng loại cho phép (chỉ nhận PDF, PNG).",
    ]


def test_it_refuses_content_that_does_not_match_the_extension():
    cases = [
        ("gia-mao.pdf", b"MZ\x90\x00 not a pdf", "PDF"),
        ("anh.png", JPG, "PNG"),
        ("anh.jpg", PNG, "JPG"),
        ("van-ban.docx", PDF, "DOCX"),
        ("nen.zip", b"Rar!\x1a\x07\x00", "ZIP"),
        ("ngan.pdf", b"%P", "PDF"),
    ]
    for name, content, label in cases:
        assert messages_of(EVERYTHING, [upload(name, content)]) == [
            f"Nội dung tệp “{name}” không phải tệp {label} hợp lệ."
        ]


def test_it_refuses_empty_files_and_names_without_extension():
    assert messages_of(SMALL, [upload("rong.pdf", b"")]) == ["Tệp “rong.pdf” rỗng."]
    assert messages_of(SMALL, [upload("README", PDF)])[0].startswith("Tệp “README” không đúng loại")


@override_settings(UPLOAD_MAX_BYTES=2 * 1024 * 1024)
def test_it_limits_the_size_from_settings():
    big = upload("lon.pdf", PDF + b"x" * (2 * 1024 * 1024 + 30 * 1024))
    assert messages_of(SMALL, [big]) == ["Tệp “lon.pdf” quá lớn (2,03 MB), vượt giới hạn 2 MB mỗi tệp."]
    exact = upload("vua.pdf", PDF + b"x" * (2 * 1024 * 1024 - len(PDF)))
    assert [c.original_name for c in SMALL.check([exact])] == ["vua.pdf"]


def test_it_lists_every_problem_in_one_error():
    files = [upload("a.pdf", PDF), upload("b.exe", b"MZ"), upload("c.png", b""), upload("d.png", PDF)]
    messages = messages_of(SMALL, files)
    assert messages[0] == "Chỉ được đính kèm tối đa 2 tệp mỗi lần."
    assert [re.search(r"“(.+?)”", m).group(1) for m in messages[1:]] == ["b.exe", "c.png", "d.png"]


def test_too_many_good_files_are_refused():
    assert messages_of(SMALL, [upload(f"{i}.pdf", PDF) for i in range(3)]) == [
        "Chỉ được đính kèm tối đa 2 tệp mỗi lần."
    ]
    assert SMALL.check([]) == []


def test_names_lose_their_folders_and_are_nfc():
    decomposed = "Bie\u0302n ba\u0309n.pdf"  # "Biên bản.pdf", NFD as macOS sends it
    assert original_name(upload("x.pdf", PDF)) == "x.pdf"
    f = upload("x.pdf", PDF)
    f.name = "C:\\Users\\an\\" + decomposed
    assert original_name(f) == "Biên bản.pdf"
    f.name = "a/b/" + "d" * 300 + ".pdf"
    assert len(original_name(f)) == 200
    assert len(original_name(f, max_length=255)) == 255


def test_policy_describes_itself_for_forms():
    assert SMALL.labels == "PDF, PNG"
    assert EVERYTHING.accept == ".pdf,.docx,.xlsx,.zip,.jpg,.jpeg,.png"
    with override_settings(UPLOAD_MAX_BYTES=10 * 1024 * 1024):
        assert SMALL.help_text() == "PDF, PNG; tối đa 2 tệp, mỗi tệp không quá 10 MB."


def test_a_policy_must_name_known_types():
    with pytest.raises(ValueError):
        UploadPolicy(types=("pdf", "exe"), max_files=1)
    with pytest.raises(ValueError):
        UploadPolicy(types=(), max_files=1)
    with pytest.raises(ValueError):
        UploadPolicy(types=("pdf",), max_files=0)
    assert set(FILE_TYPES) == {"pdf", "docx", "xlsx", "zip", "jpg", "png"}


def test_sizes_read_as_people_read_them():
    assert human_size(850) == "850 byte"
    assert human_size(12 * 1024 + 5) == "12 KB"
    assert human_size(1536 * 1024) == "1,5 MB"
    assert human_size(10 * 1024 * 1024) == "10 MB"
    assert human_size(int(10.25 * 1024 * 1024)) == "10,25 MB"


def test_storage_names_are_random_and_keep_the_extension():
    names = {random_storage_name("pdf") for _ in range(50)} | {random_storage_name(".pdf")}
    assert len(names) == 51
    assert all(re.fullmatch(r"[0-9a-f]{32}\.pdf", n) for n in names)


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_size_problem_alone_for_forms_that_read_the_content_themselves():
    assert size_problem(upload("a.csv", b"x" * 1024)) is None
    assert (
        size_problem(upload("a.csv", b"x" * 1025))
        == "Tệp “a.csv” quá lớn (1025 byte), vượt giới hạn 1 KB mỗi tệp."
    )
    assert size_problem(upload("a.csv", b"")) == "Tệp “a.csv” rỗng."


def test_attachment_takes_its_content_type_from_the_file_name():
    from cchc.core.uploads import attachment

    response = attachment(b"PK\x03\x04", "so-theo-doi.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="so-theo-doi.xlsx"'
    assert attachment(b"PK", "mau-01.docx")["Content-Type"].endswith("wordprocessingml.document")
