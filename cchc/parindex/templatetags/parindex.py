"""Points and percentages as the PAR-index pages show them ('9,49', '94,90%')."""

from decimal import Decimal

from django import template

from ..rules import pct, pts

register = template.Library()


@register.filter
def points(value) -> str:
    """'9,49', '10', '—' for none."""
    if value is None or value == "":
        return "—"
    return pts(Decimal(str(value)))


@register.filter
def rate(value) -> str:
    """A percentage with two decimals: '94,90%'; '—' for none."""
    if value is None or value == "":
        return "—"
    return pct(Decimal(str(value)), trim=False)
