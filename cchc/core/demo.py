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
