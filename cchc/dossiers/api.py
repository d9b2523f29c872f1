"""JSON API of the one-stop shop (issue 3): receive, look up, list, act, statistics."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus
from pydantic import StringConstraints

from cchc.core import audit
from cchc.core.api import PeriodQuery, WindowOut, page_field, page_size_field, period_of, window_out
from cchc.core.figures import Scope, evaluate
from cchc.core.permissions import require_perm
from cchc.org.models import Department, Unit
from cchc.procedures.models import Procedure

from . import figures as F
from .access import QUEUES, applicant_view, can_see_personal, dossier_for, queue_dossiers, visible_dossiers
from .models import Dossier, Status
from .services import WORKFLOW, Applicant, Payment, dossier_act, dossier_receive, dossier_submit_online
from .stats import bounds

router = Router(tags=["Hồ sơ một cửa"])

# The actions of the move table, so that the schema cannot drift from it.
ActionName = Literal[tuple(move.action for move in WORKFLOW)]  # type: ignore[valid-type]


class ApplicantIn(Schema):
    name: str = Field(..., max_length=200)
    id_number: str = Field(..., max_length=20)
    phone: str = Field(..., max_length=20)
    address: str = Field(..., max_length=300)
    email: str = Field("", max_length=254)


class DossierIn(Schema):
    procedure: str = Field(..., description="Mã TTHC")
    channel: Literal["in_person", "online", "postal"]
    applicant: ApplicantIn
    received_at: datetime | None = None
    submitted_only: bool = Field(
        False,
        description="Chỉ với channel online: ghi nhận hồ sơ nộp trực tuyến chờ tiếp nhận (mã trạng thái 1); "
        "received_at khi đó là thời điểm nộp. Bộ phận Một cửa tiếp nhận (accept) hoặc từ chối (refuse) sau.",
    )
    representative: str = Field("", max_length=200)
    request: str = Field("", max_length=5000)
    documents: list[Annotated[str, StringConstraints(max_length=500)]] = Field([], max_length=100)
    copies: int = 1
    result_delivery: Literal["counter", "post", "online"] = Field(
        "counter",
        description="Nơi nhận kết quả: tại quầy, qua bưu chính công ích, trực tuyến (in trên mẫu 01)",
    )
    commune: str | None = Field(
        None, description="Mã định danh hoặc slug của xã (chỉ khi tài khoản không thuộc xã nào)"
    )


class DossierActionIn(Schema):
    action: ActionName
    note: str = Field("", max_length=2000)
    department: str | None = Field(None, description="Mã bộ phận nhận (khi chuyển xử lý)")
    new_date: date | None = None
    items: list[Annotated[str, StringConstraints(max_length=500)]] = Field([], max_length=50)
    return_mode: str = Field("", description="Khi trả kết quả: electronic (cần tệp kết quả) hoặc paper")
    fee_due: Decimal | None = Field(
        None, description="Khi yêu cầu nộp phí: số tiền (đồng); trống: theo danh mục"
    )
    fee_method: str = Field("", description="Khi nhận phí: cash, transfer hoặc online")
    fee_receipt: str = Field("", description="Khi nhận phí: số biên lai hoặc mã giao dịch", max_length=100)
    at: datetime | None = None


class DossierStatsOut(Schema):
    """`GET /api/v1/stats/dossiers`: the catalogue's dossier figures (docs/figures.md)
    under their historical names; `window` is additive."""

    window: WindowOut
    received: int
    finished: int
    early: int
    on_time: int
    late: int
    open: int
    open_late: int
    open_waiting: int = Field(..., description="Đang chờ công dân bổ sung (không tính là quá hạn)")
    refused: int
    withdrawn: int
    on_time_rate: float | None
    online: int
    online_rate: float | None


class DossierListFilters(Schema):
    queue: str | None = Field(
        None,
        description="Hàng hồ sơ như trang Hồ sơ: "
        + "; ".join(f"{name} = {label}" for name, label in QUEUES.items())
        + " (đến hạn / quá hạn không tính hồ sơ chờ bổ sung)",
    )
    status: str | None = None
    overdue: bool | None = None
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    page: int = page_field()
    page_size: int = page_size_field(50, 200)


class DossierStatsQuery(PeriodQuery):
    department: str | None = None
    procedure: str | None = None
    field: str | None = None
    commune: str | None = None


class ApplicantOut(Schema):
    """The applicant as the caller may see it (masked unless it handles the dossier)."""

    name: str
    id_number: str
    phone: str
    address: str
    email: str
    representative: str


class DossierEventOut(Schema):
    at: str
    action: str
    from_status: str
    to_status: str
    actor: str
    department_from: str | None
    department_to: str | None
    outcome: str
    note: str
    is_historical: bool


class SupplementRequestOut(Schema):
    items: list[str]
    reason: str


class DossierOut(Schema):
    """One dossier (dates ISO 8601); `next_step`, `supplement_request` and `events`
    only on the one-dossier calls."""

    code: str
    status: str
    status_code: int
    status_label: str
    channel: str
    channel_code: int
    commune: str
    procedure: str
    procedure_name: str
    department: str | None
    submitted_at: str | None
    received_at: str | None
    due_date: str | None
    original_due_date: str | None
    apology_date: str | None
    finished_at: str | None
    returned_at: str | None
    outcome: str | None
    is_late_flagged: bool
    supplement_count: int
    is_historical: bool
    rules_version: str
    register_number: int | None
    result_delivery: str
    online_level: str
    return_mode: str
    fee_due: str | None = Field(None, description="Phí, lệ phí phải nộp (đồng)")
    fee_paid_at: str | None
    fee_method: str
    fee_receipt: str
    applicant: ApplicantOut
    personal_data_masked: bool
    next_step: str | None = None
    supplement_request: SupplementRequestOut | None = None
    events: list[DossierEventOut] | None = None


class DossierPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[DossierOut]


def dossier_out(dossier: Dossier, user, *, full: bool = False, record_view: bool = True) -> dict:
    personal = can_see_personal(user, dossier)
    data = {
        "code": dossier.code,
        "status": dossier.status,
        "status_code": dossier.status_code,
        "status_label": dossier.status_label,
        "channel": dossier.channel,
        "channel_code": dossier.channel_code,
        "commune": dossier.commune.agency_code,
        "procedure": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "department": dossier.department.code if dossier.department else None,
        "submitted_at": dossier.submitted_at.isoformat() if dossier.submitted_at else None,
        "received_at": dossier.received_at.isoformat() if dossier.received_at else None,
        "due_date": dossier.due_date.isoformat() if dossier.due_date else None,
        "original_due_date": dossier.original_due_date.isoformat() if dossier.original_due_date else None,
        "apology_date": dossier.apology_date.isoformat() if dossier.apology_date else None,
        "finished_at": dossier.finished_at.isoformat() if dossier.finished_at else None,
        "returned_at": dossier.returned_at.isoformat() if dossier.returned_at else None,
        "outcome": dossier.outcome(),
        "is_late_flagged": dossier.is_late_flagged,
        "supplement_count": dossier.supplement_count,
        "is_historical": dossier.is_historical,
        "rules_version": dossier.rules_version,
        "register_number": dossier.register_number,
        "result_delivery": dossier.result_delivery,
        "online_level": dossier.online_level,
        "return_mode": dossier.return_mode,
        "fee_due": str(dossier.fee_due) if dossier.fee_due is not None else None,
        "fee_paid_at": dossier.fee_paid_at.isoformat() if dossier.fee_paid_at else None,
        "fee_method": dossier.fee_method,
        "fee_receipt": dossier.fee_receipt,
        "applicant": applicant_view(dossier, personal),
        "personal_data_masked": not personal,
    }
    if full:
        req = dossier.open_supplement_request()
        data["next_step"] = dossier.next_step_text()
        data["supplement_request"] = {"items": req.items, "reason": req.reason} if req else None
        data["events"] = [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": e.actor_label,
                "department_from": e.department_from.code if e.department_from else None,
                "department_to": e.department_to.code if e.department_to else None,
                "outcome": e.outcome,
                "note": e.note,
                "is_historical": e.is_historical,
            }
            for e in dossier.events.select_related("department_from", "department_to")
        ]
    if personal and record_view:
        audit.record(dossier, "view", {"channel": "api"})
    return data


def _commune_for(user, ref: str | None) -> Unit:
    if ref:
        unit = (
            Unit.objects.communes().filter(agency_code=ref).first()
            or Unit.objects.communes().filter(slug=ref).first()
        )
        if unit is None or not user.can_see_commune(unit.pk):
            raise Http404("Không tìm thấy xã.")
        return unit
    if user.home_commune is None:
        raise HttpError(
            422, "Tài khoản không thuộc xã nào: cần ghi “commune” (mã định danh hoặc slug của xã)."
        )
    return user.home_commune


@router.post("/dossiers", response={201: DossierOut}, summary="Tiếp nhận hồ sơ")
def create_dossier(request, payload: DossierIn):
    user = request.auth
    commune = _commune_for(user, payload.commune)
    procedure = Procedure.objects.filter(commune=commune, code=payload.procedure.strip()).first()
    if procedure is None:
        raise HttpError(422, f"Không có thủ tục mã {payload.procedure} trong danh mục của {commune}.")
    procedure.commune = commune  # the same row: no second read
    common = dict(
        user=user,
        procedure=procedure,
        applicant=Applicant(**payload.applicant.dict()),
        representative=payload.representative,
        request=payload.request,
        documents="\n".join(payload.documents),
        copies=payload.copies,
        result_delivery=payload.result_delivery,
    )
    if payload.submitted_only:
        if payload.channel != "online":
            raise HttpError(422, "“submitted_only” chỉ dùng cho hồ sơ nộp trực tuyến (channel online).")
        dossier = dossier_submit_online(**common, submitted_at=payload.received_at)
    else:
        dossier = dossier_receive(**common, channel=payload.channel, received_at=payload.received_at)
    # The officer who just typed the data in is not "viewing" it: no view record.
    return HttpStatus(201, dossier_out(dossier, user, record_view=False))


@router.get("/dossiers", response=DossierPageOut, summary="Danh sách hồ sơ")
def list_dossiers(request, filters: Query[DossierListFilters]):
    user = request.auth
    require_perm(user, "dossiers.view_dossier")
    if filters.queue:
        if filters.queue not in QUEUES:
            raise HttpError(422, f"queue phải là một trong: {', '.join(QUEUES)}.")
        qs = queue_dossiers(user, filters.queue)
    else:
        qs = visible_dossiers(user)
    qs = qs.select_related("procedure", "department", "commune")
    if filters.status:
        if filters.status not in Status.values:
            raise HttpError(422, f"status phải là một trong: {', '.join(Status.values)}.")
        qs = qs.filter(status=filters.status)
    if filters.overdue is True:
        qs = qs.overdue()
    elif filters.overdue is False:
        qs = qs.exclude(pk__in=visible_dossiers(user).overdue().values("pk"))
    if filters.date_from or filters.date_to:
        start, end = bounds(filters.date_from or date(2000, 1, 1), filters.date_to or timezone.localdate())
        qs = qs.filter(received_at__gte=start, received_at__lt=end)
    size, page = filters.page_size, filters.page
    total = qs.count()
    items = list(qs.order_by("-received_at", "-id")[(page - 1) * size : page * size])
    return {
        "count": total,
        "page": page,
        "page_size": size,
        "items": [dossier_out(d, user) for d in items],
    }


@router.get("/dossiers/{code}", response=DossierOut, summary="Một hồ sơ")
def get_dossier(request, code: str):
    return dossier_out(dossier_for(request.auth, code), request.auth, full=True)


@router.post("/dossiers/{code}/actions", response=DossierOut, summary="Thao tác với hồ sơ")
def act_dossier(request, code: str, payload: DossierActionIn):
    user = request.auth
    dossier = dossier_for(user, code)
    department = None
    if payload.department:
        department = Department.objects.filter(commune_id=dossier.commune_id, code=payload.department).first()
        if department is None:
            raise HttpError(422, f"Không có bộ phận mã {payload.department} trong {dossier.commune}.")
    dossier_act(
        dossier=dossier,
        action=payload.action,
        user=user,
        note=payload.note,
        department=department,
        new_date=payload.new_date,
        items=payload.items,
        return_mode=payload.return_mode,
        payment=Payment(amount=payload.fee_due, method=payload.fee_method, receipt=payload.fee_receipt),
        at=payload.at,
    )
    return dossier_out(dossier_for(user, code), user, full=True)


@router.get("/stats/dossiers", response=DossierStatsOut, summary="Thống kê giải quyết hồ sơ")
def stats_dossiers(request, filters: Query[DossierStatsQuery]):
    """The dossier figures of the catalogue for a period (`period=2024-Q1`) or a range
    (`from`/`to`), optionally for one commune, department, procedure (national code)
    or field."""
    user = request.auth
    require_perm(user, "dossiers.view_dossier_stats", "Bạn không có quyền xem thống kê hồ sơ.")
    period = period_of(filters)
    commune_ids = user.commune_ids()
    if filters.commune:
        commune_ids = [_commune_for(user, filters.commune).pk]
    department = None
    if filters.department:
        department = tuple(
            Department.objects.filter(commune_id__in=commune_ids, code=filters.department).values_list(
                "pk", flat=True
            )
        )
        if not department:
            raise HttpError(422, f"Không có bộ phận mã {filters.department}.")
    scope = Scope.of(
        commune_ids=commune_ids,
        date_from=period.date_from,
        date_to=period.date_to,
        department=department,
        procedure=filters.procedure or None,
        field=filters.field or None,
    )
    values = evaluate(list(API_FIGURES.values()), scope)
    out = {name: values[fig] for name, fig in API_FIGURES.items()}
    out["window"] = window_out(period)
    return out


# The historical names of the endpoint's fields → the catalogue's figures.
API_FIGURES = {
    "received": F.RECEIVED,
    "finished": F.FINISHED,
    "early": F.FINISHED_EARLY,
    "on_time": F.FINISHED_ON_TIME,
    "late": F.FINISHED_LATE,
    "open": F.OPEN,
    "open_late": F.OPEN_LATE,
    "open_waiting": F.OPEN_WAITING,
    "refused": F.REFUSED,
    "withdrawn": F.WITHDRAWN,
    "on_time_rate": F.ON_TIME_RATE,
    "online": F.RECEIVED_ONLINE,
    "online_rate": F.ONLINE_RATE,
}
