"""Navigation and home-page panels, contributed by each app from its `ready()`.

Keeping a registry here lets core render the menu without importing domain apps
(dependencies point one way: domain apps register themselves with core).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Visible = Callable[[Any], bool]


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    visible: Visible
    section: str = ""  # the URL namespace prefix that marks the item active


@dataclass(frozen=True)
class HomePanel:
    template: str
    order: int
    visible: Visible
    context: Callable[[Any], dict]


_NAV: list[NavItem] = []
_PANELS: list[HomePanel] = []


def register_nav(label: str, url_name: str, *, order: int, visible: Visible, section: str = "") -> None:
    if all(i.url_name != url_name for i in _NAV):
        _NAV.append(NavItem(label, url_name, order, visible, section))
        _NAV.sort(key=lambda i: i.order)


def register_home_panel(
    template: str, *, order: int, visible: Visible, context: Callable[[Any], dict]
) -> None:
    if all(p.template != template for p in _PANELS):
        _PANELS.append(HomePanel(template, order, visible, context))
        _PANELS.sort(key=lambda p: p.order)


def nav_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [i for i in _NAV if i.visible(user)]


def panels_for(user) -> list[HomePanel]:
    return [p for p in _PANELS if p.visible(user)]


def has_perm(*perms: str) -> Visible:
    return lambda user: any(user.has_perm(p) for p in perms)
