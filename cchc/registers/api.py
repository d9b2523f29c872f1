"""JSON API of the registers: which registers there are, and the rows of one as its
spreadsheet has them (the same columns as the .xlsx export and import), for the
communes the token's user may see. Read-only: rows are written through the pages
(forms with the concurrent-edit check, or the .xlsx import with its preview)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cchc.core.api import page_field, page_size_field
from cchc.core.text import filter_by_search
from cchc.org.models import Unit

from . import specs
from .common import services
from .common.registry import RegisterSpec

router = Router(tags=["Sổ theo dõi"])

Cell = str | int | date | datetime | None


class ColumnOut(Schema):
    key: str
    label: str


class RegisterOut(Schema):
    key: str
    label: str
    columns: list[ColumnOut]
    rows: int = Field(..., description="Số bản ghi của các xã người dùng được xem.")


class RowsOut(Schema):
    key: str
    columns: list[ColumnOut]
    count: int = Field(..., description="Số bản ghi khớp bộ lọc (một bản ghi có thể ra nhiều dòng).")
    page: int
    pages: int
    rows: list[dict[str, Cell]] = Field(..., description="Mỗi dòng: 'id', 'commune' và các cột của sổ.")


class RowsQuery(Schema):
    q: str = Field("", description="Tìm không phân biệt dấu.")
    commune: str = Field("", description="Định danh URL của một xã.")
    page: int = page_field()
    page_size: int = page_size_field(100, 500)


def _cell(value) -> Cell:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int | str | date | datetime) or value is None:
        return value
    return str(value)


def _spec(key: str) -> RegisterSpec:
    for spec in specs.ALL:
        if spec.key == key:
            return spec
    raise HttpError(404, f"Không có sổ “{key}”.")


@router.get("/registers", response=list[RegisterOut], summary="Các sổ theo dõi")
def register_list(request: HttpRequest):
    out = []
    for spec in specs.ALL:
        if not services.can_view(request.user, spec):
            continue
        out.append(
            {
                "key": spec.key,
                "label": spec.label,
                "columns": [{"key": c.key, "label": c.label} for c in spec.columns],
                "rows": services.visible(request.user, spec).count(),
            }
        )
    return out


@router.get("/registers/{key}", response=RowsOut, summary="Các dòng của một sổ")
def register_rows(request: HttpRequest, key: str, filters: Query[RowsQuery]):
    spec = _spec(key)
    services.check_view(request.user, spec)
    qs = (
        services.visible(request.user, spec)
        .select_related("commune")
        .order_by(*(spec.model._meta.ordering or ["-pk"]))
    )
    if filters.commune:
        unit = Unit.objects.communes().filter(slug=filters.commune).first()
        if unit is None or not request.user.can_see_commune(unit.pk):
            raise HttpError(404, "Không tìm thấy xã.")
        qs = qs.filter(commune=unit)
    if filters.q:
        qs = filter_by_search(qs, filters.q)
    page = Paginator(qs, filters.page_size).get_page(filters.page)
    records = list(page.object_list)
    rows = []
    for record in records:
        if spec.export_rows:
            lines = spec.export_rows(spec.model.objects.filter(pk=record.pk))
        else:
            lines = [spec.export_row(record)]
        for line in lines:
            row: dict[str, Cell] = {"id": record.pk, "commune": record.commune.slug}
            row.update({c.key: _cell(v) for c, v in zip(spec.columns, line, strict=True)})
            rows.append(row)
    return {
        "key": spec.key,
        "columns": [{"key": c.key, "label": c.label} for c in spec.columns],
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "rows": rows,
    }
