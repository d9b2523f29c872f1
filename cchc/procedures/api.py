"""/api/v1/procedures: the catalogue for other systems (read for staff, add for
administrators). Channels are "in_person" / "online" / "postal"; the processing
time is an amount and a unit (working_days / days / working_hours / same_day)."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cchc.core.api import page_field, page_size_field
from cchc.core.permissions import check_commune, require_perm
from cchc.org.models import Department, Unit

from . import selectors, services
from .models import OnlineLevel, Procedure

router = Router(tags=["Thủ tục hành chính"])

Channel = Literal["in_person", "online", "postal"]
TimeUnitName = Literal["working_days", "days", "working_hours", "same_day"]


class TimeOut(Schema):
    amount: int | None = Field(description="Số đơn vị thời hạn (null khi 'trong ngày' hoặc chưa xác định)")
    unit: str | None = Field(
        description="working_days / days / working_hours / same_day; null khi chưa xác định"
    )
    label: str
    text: str = Field(description="Thời hạn nguyên văn trong nguồn")


class FeeOut(Schema):
    amount: int | None = Field(description="Đồng; 0 = miễn phí; null = chưa xác định")
    text: str


class ProcedureOut(Schema):
    code: str
    name: str
    field: str
    level: str
    decision: str
    commune: str
    channels: list[str]
    online_level: str
    time: TimeOut
    fee: FeeOut
    documents: list[str]
    department: str | None
    department_name: str | None
    is_published: bool
    needs_review: bool
    review_notes: str
    updated_at: datetime


class ProcedurePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[ProcedureOut]


class TimeIn(Schema):
    amount: int | None = Field(None, ge=0, le=3650)
    unit: TimeUnitName


class ProcedureIn(Schema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., min_length=1)
    commune: str | None = Field(None, description="Định danh xã; bỏ trống = xã của người dùng")
    field: str = ""
    level: str = ""
    decision: str = ""
    channels: list[Channel] = Field(default_factory=lambda: ["in_person"])
    online_level: Literal["full", "partial", "none"] | None = None
    time: TimeIn | None = None
    fee_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=0)
    documents: list[str] = Field(default_factory=list)
    department: str | None = Field(None, description="Mã bộ phận; bỏ trống = theo bảng phân công lĩnh vực")
    is_published: bool = True


class ProcedureListFilters(Schema):
    q: str | None = Field(None, description="Tìm theo mã, tên, lĩnh vực; không phân biệt dấu")
    commune: str | None = Field(None, description="Định danh xã (cho tài khoản cấp tỉnh)")
    field: str | None = None
    online_level: Literal["full", "partial", "none"] | None = None
    published: bool | None = None
    needs_review: bool | None = None
    page: int = page_field()
    page_size: int = page_size_field(50, 200)


def _out(p: Procedure) -> dict:
    return {
        "code": p.code,
        "name": p.name,
        "field": p.field,
        "level": p.level,
        "decision": p.decision,
        "commune": p.commune.slug,
        "channels": p.channel_codes,
        "online_level": p.online_level,
        "time": {
            "amount": p.time_amount,
            "unit": p.time_unit or None,
            "label": p.time_display if p.has_usable_time else "Chưa xác định",
            "text": p.time_text,
        },
        "fee": {"amount": None if p.fee_amount is None else int(p.fee_amount), "text": p.fee_text},
        "documents": p.document_list,
        "department": p.department.code if p.department else None,
        "department_name": p.department.name if p.department else None,
        "is_published": p.is_published,
        "needs_review": p.needs_review,
        "review_notes": p.review_notes,
        "updated_at": p.updated_at,
    }


def _commune(user, slug: str | None, *, write: bool = False) -> Unit | None:
    """The commune named by `slug` (404 if not visible); None without a slug."""
    if not slug:
        return None
    commune = Unit.objects.filter(slug=slug, kind=Unit.Kind.COMMUNE).first()
    if commune is None:
        raise Http404(f"Không tìm thấy xã '{slug}'.")
    check_commune(user, commune.pk, write=write)
    return commune


@router.get("/procedures", response=ProcedurePage, summary="Danh mục thủ tục (tìm không phân biệt dấu)")
def procedure_list(request: HttpRequest, filters: Query[ProcedureListFilters]):
    user = request.auth
    require_perm(user, "procedures.view_procedure", "Bạn không có quyền xem danh mục thủ tục.")
    queryset = selectors.catalogue_for(user, _commune(user, filters.commune))
    if filters.field:
        queryset = queryset.filter(field=filters.field)
    if filters.online_level:
        queryset = queryset.filter(online_level=filters.online_level)
    if filters.published is not None:
        queryset = queryset.filter(is_published=filters.published)
    if filters.needs_review is not None:
        queryset = queryset.filter(needs_review=filters.needs_review)
    queryset = selectors.search_procedures(queryset, filters.q)
    if not filters.q:
        queryset = queryset.order_by("commune__path", "field", "name", "pk")
    count = queryset.count()
    start = (filters.page - 1) * filters.page_size
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": max(1, math.ceil(count / filters.page_size)),
        "results": [_out(p) for p in queryset[start : start + filters.page_size]],
    }


@router.get("/procedures/{code}", response=ProcedureOut, summary="Một thủ tục theo mã TTHC")
def procedure_get(request: HttpRequest, code: str, commune: str | None = None):
    user = request.auth
    require_perm(user, "procedures.view_procedure", "Bạn không có quyền xem danh mục thủ tục.")
    unit = _commune(user, commune) or user.home_commune
    queryset = selectors.catalogue_for(user, unit).filter(code=code.strip())
    matches = list(queryset[:2])
    if not matches:
        raise Http404(f"Không tìm thấy thủ tục mã {code}.")
    if len(matches) > 1:
        slugs = ", ".join(sorted(queryset.values_list("commune__slug", flat=True)))
        raise ValidationError(
            f"Nhiều xã có thủ tục mã {code} ({slugs}): thêm tham số commune=<định danh xã>."
        )
    return _out(matches[0])


@router.post("/procedures", response={201: ProcedureOut}, summary="Thêm thủ tục (quản trị viên)")
def procedure_create(request: HttpRequest, payload: ProcedureIn):
    user = request.auth
    require_perm(user, "procedures.add_procedure", "Chỉ quản trị viên được thêm thủ tục.")
    commune = _commune(user, payload.commune, write=True) or user.home_commune
    if commune is None:
        raise ValidationError({"commune": "Cần chỉ rõ xã (commune=<định danh>)."})
    given = payload.model_fields_set
    # Only what the request states is stored (and marked as entered by hand).
    values: dict = {
        key: getattr(payload, key)
        for key in ("field", "level", "decision", "fee_amount", "is_published")
        if key in given
    }
    if "channels" in given:
        values |= {c: c in payload.channels for c in ("in_person", "online", "postal")}
    if payload.online_level is not None:
        values["online_level"] = OnlineLevel(payload.online_level)
    if payload.time is not None:
        values["time_amount"], values["time_unit"] = payload.time.amount, payload.time.unit
    if payload.documents:
        values["documents"] = "\n".join(payload.documents)
    if payload.department:
        department = Department.objects.filter(commune=commune, code=payload.department).first()
        if department is None:
            raise ValidationError({"department": f"{commune} không có bộ phận mã '{payload.department}'."})
        values["department"] = department
    procedure = services.procedure_create(
        user=user, commune=commune, code=payload.code, name=payload.name, **values
    )
    procedure = Procedure.objects.select_related("commune", "department").get(pk=procedure.pk)
    return Status(201, _out(procedure))
