"""JSON API of the satisfaction app: `GET /api/v1/stats/satisfaction`."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from cchc.core.permissions import require_perm
from cchc.org.models import Department, Unit
from cchc.procedures.models import Procedure

from .services import satisfaction_stats

router = Router(tags=["Đánh giá sự hài lòng"])


class FactorMeans(Schema):
    access: float | None
    procedure: float | None
    officials: float | None
    result: float | None
    feedback: float | None


class SatisfactionStatsOut(Schema):
    date_from: date
    date_to: date
    rated: int
    satisfied: int
    satisfaction_rate: float | None
    factor_means: FactorMeans
    finished: int | None
    late: int | None
    with_complaint: int | None
    index766_procedure_satisfaction: float | None


class StatsQuery(Schema):
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    department: int | None = None
    procedure: str | None = None
    commune: str | None = None


def _commune_ids(user, commune: str | None) -> list[int]:
    ids = user.commune_ids()
    if not commune:
        return ids
    unit = Unit.objects.communes().filter(slug=commune).first()
    if unit is None and commune.isdigit():
        unit = Unit.objects.communes().filter(pk=int(commune)).first()
    if unit is None or unit.pk not in ids:
        raise Http404("Không tìm thấy xã.")
    return [unit.pk]


@router.get(
    "/stats/satisfaction",
    response=SatisfactionStatsOut,
    summary="Thống kê đánh giá sự hài lòng và chỉ số QĐ 766",
    description="Phiếu đánh giá tính theo ngày đánh giá; chỉ số QĐ 766 “hài lòng về giải quyết TTHC” = "
    "100 − % hồ sơ quá hạn − % hồ sơ bị đánh giá không hài lòng, trên số hồ sơ kết thúc giải quyết trong kỳ. "
    "Mặc định: từ đầu tháng đến hôm nay. `department`: mã số (id) bộ phận; `procedure`: id hoặc mã TTHC; "
    "`commune`: định danh URL (slug) hoặc id của xã (người dùng cấp tỉnh).",
)
def stats_satisfaction(request, query: Query[StatsQuery]):
    user = request.auth
    date_from, date_to = query.date_from, query.date_to
    department, procedure, commune = query.department, query.procedure, query.commune
    require_perm(user, "satisfaction.view_rating_stats", "Bạn không có quyền xem thống kê đánh giá.")
    today = timezone.localdate()
    date_to = date_to or today
    date_from = date_from or date(date_to.year, date_to.month, 1)
    if date_from > date_to:
        raise ValidationError("Tham số from phải trước hoặc bằng to.")
    commune_ids = _commune_ids(user, commune)
    dept = None
    if department is not None:
        dept = Department.objects.filter(pk=department, commune_id__in=commune_ids).first()
        if dept is None:
            raise Http404("Không tìm thấy bộ phận.")
    proc = None
    if procedure:
        procs = Procedure.objects.filter(commune_id__in=commune_ids)
        proc = procs.filter(pk=int(procedure)).first() if procedure.isdigit() else None
        if proc is None:
            if not procs.filter(code=procedure).exists():
                raise Http404("Không tìm thấy thủ tục.")
            proc = procedure  # a national code: every commune's procedure with that code
    result = satisfaction_stats(
        commune_ids=commune_ids, date_from=date_from, date_to=date_to, department=dept, procedure=proc
    )
    return {"date_from": date_from, "date_to": date_to, **result}
