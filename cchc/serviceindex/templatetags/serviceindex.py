"""Template filters of the service index pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from cchc.core.figures import format_number, format_value

register = template.Library()


@register.filter
def points(value: Decimal | None) -> str:
    """Points with two decimals and a decimal comma ("16,50"); None: "—"."""
    if value is None:
        return "—"
    return format_number(Decimal(value), 2)


@register.filter
def figure_value(value, figure) -> str:
    """A figure's value in its unit ("98,50%", "12 hồ sơ", "chưa có dữ liệu")."""
    return format_value(value, figure.unit)


@register.filter
def lookup(mapping, key):
    """`mapping[key]` in a template (an empty dict when missing, so it chains)."""
    if not mapping:
        return {}
    return mapping.get(key, "")
