"""Small catalogue files for tests."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from django.test import override_settings

from cchc.testing import BaseTestCase

REAL_FILE = Path(__file__).resolve().parent.parent / "data" / "tthc_cap_xa.csv"
HEADER = ["code", "name", "field", "level", "decision", "channels", "time_amount", "time_unit", "fee_text"]
ROWS = [
    [
        "1.001193",
        "Thủ tục đăng ký khai sinh",
        "Hộ tịch",
        "Cấp xã",
        "163/QĐ-BTP",
        "truc_tiep truc_tuyen buu_chinh",
        "3",
        "working_days",
        "Miễn phí",
    ],
    [
        "1.000894",
        "Thủ tục đăng ký kết hôn",
        "Hộ tịch",
        "Cấp xã",
        "163/QĐ-BTP",
        "truc_tiep truc_tuyen",
        "5",
        "working_days",
        "Miễn phí",
    ],
    [
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ",
        "Chứng thực",
        "Cấp xã",
        "1234/QĐ-BTP",
        "truc_tiep",
        "",
        "",
        "Không có thông tin2,000 Việt Nam Đồng(/trang)",
    ],
    [
        "1.012995",
        "Ghi nợ tiền sử dụng đất",
        "Tài chính đất đai",
        "Cấp xã",
        "1/QĐ-BTC",
        "truc_tiep buu_chinh",
        "1",
        "",
        "Miễn phí",
    ],
    [
        "2.001159",
        "Thông báo lưu trú",
        "Đăng ký, quản lý cư trú",
        "Cấp xã",
        "9354/QĐ-BCA-C06",
        "truc_tuyen truc_tiep",
        "1",
        "hours",
        "Không có thông tin",
    ],
]


def csv_bytes(
    rows: list[list[str]] | None = None, header: list[str] | None = None, encoding: str = "utf-8"
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or HEADER)
    writer.writerows(ROWS if rows is None else rows)
    text = out.getvalue()
    if encoding == "cp1258":
        return _cp1258(text)
    return text.encode(encoding)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Windows-1258, as old Vietnamese Excel files are saved: letters such as ă, ơ
    are single bytes, tone marks are separate combining bytes."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in decomposed if c in _TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
            out += (base + tones).encode("cp1258")
    return bytes(out)


def xlsx_bytes(rows: list[list], header: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class CatalogueTestCase(BaseTestCase):
    """BaseTestCase with a fast password hasher: the named users are created for
    every test class, and the default hasher makes that take seconds."""
