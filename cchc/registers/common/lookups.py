"""Finding the commune's departments and officials by the names typed in a
spreadsheet ("Tư pháp", "tu phap - ho tich", "Văn phòng HĐND – UBND"): compared
as search keys, so diacritics, case and dash styles do not matter."""

from __future__ import annotations

import re

from cchc.core.sheets import SheetRow
from cchc.core.text import search_key
from cchc.org.models import Department, User
from cchc.org.roles import COMMUNE_STAFF


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", search_key(text)).split())


class Departments:
    """The departments of one commune, looked up by name, code or a unique prefix."""

    def __init__(self, commune) -> None:
        self.all = list(Department.objects.filter(commune=commune).order_by("order", "name"))
        self.by_key = {}
        for d in self.all:
            self.by_key[_key(d.name)] = d
            self.by_key[_key(d.code)] = d

    def find(self, text: str, row: SheetRow, label: str = "bộ phận") -> Department | None:
        if not text:
            return None
        key = _key(text)
        if key in self.by_key:
            return self.by_key[key]
        matches = [d for d in self.all if _key(d.name).startswith(key) or key in _key(d.name)]
        if len(matches) == 1:
            return matches[0]
        names = "; ".join(d.name for d in self.all)
        if matches:
            row.error(
                f"{label} “{text}” khớp nhiều bộ phận ({'; '.join(d.name for d in matches)}): ghi rõ hơn."
            )
        else:
            row.error(f"{label} “{text}” không có trong xã (các bộ phận: {names}).")
        return None


class Officials:
    """The commune's officials (user accounts), looked up by full name or user name.
    Two officials with the same name must be told apart by user name."""

    def __init__(self, commune) -> None:
        self.all = list(User.objects.filter(unit=commune, role__in=COMMUNE_STAFF))
        self.by_name: dict[str, list[User]] = {}
        for user in self.all:
            self.by_name.setdefault(_key(user.full_name or user.username), []).append(user)
            self.by_name.setdefault(_key(user.username), []).append(user)

    def find(self, text: str, row: SheetRow) -> tuple[User | None, bool]:
        """(the official, whether the name was ambiguous). Not found: (None, False)
        — the caller may keep the person by name."""
        users = self.by_name.get(_key(text), [])
        unique = {u.pk: u for u in users}
        if len(unique) == 1:
            return next(iter(unique.values())), False
        if len(unique) > 1:
            row.error(
                f"có {len(unique)} tài khoản cùng tên “{text}”: ghi tên đăng nhập "
                f"({', '.join(u.username for u in unique.values())}) thay cho họ tên."
            )
            return None, True
        return None, False
