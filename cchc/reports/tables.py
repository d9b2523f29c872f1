"""The figure tables of a report and the figures its sections quote, read through
the figures catalogue (`cchc.core.figures`; docs/reports.md, "Figures").

A report's tables are declared here by figure key — keys are what a report stores,
and `figures.get` refuses one the catalogue does not know, so a table never shows
a number nobody defined. A key missing from the catalogue is named under its table
("chưa có trong danh mục số liệu"), never silently dropped.

Live tables are computed for the report's commune and window; a sent report shows
the `ReportFigure` rows frozen when it was sent, and `differences()` lists what the
live data would say now.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from cchc.core import figures
from cchc.core.figures import Figure, Scope, UnknownFigure, UnsupportedFilter, Value, format_value
from cchc.dossiers import figures as dossier_figures
from cchc.petitions import figures as petition_figures
from cchc.plans import figures as plan_figures
from cchc.procedures import figures as procedure_figures
from cchc.satisfaction import figures as satisfaction_figures

from .models import Report, ReportFigure

QUOTES = "quotes"
TOTAL_ROW = ""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    group: str = ""


@dataclass(frozen=True)
class TableSpec:
    code: str
    title: str
    columns: tuple[Column, ...]
    # "field": one row per field (lĩnh vực) of the commune's procedures, filtered by
    # `field=`, and a total row; "": one row per figure (label, value).
    rows_by: str = ""
    note: str = ""


# The national statistics table for procedures, per field (TT 01/2020/TT-VPCP,
# appendix II, table II.06a): to handle (carried over + received online / in person
# and by post), resolved (early / on time / late), in progress at the window's end
# (within time / overdue). Figures by plain import: a renamed figure fails at import.
_RECEIVED, _RESOLVED, _PENDING = (
    "Số hồ sơ nhận giải quyết",
    "Số hồ sơ đã giải quyết",
    "Số hồ sơ đang giải quyết",
)
DOSSIERS_BY_FIELD = TableSpec(
    code="dossiers_by_field",
    title="Tình hình, kết quả giải quyết thủ tục hành chính (theo mẫu II.06a, Thông tư 01/2020/TT-VPCP)",
    columns=(
        Column(dossier_figures.TO_HANDLE.key, "Tổng số", _RECEIVED),
        Column(dossier_figures.RECEIVED_ONLINE.key, "Mới tiếp nhận trực tuyến", _RECEIVED),
        Column(dossier_figures.RECEIVED_OFFLINE.key, "Mới tiếp nhận trực tiếp, bưu chính", _RECEIVED),
        Column(dossier_figures.CARRIED_OVER.key, "Từ kỳ trước chuyển qua", _RECEIVED),
        Column(dossier_figures.FINISHED.key, "Tổng số", _RESOLVED),
        Column(dossier_figures.FINISHED_EARLY.key, "Trước hạn", _RESOLVED),
        Column(dossier_figures.FINISHED_ON_TIME.key, "Đúng hạn", _RESOLVED),
        Column(dossier_figures.FINISHED_LATE.key, "Quá hạn", _RESOLVED),
        Column(dossier_figures.OPEN.key, "Tổng số", _PENDING),
        Column(dossier_figures.OPEN_WITHIN.key, "Trong hạn", _PENDING),
        Column(dossier_figures.OPEN_LATE.key, "Quá hạn", _PENDING),
    ),
    rows_by="field",
)
HEADLINES = TableSpec(
    code="headlines",
    title="Các chỉ tiêu cải cách hành chính trong kỳ",
    columns=tuple(
        Column(f.key, "")
        for f in (
            dossier_figures.RECEIVED,
            dossier_figures.ON_TIME_RATE,
            dossier_figures.ONLINE_RATE,
            procedure_figures.PUBLISHED_RATE,
            satisfaction_figures.RATED,
            satisfaction_figures.RATE,
            petition_figures.RECEIVED,
            petition_figures.ANSWERED_ON_TIME,
            petition_figures.OVERDUE,
            plan_figures.TASKS_DONE,
            plan_figures.TASKS_OVERDUE,
        )
    ),
)
TABLES: tuple[TableSpec, ...] = (DOSSIERS_BY_FIELD, HEADLINES)


# --- values ---------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """A figure's value over a window, with what is needed to read it."""

    key: str
    label: str
    unit: str
    definition: str
    source: str
    value: Value
    date_from: date
    date_to: date

    @property
    def text(self) -> str:
        return format_value(self.value, self.unit)

    @property
    def short(self) -> str:
        """The value without its unit (table cells under a header that says it), rates keep '%'."""
        return format_value(self.value, self.unit if self.unit == figures.PERCENT else "")

    @classmethod
    def of(cls, figure: Figure, value: Value, date_from: date, date_to: date) -> Cell:
        return cls(
            figure.key, figure.label, figure.unit, figure.definition, figure.source, value, date_from, date_to
        )


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell | None]


