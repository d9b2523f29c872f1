"""Helpers for the re-runnable demo loaders that each app keeps in `<app>/demo.py`
(a function `load(log: DemoLog) -> None`). `cchc demo` runs them in app order."""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_PASSWORD = "cchc-demo"


@dataclass
class DemoLog:
    write: callable
    created: int = 0
    existed: int = 0
    lines: list[str] = field(default_factory=list)

    def made(self, what: str, count: int = 1) -> None:
        self.created += count
        self.write(f"  + {what}")

    def had(self, what: str, count: int = 1) -> None:
        self.existed += count
        self.write(f"  = {what} (đã có)")


def demo_logins() -> list[tuple[str, str]]:
    """Every log-in of the demo database with what it is for (role, department or
    unit), in the order they were created: `cchc demo` prints them all and the
    README's table lists the same (a test compares the two)."""
    from django.contrib.auth import get_user_model

    rows = []
    users = get_user_model().objects.filter(is_active=True).select_related("unit", "department")
    for user in users.order_by("pk"):
        place = user.department.name if user.department_id else (str(user.unit) if user.unit_id else "")
        role = user.get_role_display()
        rows.append((user.username, f"{role} ({place})" if place else role))
    return rows
