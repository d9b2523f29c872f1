"""JSON API for petitions: public submission, staff read and actions, figures."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cchc.core import audit
from cchc.core.api import PeriodQuery, WindowOut, period_of, window_out
from cchc.core.figures import Scope, evaluate
from cchc.core.permissions import require_perm
from cchc.org.models import Department, Unit
from cchc.procedures.models import Procedure

try:  # django-ninja ≥ 1.5 deprecates returning (status, body) tuples.
    from ninja import Status
except ImportError:  # pragma: no cover - older django-ninja
    Status = None

from . import figures as PF
from . import services
from .models import Petition
from .ratelimit import count_submission, submit_limited

router = Router(tags=["Phản ánh, kiến nghị"])


class PetitionIn(Schema):
    commune: str = Field(..., description="Định danh URL của xã, ví dụ 'ducxuong'.")
    name: str
    address: str
    phone: str
    email: str = ""
    subject: str
    content: str
    procedure_code: str | None = Field(None, description="Mã TTHC liên quan (trong danh mục của xã).")
    website: str = Field("", description="Ô chống thư rác: luôn để trống.")


class PetitionCreated(Schema):
    code: str
    factor_hint: str
    status: str
    received_at: datetime
    follow_url: str


class EventOut(Schema):
    at: datetime
    action: str
    actor: str
    from_status: str
    to_status: str
    note: str
    step_due: date | None
    on_time: bool | None


class PetitionOut(Schema):
    code: str
    commune: str
    channel: str
    status: str
    status_label: str
    name: str
    address: str
    phone: str
    email: str
    subject: str
    content: str
    procedure_code: str | None
    received_at: datetime
    due_date: date | None
    handle_due: date | None
    overdue: bool
    department: str | None
    info_request: str
    refusal_reason: str
    transferred_to: str
    answer: str
    public_title: str
    public_summary: str
    public_answer: str
    published_at: datetime | None
    rating: dict | None
    attachments: list[str]
    allowed_actions: list[str]
    events: list[EventOut]


class PetitionActionIn(Schema):
    action: str = Field(
        ...,
        description="request_info, receive_info, refuse, transfer_conduct, transfer_outside, accept, "
        "assign, answer, return, approve, publish",
    )
    note: str = ""
    reason: str = ""
    department: str | None = Field(None, description="Mã (code) hoặc số id của bộ phận, cho 'assign'.")
    answer: str = ""
    public_title: str = ""
    public_summary: str = ""
    public_answer: str = ""


class PetitionStatsOut(Schema):
    window: WindowOut
    received: int
    answered: int
    answered_on_time: int
    overdue: int
    on_time_rate: float | None
    rated: int
    satisfied: int
    satisfaction_rate: float | None
    date_from: date
    date_to: date


class PetitionStatsQuery(PeriodQuery):
    commune: str | None = None


def _out(request: HttpRequest, petition: Petition) -> dict:
    rating = getattr(petition, "rating", None)
    return {
        "code": petition.code,
        "commune": petition.commune.slug,
        "channel": petition.channel,
        "status": petition.status,
        "status_label": petition.get_status_display(),
        "name": petition.name,
        "address": petition.address,
        "phone": petition.phone,
        "email": petition.email,
        "subject": petition.subject,
        "content": petition.content,
        "procedure_code": petition.procedure.code if petition.procedure else None,
        "received_at": petition.received_at,
        "due_date": petition.due_date,
        "handle_due": petition.handle_due,
        "overdue": petition.is_overdue(timezone.localdate()),
        "department": petition.department.code if petition.department else None,
        "info_request": petition.info_request,
        "refusal_reason": petition.refusal_reason,
        "transferred_to": petition.transferred_to,
        "answer": petition.answer,
        "public_title": petition.public_title,
        "public_summary": petition.public_summary,
        "public_answer": petition.public_answer,
        "published_at": petition.published_at,
        "rating": {"satisfied": rating.satisfied, "comment": rating.comment, "rated_at": rating.rated_at}
        if rating
        else None,
        "attachments": [a.original_name for a in petition.attachments.all()],
        "allowed_actions": [m.action for m in services.available_actions(request.auth, petition)],
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "actor": e.actor_label,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                "step_due": e.step_due,
                "on_time": e.on_time,
            }
            for e in petition.events.all()
        ],
    }


def _visible(request: HttpRequest, ref: str) -> Petition:
    user = request.auth
    require_perm(user, "petitions.view_petition", "Bạn không có quyền xem phản ánh, kiến nghị.")
    petition = (
        Petition.objects.visible_to(user)
        .select_related("commune", "procedure", "department")
        .filter(code=ref.strip().upper())
        .first()
    )
    if petition is None:
        raise Http404("Không tìm thấy phản ánh.")
    return petition


@router.post(
    "/petitions",
    auth=None,
    response={201: PetitionCreated},
    summary="Gửi phản ánh, kiến nghị (công khai, giới hạn số lần gửi)",
)
def petition_create(request: HttpRequest, payload: PetitionIn):
    if submit_limited(request):
        raise HttpError(429, "Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. Vui lòng thử lại sau.")
    if payload.website:
        count_submission(request)
        raise ValidationError({"website": ["Ô chống thư rác phải để trống."]})
    commune = Unit.objects.communes().filter(slug=payload.commune, is_active=True).first()
    if commune is None:
        raise ValidationError({"commune": ["Không có xã với định danh này."]})
    procedure = None
    if payload.procedure_code:
        procedure = Procedure.objects.filter(commune=commune, code=payload.procedure_code.strip()).first()
        if procedure is None:
            raise ValidationError({"procedure_code": ["Thủ tục không có trong danh mục của xã."]})
    petition = services.petition_submit(
        commune=commune,
        name=payload.name,
        address=payload.address,
        phone=payload.phone,
        email=payload.email,
        subject=payload.subject,
        content=payload.content,
        procedure=procedure,
    )
    count_submission(request)
    body = {
        "code": petition.code,
        "factor_hint": "Dùng mã này cùng 4 số cuối số điện thoại đã khai để theo dõi.",
        "status": petition.status,
        "received_at": petition.received_at,
        "follow_url": f"{settings.PUBLIC_BASE_URL}/phan-anh/theo-doi/?ma={petition.code}",
    }
    return Status(201, body) if Status is not None else (201, body)


@router.get("/petitions/{ref}", response=PetitionOut, summary="Chi tiết phản ánh (cán bộ, theo phạm vi)")
def petition_detail(request: HttpRequest, ref: str):
    petition = _visible(request, ref)
    audit.record(petition, "view", {"channel": "api"})
    return _out(request, petition)


@router.post(
    "/petitions/{ref}/actions",
    response=PetitionOut,
    summary="Thực hiện một bước xử lý (thao tác không hợp lệ với trạng thái hiện tại → 409)",
)
def petition_action(request: HttpRequest, ref: str, payload: PetitionActionIn):
    petition = _visible(request, ref)
    department = None
    if payload.department:
        key = payload.department.strip()
        qs = Department.objects.filter(commune_id=petition.commune_id)
        department = (qs.filter(pk=int(key)) if key.isdigit() else qs.filter(code=key)).first()
        if department is None:
            raise ValidationError({"department": ["Không có bộ phận này trong xã."]})
    petition = services.petition_act(
        petition=petition,
        user=request.auth,
        action=payload.action,
        note=payload.note,
        reason=payload.reason,
        department=department,
        answer=payload.answer,
        public_title=payload.public_title,
        public_summary=payload.public_summary,
        public_answer=payload.public_answer,
    )
    return _out(request, _visible(request, petition.code))


@router.get(
    "/stats/petitions", response=PetitionStatsOut, summary="Số liệu phản ánh, kiến nghị theo ngày tiếp nhận"
)
def petition_stats(request: HttpRequest, query: Query[PetitionStatsQuery]):
    """The catalogue's petition figures (docs/figures.md) for the petitions received
    in a period (`period=2024-Q1`) or range (`from`/`to`; default: the current
    reporting year). `answered` = reached answered, approved or published; on time =
    answer approved (or, not yet approved, drafted) by its handling deadline;
    `overdue` = still open and past its current step deadline; `on_time_rate` =
    answered_on_time ÷ answered × 100 (null when nothing answered)."""
    user = request.auth
    require_perm(user, "petitions.view_petition", "Bạn không có quyền xem số liệu phản ánh, kiến nghị.")
    period = period_of(query)
    commune_ids = user.commune_ids()
    if query.commune:
        commune = Unit.objects.communes().filter(slug=query.commune).first()
        if commune is None or commune.pk not in commune_ids:
            raise Http404("Không tìm thấy xã.")
        commune_ids = [commune.pk]
    scope = Scope.of(commune_ids=commune_ids, date_from=period.date_from, date_to=period.date_to)
    values = evaluate(list(API_FIGURES.values()), scope)
    return {
        "window": window_out(period),
        "date_from": period.date_from,
        "date_to": period.date_to,
        **{name: values[fig] for name, fig in API_FIGURES.items()},
    }


# The endpoint's historical field names → the catalogue's figures.
API_FIGURES = {
    "received": PF.RECEIVED,
    "answered": PF.ANSWERED,
    "answered_on_time": PF.ANSWERED_ON_TIME,
    "overdue": PF.OVERDUE,
    "on_time_rate": PF.ON_TIME_RATE,
    "rated": PF.RATED,
    "satisfied": PF.SATISFIED,
    "satisfaction_rate": PF.SATISFACTION_RATE,
}
