from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from cchc.reports.tables import render_quotes
from cchc.reports.text import blocks

register = template.Library()


@register.simple_tag
def section_html(text: str, cells: dict):
    """Section text with quoted figures replaced by their values, as paragraphs and lists."""
    parts = []
    for block in blocks(render_quotes(text, cells or {})):
        if block.kind == "p":
            parts.append(format_html("<p>{}</p>", block.text))
        else:
            items = format_html_join(
                "", '<li class="{}">{}</li>', (("ms-3" if level else "", item) for level, item in block.items)
            )
            parts.append(format_html("<ul>{}</ul>", items))
    return mark_safe("".join(str(p) for p in parts))


@register.filter
def report_status_badge(status: str) -> str:
    css = {"drafting": "secondary", "submitted": "primary", "approved": "info", "sent": "success"}.get(
        status, "secondary"
    )
    return css


@register.filter
def section_status_badge(status: str) -> str:
    return {
        "assigned": "secondary",
        "submitted": "primary",
        "returned": "warning",
        "accepted": "success",
    }.get(status, "secondary")
