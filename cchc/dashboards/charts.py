"""Trend charts drawn on the server as SVG: no script (the CSP allows only the
site's own files) and readable without JavaScript. Each chart has a text
alternative and every point a tooltip (<title>); the same values are in a table
beside it, so nothing is said by colour or shape alone."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cchc.core.figures import PERCENT

WIDTH, HEIGHT = 360, 150
LEFT, RIGHT, TOP, BOTTOM = 34, 18, 10, 22


def _short(period) -> str:
    return f"{period.number}/{period.year % 100:02d}" if period.number else period.code


def trend_svg(trend) -> SafeString:
    """A line chart of `trend` (a services.Trend): one point per reporting month, a
    gap where there is no data, a dashed line at the plan's target."""
    values = [None if v is None else float(v) for v in trend.values]
    known = [v for v in values if v is not None]
    if trend.figure.unit == PERCENT:
        low, high = 0.0, 100.0
    else:
        low, high = 0.0, max(known + [1.0]) * 1.1
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(values), 2)

    def x(i: int) -> float:
        return LEFT + inner_w * i / (n - 1)

    def y(v: float) -> float:
        return TOP + inner_h * (1 - (v - low) / ((high - low) or 1))

    label = escape(trend.figure.label)
    summary = "; ".join(f"{p.label}: {text}" for p, _, text in trend.points)
    parts = [
        f'<svg class="trend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{label} theo tháng báo cáo: {escape(summary)}" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}" y2="{TOP + inner_h}" stroke="#888" />',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + inner_h}" stroke="#888" />',
    ]
    for tick in (low, (low + high) / 2, high):
        text = f"{tick:.0f}" + ("%" if trend.figure.unit == PERCENT else "")
        parts.append(
            f'<text x="{LEFT - 4}" y="{y(tick) + 4:.1f}" font-size="10" text-anchor="end" fill="#555">{text}</text>'
        )
    if trend.target is not None:
        ty = y(float(Decimal(trend.target)))
        parts.append(
            f'<line class="target" x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" '
            f'stroke="#6c757d" stroke-dasharray="4 3"><title>Chỉ tiêu kế hoạch</title></line>'
        )
    # The line, broken where a month has no data.
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, v in enumerate(values):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(v):.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        parts.append(f'<polyline fill="none" stroke="#0b5394" stroke-width="2" points="{" ".join(seg)}" />')
    for i, (period, value, text) in enumerate(trend.points):
        if value is not None:
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(float(value)):.1f}" r="3" fill="#0b5394">'
                f"<title>{escape(period.label)}: {escape(text)}</title></circle>"
            )
        if i % 3 == 0 or i == len(values) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - 6}" font-size="10" text-anchor="middle" fill="#555">'
                f"{escape(_short(period))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