@dataclass
class Table:
    code: str
    title: str
    headers: list[str]
    groups: list[str]
    rows: list[Row]
    by_figure: bool  # rows are figures (label | value) rather than fields
    missing: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def group_spans(self) -> list[tuple[str, int]]:
        """(group, number of columns) for a two-level header."""
        spans: list[tuple[str, int]] = []
        for group in self.groups:
            if spans and spans[-1][0] == group:
                spans[-1] = (group, spans[-1][1] + 1)
            else:
                spans.append((group, 1))
        return spans


def _known(spec: TableSpec) -> tuple[list[tuple[Column, Figure]], list[str]]:
    known, missing = [], []
    for column in spec.columns:
        try:
            known.append((column, figures.get(column.key)))
        except UnknownFigure:
            missing.append(column.key)
    return known, missing


def report_scope(report: Report, now: datetime | None = None, **filters) -> Scope:
    return Scope.of(
        commune_ids=[report.commune_id],
        date_from=report.date_from,
        date_to=report.date_to,
        now=now,
        **filters,
    )


def report_fields(report: Report) -> list[str]:
    """The fields (lĩnh vực) with dossiers that the window can count — received before
    its end and not closed before its start — in name order. Other fields would give
    a row of zeros (and are left out of the table): one query here instead of a dozen
    per field."""
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.stats import bounds

    start, end = bounds(report.date_from, report.date_to)
    names = (
        Dossier.objects.filter(commune_id=report.commune_id, received_at__lt=end)
        .exclude(closed_at__lt=start)
        .exclude(procedure__field="")
        .values_list("procedure__field", flat=True)
        .distinct()
    )
    return sorted(set(names))


def _dossier_values_by_field(pairs: Sequence[tuple[Column, Figure]], scope: Scope) -> dict[str, dict]:
    """field → {figure: value} of the table's dossier counts, every field at once (one
    grouped query per part: `dossiers.figures.evaluate_by_field`); the same values as
    evaluating each field's row alone."""
    grouped = [f for _, f in pairs if f.provider is dossier_figures.counts and "field" in f.filters]
    return dossier_figures.evaluate_by_field(grouped, scope) if grouped else {}


def _evaluate_row(
    pairs: Sequence[tuple[Column, Figure]], scope: Scope, known: dict | None = None
) -> list[Cell | None]:
    """Cells of one row; a figure that cannot take the row's filter gives None. Values
    already computed for the row (`known`, by figure) are not counted again."""
    known = known or {}
    usable = []
    for _, figure in pairs:
        try:
            figure.check_scope(scope)
            usable.append(figure)
        except UnsupportedFilter:
            pass
    rest = [f for f in usable if f not in known]
    values = {
        **{f: known[f] for f in usable if f in known},
        **(figures.evaluate(rest, scope) if rest else {}),
    }
    return [
        Cell.of(figure, values[figure], scope.date_from, scope.date_to) if figure in values else None
        for _, figure in pairs
    ]


