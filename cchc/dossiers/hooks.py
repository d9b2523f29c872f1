"""Parts of the dossier pages that later apps contribute, registered from their
`ready()` like the home panels of `cchc.core.nav`: dependencies point one way, so
the dossier pages show the satisfaction app's rating slip without importing it.

- `register_detail_part(template, order=…, context=…)`: a block in the tools of the
  dossier page; `context(user, dossier)` returns the block's values (the template
  reads them as `part`), or None when there is nothing to show for this dossier.
- `register_after_action(action, message)`: after `action` is taken from the page,
  `message(user, dossier)` is shown (text or safe HTML; "" shows nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Dossier


@dataclass(frozen=True)
class DetailPart:
    template: str
    order: int
    context: Callable[[Any, Dossier], dict | None]


@dataclass(frozen=True)
class AfterAction:
    action: str
    message: Callable[[Any, Dossier], str]


_PARTS: list[DetailPart] = []
_AFTER: list[AfterAction] = []


def register_detail_part(
    template: str, *, order: int, context: Callable[[Any, Dossier], dict | None]
) -> None:
    if all(p.template != template for p in _PARTS):
        _PARTS.append(DetailPart(template, order, context))
        _PARTS.sort(key=lambda p: p.order)


def register_after_action(action: str, message: Callable[[Any, Dossier], str]) -> None:
    if all((a.action, a.message) != (action, message) for a in _AFTER):
        _AFTER.append(AfterAction(action, message))


def detail_parts(user, dossier: Dossier) -> list[tuple[str, dict]]:
    """(template, values) of the parts to show on this dossier's page for `user`."""
    out = []
    for part in _PARTS:
        values = part.context(user, dossier)
        if values is not None:
            out.append((part.template, values))
    return out


def after_action_messages(user, dossier: Dossier, action: str) -> list[str]:
    return [m for a in _AFTER if a.action == action if (m := a.message(user, dossier))]
