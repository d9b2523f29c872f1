"""`GET /api/v1/service-index`: a commune's service index (QĐ 766/QĐ-TTg) for a
period — every item with its rule, value, points or the reason it has none, and
the two totals (docs/service-index.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cchc.core.api import PeriodQuery, WindowOut, period_of, window_out
from cchc.core.figures import Figure, Value, format_value
from cchc.core.periods import PeriodKind, containing
from cchc.core.permissions import require_perm
from cchc.org.models import Unit

from .models import IndexVersion
from .results import ItemResult, index_for

router = Router(tags=["Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)"])


class ServiceIndexQuery(PeriodQuery):
    commune: str | None = Field(
        None, description="Mã định danh, slug hoặc số hiệu của xã; để trống: xã của người dùng"
    )


class ServiceIndexFigureOut(Schema):
    key: str
    label: str
    unit: str
    value: float | int | None = Field(..., description="null: chưa có dữ liệu")
    formatted: str
    role: str = Field(..., description="numerator, denominator, rate hoặc shown")


class ServiceIndexItemOut(Schema):
    code: str
    name: str
    max_points: float
    rule: str
    threshold: float | None = Field(None, description="Tỷ lệ (0–1) đạt điểm tối đa, với ratio_capped")
    if_empty: str = Field(
        ..., description="'' chưa có dữ liệu, 'max' đạt tối đa, 'zero' 0 điểm khi không có mẫu số"
    )
    formula: str
    state: str = Field(..., description="scored, empty, not_measured, unresolved, track")
    state_label: str
    ratio: float | None
    points: float | None
    note: str
    figures: list[ServiceIndexFigureOut]


class ServiceIndexGroupOut(Schema):
    code: str
    name: str
    max_points: float
    points: float
    measured_max: float
    items: list[ServiceIndexItemOut]


class ServiceIndexVersionOut(Schema):
    code: str
    name: str
    year: int
    effective_from: date
    applies: bool = Field(..., description="false: kỳ trước ngày áp dụng, chấm theo bộ này để tham khảo")
    legal_basis: str
    caveat: str


class ServiceIndexOut(Schema):
    commune: str
    commune_code: str
    window: WindowOut
    version: ServiceIndexVersionOut
    max_total: float
    points: float = Field(..., description="Điểm của các chỉ tiêu đã tính điểm")
    measured_max: float = Field(..., description="Điểm tối đa của các chỉ tiêu đã tính điểm")
    max_attainable: float = Field(..., description="Điểm đã tính + điểm tối đa của các chỉ tiêu chưa tính")
    groups: list[ServiceIndexGroupOut]


def _commune(user, ref: str | None) -> Unit:
    if ref:
        communes = Unit.objects.communes()
        unit = communes.filter(agency_code=ref).first() or communes.filter(slug=ref).first()
        if unit is None and ref.isdigit():
            unit = communes.filter(pk=int(ref)).first()
        if unit is None or not user.can_see_commune(unit.pk):
            raise Http404("Không tìm thấy xã.")
        return unit
    if user.home_commune is None:
        raise HttpError(
            422, "Tài khoản không thuộc xã nào: cần ghi “commune” (mã định danh, slug hoặc số hiệu của xã)."
        )
    return user.home_commune


def _num(value: Value) -> float | int | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def _figure(fig: Figure, value: Value, role: str) -> dict:
    return {
        "key": fig.key,
        "label": fig.label,
        "unit": fig.unit,
        "value": _num(value),
        "formatted": format_value(value, fig.unit),
        "role": role,
    }


def _item(r: ItemResult) -> dict:
    figures = []
    if r.rate_figure is not None:
        figures.append(_figure(r.rate_figure, r.value, "rate"))
    for label, fig, value in r.parts:
        figures.append(_figure(fig, value, "numerator" if label == "Tử số" else "denominator"))
    figures.extend(_figure(fig, value, "shown") for fig, value in r.shown)
    i = r.item
    return {
        "code": i.code,
        "name": i.name,
        "max_points": float(i.max_points),
        "rule": i.rule,
        "threshold": float(i.threshold) if i.threshold is not None else None,
        "if_empty": i.if_empty,
        "formula": i.formula_text(),
        "state": r.state,
        "state_label": r.state_label,
        "ratio": float(r.ratio) if r.ratio is not None else None,
        "points": float(r.points) if r.is_scored else None,
        "note": r.note,
        "figures": figures,
    }


@router.get(
    "/service-index", response=ServiceIndexOut, summary="Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)"
)
def service_index(request, filters: Query[ServiceIndexQuery]):
    """The index of one commune for a period (`period=2026-05`, default: the current
    reporting month) or a range (`from`/`to`)."""
    user = request.auth
    require_perm(user, "serviceindex.view_service_index", "Bạn không có quyền xem chỉ số phục vụ.")
    period = period_of(filters, default=containing(timezone.localdate(), PeriodKind.MONTH))
    commune = _commune(user, filters.commune)
    if not IndexVersion.objects.exists():
        raise HttpError(422, "Chưa nạp bộ chỉ số phục vụ nào (lệnh cchc serviceindex_load).")
    result = index_for(commune_ids=[commune.pk], date_from=period.date_from, date_to=period.date_to)
    v = result.version
    return {
        "commune": str(commune),
        "commune_code": commune.agency_code,
        "window": window_out(period),
        "version": {
            "code": v.code,
            "name": v.name,
            "year": v.year,
            "effective_from": v.effective_from,
            "applies": result.applies,
            "legal_basis": v.legal_basis,
            "caveat": v.caveat,
        },
        "max_total": float(v.max_total),
        "points": float(result.points),
        "measured_max": float(result.measured_max),
        "max_attainable": float(result.max_attainable),
        "groups": [
            {
                "code": g.group.code,
                "name": g.group.name,
                "max_points": float(g.group.max_points),
                "points": float(g.points),
                "measured_max": float(g.measured_max),
                "items": [_item(i) for i in g.items],
            }
            for g in result.groups
        ],
    }
