"""Columns that apps after `plans` add to a plan's page and appendix.

Dependencies point one way (plans never imports the apps that build on it), yet
some of their data belongs in the plan's own documents — the reform budget's
estimate and spending per task (`cchc.registers.spending`) is printed in the
appendix next to each task, with subtotals per reform area and a total. Such an
app registers a provider from its `ready()`; the plan page, the appendix .docx and
the appendix .xlsx ask every provider, and show nothing extra when a provider has
nothing for the plan (so a plan without budget data prints as before).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TaskColumns:
    """Values per task, a subtotal per reform area and a plan total, under
    `headers`. `formats` (one per header) turn a value into the text printed in
    the .docx and on the page (the .xlsx keeps numbers); `link` is a page about
    them (plan page)."""

    title: str
    headers: tuple[str, ...]
    tasks: dict[int, tuple] = field(default_factory=dict)
    areas: dict[int, tuple] = field(default_factory=dict)
    total: tuple = ()
    formats: tuple[Callable[[Any], str], ...] = ()
    link: str = ""

    def for_task(self, task_id: int) -> tuple:
        return self.tasks.get(task_id, (None,) * len(self.headers))

    def for_area(self, area_id: int) -> tuple:
        return self.areas.get(area_id, (None,) * len(self.headers))

    def text(self, values: tuple) -> list[str]:
        formats = self.formats or (str,) * len(values)
        return ["" if v is None else fmt(v) for v, fmt in zip(values, formats, strict=True)]


Provider = Callable[[Any], TaskColumns | None]
_PROVIDERS: list[Provider] = []


def register_task_columns(provider: Provider) -> None:
    """Add a provider (called with a `Plan`; returns `TaskColumns` or None)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def task_columns(plan) -> list[TaskColumns]:
    """What every registered provider adds for `plan`, in registration order."""
    out = []
    for provider in _PROVIDERS:
        columns = provider(plan)
        if columns is not None and columns.headers:
            out.append(columns)
    return out
