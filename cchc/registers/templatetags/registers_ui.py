"""Template helpers of the registers (load with `{% load registers_ui %}`)."""

from django import template

from cchc.core.figures import format_number, format_value

register = template.Library()


@register.filter
def model_name(obj) -> str:
    return obj._meta.model_name


@register.filter
def vnd(value) -> str:
    """An amount in đồng: 1500000 → '1.500.000'; None → '—'."""
    if value is None or value == "":
        return "—"
    return format_number(value)


@register.filter
def figure(value, unit: str = "") -> str:
    """A figure's value as the catalogue shows it ('98,50%', 'chưa có dữ liệu')."""
    return format_value(value, unit)