def live_tables(report: Report, *, now: datetime | None = None) -> list[Table]:
    """The report's tables computed now from the catalogue."""
    out = []
    for spec in TABLES:
        pairs, missing = _known(spec)
        scope = report_scope(report, now)
        if spec.rows_by == "field":
            table = Table(
                spec.code,
                spec.title,
                ["Lĩnh vực"] + [c.header for c, _ in pairs],
                [""] + [c.group for c, _ in pairs],
                [],
                by_figure=False,
                missing=missing,
                note=spec.note,
            )
            if pairs:
                filterable = [p for p in pairs if "field" in p[1].filters]
                if filterable:
                    by_field = _dossier_values_by_field(pairs, scope)
                    for name in report_fields(report):
                        cells = _evaluate_row(
                            pairs, report_scope(report, now, field=name), by_field.get(name)
                        )
                        if any(c is not None and c.value for c in cells):
                            table.rows.append(Row(name, name, cells))
                table.rows.append(Row(TOTAL_ROW, "Tổng cộng", _evaluate_row(pairs, scope)))
        else:
            table = Table(
                spec.code, spec.title, ["Chỉ tiêu", "Kết quả"], ["", ""], [], by_figure=True, missing=missing
            )
            cells = _evaluate_row(pairs, scope)
            for cell in cells:
                if cell is not None:
                    table.rows.append(Row(cell.key, cell.label, [cell]))
        out.append(table)
    return out


def frozen_tables(report: Report) -> list[Table]:
    """The tables as stored when the report was sent."""
    rows = list(report.frozen_figures.exclude(table=QUOTES).order_by("position"))
    out: list[Table] = []
    for spec in TABLES:
        mine = [r for r in rows if r.table == spec.code]
        if spec.rows_by == "field":
            keys = list(dict.fromkeys(r.key for r in mine))
            headers_by_key = {c.key: c for c in spec.columns}
            table = Table(
                spec.code,
                spec.title,
                ["Lĩnh vực"] + [headers_by_key[k].header if k in headers_by_key else k for k in keys],
                [""] + [headers_by_key[k].group if k in headers_by_key else "" for k in keys],
                [],
                by_figure=False,
            )
            by_row: dict[str, Row] = {}
            for r in mine:
                row = by_row.get(r.row_key)
                if row is None:
                    row = by_row[r.row_key] = Row(r.row_key, r.row_label, [None] * len(keys))
                    table.rows.append(row)
                row.cells[keys.index(r.key)] = _cell_of(r)
        else:
            table = Table(spec.code, spec.title, ["Chỉ tiêu", "Kết quả"], ["", ""], [], by_figure=True)
            for r in mine:
                table.rows.append(Row(r.key, r.label, [_cell_of(r)]))
        out.append(table)
    return out


def _cell_of(row: ReportFigure) -> Cell:
    return Cell(
        row.key, row.label, row.unit, row.definition, row.source, row.typed_value, row.date_from, row.date_to
    )


LIVE_CACHE_SECONDS = 300


def _live_key(report: Report) -> str:
    # The creation moment too: a test database may give a new report an old id.
    return f"reports:live-tables:{report.pk}:{report.created_at.timestamp()}:{report.period_code}"


def report_tables(report: Report, *, fresh: bool = False) -> list[Table]:
    """The tables as shown and exported: frozen for a sent report; for a draft, the
    live tables computed at most `LIVE_CACHE_SECONDS` ago (a commune's forty fields
    cost a few seconds to count, and a past window's figures rarely move), or now
    when `fresh`. Sending and the comparison with a sent report always recount."""
    return tables_with_time(report, fresh=fresh)[0]


def tables_with_time(report: Report, *, fresh: bool = False) -> tuple[list[Table], datetime | None]:
    """`report_tables` and when the live figures were computed (None when frozen)."""
    if report.is_sent:
        return frozen_tables(report), None
    key = _live_key(report)
    cached = None if fresh else cache.get(key)
    if cached is not None:
        return cached[1], cached[0]
    computed_at = timezone.now()
    result = live_tables(report)
    cache.set(key, (computed_at, result), LIVE_CACHE_SECONDS)
    return result, computed_at


# --- quotes in section text ------------------------------------------------------
QUOTE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def quoted_keys(text: str) -> list[str]:
    return list(dict.fromkeys(QUOTE.findall(text or "")))


def check_quotes(text: str) -> list[Figure]:
    """The figures quoted in `text` as {{key}}; `ValidationError` naming every key
    the catalogue does not know (nothing is saved then)."""
    found, unknown = [], []
    for key in quoted_keys(text):
        try:
            found.append(figures.get(key))
        except UnknownFigure:
            unknown.append(key)
    if unknown:
        names = ", ".join(f"“{k}”" for k in unknown)
        raise ValidationError(
            f"Số liệu {names} không có trong danh mục số liệu. Chọn số liệu trong danh sách "
            "“Chèn số liệu” (dạng {{mã.số_liệu}})."
        )
    return found


