"""What makes a model a register: its name, permissions, the spreadsheet columns
it imports and exports, and how an imported row becomes records. Each register's
package declares one `RegisterSpec` (in its `spec.py`); the shared services and
views (list, export, import, attachments) work from it, so that every register
behaves the same way and is tested the same way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.urls import reverse

from cchc.core.sheets import Column, Sheet


@dataclass
class ImportItem:
    """One thing an import will do: create or update a record (or leave it, when
    the file says what the register already says). `apply` does it, through the
    register's own service, when the officer confirms."""

    line: int
    action: str  # "create" | "update" | "unchanged"
    text: str
    apply: Callable[[], Any] | None = None
    details: str = ""

    ACTIONS = {"create": "Thêm mới", "update": "Cập nhật", "unchanged": "Không đổi"}

    @property
    def action_label(self) -> str:
        return self.ACTIONS[self.action]


@dataclass
class ImportContext:
    commune: Any
    user: Any
    sheet: Sheet


@dataclass
class RegisterSpec:
    key: str  # "communication": URL names, stored on imports
    label: str  # "Sổ theo dõi tuyên truyền CCHC"
    short_label: str  # "Tuyên truyền CCHC" (menu, headings)
    model: type[models.Model]
    manage_perm: str  # "registers.manage_communication"
    columns: Sequence[Column]
    export_row: Callable[[Any], list]
    plan_import: Callable[[ImportContext], list[ImportItem]]
    # One row per record by default; a register whose sheet has several rows per
    # record (a course and its participants) gives its own.
    export_rows: Callable[[Any], list[list]] | None = None
    export_title: str = ""
    export_widths: Sequence[int] | None = None
    import_help: str = ""
    nav_order: int = 60
    extra: dict = field(default_factory=dict)

    @property
    def view_perm(self) -> str:
        return f"registers.view_{self.model._meta.model_name}"

    def url(self, name: str, *args) -> str:
        return reverse(f"registers:{self.key}_{name}", args=args)

    @property
    def url_name(self) -> str:
        return f"registers:{self.key}_list"


_SPECS: dict[str, RegisterSpec] = {}


def register(spec: RegisterSpec) -> RegisterSpec:
    _SPECS.setdefault(spec.key, spec)
    return _SPECS[spec.key]


def get(key: str) -> RegisterSpec:
    return _SPECS[key]


def all_specs() -> list[RegisterSpec]:
    return sorted(_SPECS.values(), key=lambda s: s.nav_order)
