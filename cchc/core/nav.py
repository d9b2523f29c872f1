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
    group: str = ""  # items sharing a group are shown as one drop-down menu


@dataclass(frozen=True)
class NavGroup:
    """A drop-down of the menu; without JavaScript its label links to the first item."""

    label: str
    items: list[NavItem]

    @property
    def url_name(self) -> str:
        return self.items[0].url_name

    @property
    def sections(self) -> list[str]:
        return [i.section for i in self.items if i.section]


@dataclass(frozen=True)
class HomePanel:
    template: str
    order: int
    visible: Visible
    context: Callable[[Any], dict]


_NAV: list[NavItem] = []
_PANELS: list[HomePanel] = []


def register_nav(
    label: str, url_name: str, *, order: int, visible: Visible, section: str = "", group: str = ""
) -> None:
    if all(i.url_name != url_name for i in _NAV):
        _NAV.append(NavItem(label, url_name, order, visible, section, group))
        _NAV.sort(key=lambda i: i.order)


def register_home_panel(
    template: str, *, order: int, visible: Visible, context: Callable[[Any], dict]
) -> None:
    if all(p.template != template for p in _PANELS):
        _PANELS.append(HomePanel(template, order, visible, context))
        _PANELS.sort(key=lambda p: p.order)


def nav_for(user) -> list[NavItem | NavGroup]:
    """The menu for `user`: visible items in order, grouped items gathered at the
    place of the group's first item (a group of one is shown as a plain item)."""
    if not user.is_authenticated:
        return []
    visible = [i for i in _NAV if i.visible(user)]
    entries: list[NavItem | NavGroup] = []
    groups: dict[str, NavGroup] = {}
    for item in visible:
        if not item.group:
            entries.append(item)
        elif item.group in groups:
            groups[item.group].items.append(item)
        else:
            groups[item.group] = NavGroup(item.group, [item])
            entries.append(groups[item.group])
    return [e.items[0] if isinstance(e, NavGroup) and len(e.items) == 1 else e for e in entries]


def panels_for(user) -> list[HomePanel]:
    return [p for p in _PANELS if p.visible(user)]


def has_perm(*perms: str) -> Visible:
    return lambda user: any(user.has_perm(p) for p in perms)
