"""Password rules for staff accounts (docs/operations.md, "Security"), every message
in Vietnamese. Beside length, likeness to the account's own data and the list of
common passwords, a password may not contain the name of the user's commune (or of
its district or province), a date (a birthday, "01/01/1990", "19900101"), or the demo
password — the demo creates its accounts directly, so the demo password only ever
exists in a demo database.
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError

from .demo import DEMO_PASSWORD
from .text import search_key

_UNIT_PREFIXES = re.compile(r"^(uy ban nhan dan|ubnd|xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh)\s+")


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def __init__(self, min_length: int = 8):
        super().__init__(min_length)

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự.", code="password_too_short"
            )

    def get_help_text(self):
        return f"Ít nhất {self.min_length} ký tự."


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "Mật khẩu quá giống tên đăng nhập, họ tên hoặc thư điện tử của tài khoản.",
                code="password_too_similar",
            ) from None

    def get_help_text(self):
        return "Không giống tên đăng nhập, họ tên hay thư điện tử."


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "Mật khẩu này quá phổ biến, dễ bị đoán.", code="password_too_common"
            ) from None

    def get_help_text(self):
        return "Không phải mật khẩu phổ biến."


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def validate(self, password, user=None):
        if password.isdigit():
            raise ValidationError("Mật khẩu không được chỉ gồm chữ số.", code="password_entirely_numeric")

    def get_help_text(self):
        return "Không chỉ gồm chữ số."


def _compact(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", search_key(value))


def _place_keys(user) -> set[str]:
    from django.apps import apps

    unit = getattr(user, "unit", None) if user is not None else None
    units = []
    while unit is not None:  # the user's commune, its district and province
        units.append(unit)
        unit = unit.parent
    if not units:  # an account without a unit (an administrator): every unit
        units = list(apps.get_model("org", "Unit").objects.all())
    keys = set()
    for u in units:
        for name in (u.name, u.short_name, u.place_name):
            bare = _UNIT_PREFIXES.sub("", search_key(name or ""))
            bare = _UNIT_PREFIXES.sub("", bare)  # "ủy ban nhân dân xã …"
            key = _compact(bare)
            if len(key) >= 4:
                keys.add(key)
    return keys


class PlaceNameValidator:
    """Refuses a password containing the name of the user's commune, district or
    province (with or without diacritics, spaces or case: "DucXuong2025")."""

    def validate(self, password, user=None):
        compact = _compact(password)
        for key in _place_keys(user):
            if key in compact:
                raise ValidationError(
                    "Mật khẩu không được chứa tên xã, huyện hay tỉnh: loại mật khẩu này dễ bị đoán.",
                    code="password_place_name",
                )

    def get_help_text(self):
        return "Không chứa tên xã, huyện, tỉnh."


_DATE_PATTERNS = [
    # dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, ddmmyyyy
    (re.compile(r"(?<!\d)(\d{1,2})[/.\-]?(\d{1,2})[/.\-]?((?:19|20)\d{2})(?!\d)"), ("d", "m", "y")),
    # yyyy-mm-dd, yyyymmdd
    (re.compile(r"(?<!\d)((?:19|20)\d{2})[/.\-]?(\d{1,2})[/.\-]?(\d{1,2})(?!\d)"), ("y", "m", "d")),
]


def _contains_date(password: str) -> bool:
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(password):
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                continue
            return True
    # A whole password that is a short date: 010190, 01/01/90.
    short = re.fullmatch(r"(\d{2})[/.\-]?(\d{2})[/.\-]?(\d{2})", password)
    if short:
        d, m, y = (int(g) for g in short.groups())
        try:
            date(2000 + y, m, d)
            return True
        except ValueError:
            return False
    return False


class DateValidator:
    """Refuses a password holding a date (a birthday, an anniversary)."""

    def validate(self, password, user=None):
        if _contains_date(password):
            raise ValidationError(
                "Mật khẩu không được chứa ngày tháng (như ngày sinh): loại mật khẩu này dễ bị đoán.",
                code="password_date",
            )

    def get_help_text(self):
        return "Không chứa ngày tháng (như ngày sinh)."


class DemoPasswordValidator:
    """Refuses the demo password (published in the README) for a real account."""

    def validate(self, password, user=None):
        if _compact(DEMO_PASSWORD) in _compact(password):
            raise ValidationError(
                "Đây là mật khẩu của bản trình diễn, ai cũng biết: hãy chọn mật khẩu khác.",
                code="password_demo",
            )

    def get_help_text(self):
        return "Không dùng mật khẩu của bản trình diễn."