def quote_cells(
    report: Report, texts: Iterable[str], *, now: datetime | None = None, live: bool | None = None
) -> dict[str, Cell]:
    """The value of every figure quoted in `texts`: frozen for a sent report, live
    otherwise (or as `live` says)."""
    keys = []
    for text in texts:
        keys += quoted_keys(text)
    keys = list(dict.fromkeys(keys))
    if live is None:
        live = not report.is_sent
    if not live:
        rows = report.frozen_figures.filter(table=QUOTES, key__in=keys)
        return {r.key: _cell_of(r) for r in rows}
    known = []
    for key in keys:
        try:
            known.append(figures.get(key))
        except UnknownFigure:
            continue
    values = figures.evaluate(known, report_scope(report, now)) if known else {}
    return {f.key: Cell.of(f, values[f], report.date_from, report.date_to) for f in known}


def render_quotes(text: str, cells: dict[str, Cell]) -> str:
    """`text` with each {{key}} replaced by the figure's value ('98,50%')."""

    def repl(match: re.Match) -> str:
        cell = cells.get(match.group(1))
        return cell.text if cell is not None else match.group(0)

    return QUOTE.sub(repl, text or "")


# --- freezing and comparing ------------------------------------------------------
def freeze(report: Report, *, now: datetime | None = None) -> int:
    """Store the report's tables and quoted figures as they are now (at sending).
    Returns the number of values stored."""
    report.frozen_figures.all().delete()
    rows: list[ReportFigure] = []

    def add(table: str, row_key: str, row_label: str, cell: Cell) -> None:
        value = cell.value
        rows.append(
            ReportFigure(
                report=report,
                position=len(rows),
                table=table,
                row_key=row_key[:200],
                row_label=row_label[:300],
                key=cell.key,
                label=cell.label[:300],
                unit=cell.unit,
                definition=cell.definition,
                source=cell.source[:300],
                value=None if value is None else Decimal(value),
                is_count=isinstance(value, int) or (value is None and cell.unit != figures.PERCENT),
                date_from=cell.date_from,
                date_to=cell.date_to,
            )
        )

    for table in live_tables(report, now=now):
        for row in table.rows:
            for cell in row.cells:
                if cell is not None:
                    add(table.code, row.key, row.label, cell)
    texts = list(report.sections.values_list("body", flat=True))
    for cell in quote_cells(report, texts, now=now, live=True).values():
        add(QUOTES, "", "", cell)
    ReportFigure.objects.bulk_create(rows)
    return len(rows)


@dataclass(frozen=True)
class Difference:
    table: str
    row: str
    label: str
    sent: str
    now: str


def differences(report: Report, *, now: datetime | None = None) -> list[Difference]:
    """What the live data says now where it differs from the sent report."""
    if not report.is_sent:
        return []
    frozen = {(r.table, r.row_key, r.key): r for r in report.frozen_figures.all()}
    titles = {spec.code: spec.title for spec in TABLES}
    titles[QUOTES] = "Số liệu trích dẫn trong nội dung"
    live: dict[tuple[str, str, str], tuple[str, Cell]] = {}
    for table in live_tables(report, now=now):
        for row in table.rows:
            for cell in row.cells:
                if cell is not None:
                    live[(table.code, row.key, cell.key)] = (row.label, cell)
    texts = list(report.sections.values_list("body", flat=True))
    for cell in quote_cells(report, texts, now=now, live=True).values():
        live[(QUOTES, "", cell.key)] = ("", cell)
    out = []
    for key in sorted(set(frozen) | set(live), key=lambda k: (k[0] != "dossiers_by_field", k)):
        old, new = frozen.get(key), live.get(key)
        old_text = format_value(old.typed_value, old.unit) if old else "—"
        new_text = new[1].text if new else "—"
        if old_text != new_text:
            label = (old.label if old else new[1].label) if (old or new) else key[2]
            row_label = old.row_label if old else new[0]
            out.append(Difference(titles.get(key[0], key[0]), row_label, label, old_text, new_text))
    return out
