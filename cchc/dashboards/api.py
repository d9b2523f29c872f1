"""`GET /api/v1/figures`: any figures of the catalogue for a window and communes.

Keys are the catalogue's (docs/figures.md); an API caller's key is resolved with
`figures.get`, which refuses a key the catalogue does not know (422 naming it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cchc.core import figures
from cchc.core.api import PeriodQuery, WindowOut, period_of, window_out
from cchc.core.figures import Figure, Scope, evaluate, evaluate_by_commune
from cchc.org.models import Unit

router = Router(tags=["Số liệu"])

MAX_KEYS = 50


class FiguresQuery(PeriodQuery):
    keys: list[str] = Field(
        ...,
        description="Khóa số liệu trong danh mục (docs/figures.md); lặp lại keys=… hoặc ngăn bằng dấu phẩy",
    )
    commune: list[str] = Field(
        default_factory=list,
        description="Xã (mã định danh, slug hoặc id); lặp lại để lấy nhiều xã. Bỏ trống: mọi xã được xem",
    )
    by_commune: bool = Field(False, description="true: thêm giá trị riêng của từng xã")


class FigureValueOut(Schema):
    key: str
    label: str
    unit: str
    value: int | float | None = Field(..., description="null: chưa có dữ liệu (không có mẫu số)")
    formatted: str = Field(
        ..., description="Giá trị như hiển thị: “98,50%”, “1.234 hồ sơ”, “chưa có dữ liệu”"
    )
    window: WindowOut


class CommuneOut(Schema):
    id: int
    code: str
    slug: str
    name: str


class CommuneFiguresOut(Schema):
    commune: CommuneOut
    figures: list[FigureValueOut]


class FiguresOut(Schema):
    window: WindowOut
    date_from: date
    date_to: date
    communes: list[CommuneOut]
    figures: list[FigureValueOut] = Field(..., description="Giá trị chung của các xã đã chọn")
    by_commune: list[CommuneFiguresOut] | None = None


def parse_keys(raw: list[str]) -> list[Figure]:
    """The figures named by `keys` (repeated or comma-separated), in order, once each;
    422 naming every unknown key."""
    names: list[str] = []
    for item in raw:
        for part in item.split(","):
            part = part.strip()
            if part and part not in names:
                names.append(part)
    if not names:
        raise HttpError(422, "Cần ít nhất một khóa số liệu (keys=…).")
    if len(names) > MAX_KEYS:
        raise HttpError(422, f"Tối đa {MAX_KEYS} khóa số liệu mỗi lần gọi.")
    found, unknown = [], []
    for name in names:
        try:
            found.append(figures.get(name))
        except figures.UnknownFigure:
            unknown.append(name)
    if unknown:
        raise HttpError(
            422,
            "Khóa số liệu không có trong danh mục: "
            + ", ".join(f"“{k}”" for k in unknown)
            + " (xem docs/figures.md).",
        )
    return found


def communes_for(user, refs: list[str]) -> list[Unit]:
    """The communes asked for (id, agency code or slug), each visible to `user` —
    404 for one the user may not see, like the rest of the API; none asked: every
    commune the user sees."""
    if not refs:
        communes = list(user.visible_communes())
        if not communes:
            raise HttpError(422, "Tài khoản không xem được xã nào.")
        return communes
    out: list[Unit] = []
    for ref in refs:
        for part in ref.split(","):
            part = part.strip()
            if not part:
                continue
            qs = Unit.objects.communes()
            unit = (
                (qs.filter(pk=int(part)).first() if part.isdigit() else None)
                or qs.filter(agency_code=part).first()
                or qs.filter(slug=part).first()
            )
            if unit is None or not user.can_see_commune(unit.pk):
                raise Http404(f"Không tìm thấy xã “{part}”.")
            if unit not in out:
                out.append(unit)
    return out


def commune_out(unit: Unit) -> dict:
    return {"id": unit.pk, "code": unit.agency_code, "slug": unit.slug, "name": unit.name}


def values_out(values: dict[Figure, object], window: dict) -> list[dict]:
    return [
        {
            "key": fig.key,
            "label": fig.label,
            "unit": fig.unit,
            "value": float(value) if isinstance(value, Decimal) else value,
            "formatted": fig.format(value),
            "window": window,
        }
        for fig, value in values.items()
    ]


@router.get("/figures", response=FiguresOut, summary="Số liệu trong danh mục theo kỳ và xã")
def figures_read(request, query: Query[FiguresQuery]):
    """The values of catalogue figures (`keys`) over a reporting period (`period=2024-Q1`)
    or a range (`from`/`to`; default: the current reporting year), for the communes
    asked for (`commune`, repeatable) or every commune the user sees; `by_commune=true`
    adds each commune's own values (one grouped query per figure set)."""
    user = request.auth
    if not (user.has_perm("dashboards.view_dashboard") or user.has_perm("dashboards.view_comparison")):
        raise PermissionDenied("Bạn không có quyền xem số liệu tổng hợp.")
    chosen = parse_keys(query.keys)
    period = period_of(query)
    communes = communes_for(user, query.commune)
    window = window_out(period)
    scope = Scope.of(commune_ids=[c.pk for c in communes], date_from=period.date_from, date_to=period.date_to)
    out = {
        "window": window,
        "date_from": period.date_from,
        "date_to": period.date_to,
        "communes": [commune_out(c) for c in communes],
        "figures": values_out(evaluate(chosen, scope), window),
        "by_commune": None,
    }
    if query.by_commune:
        per = evaluate_by_commune(chosen, scope)
        out["by_commune"] = [
            {"commune": commune_out(c), "figures": values_out(per[c.pk], window)} for c in communes
        ]
    return out
