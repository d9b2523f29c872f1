"""JSON API of the satisfaction app: `GET /api/v1/stats/satisfaction`."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema

from cchc.core import periods
from cchc.core.api import PeriodQuery, WindowOut, period_of, window_out
from cchc.core.figures import Scope, evaluate
from cchc.core.permissions import require_perm
from cchc.dossiers import figures as DF
from cchc.org.models import Department, Unit
from cchc.procedures.models import Procedure

from . import figures as SF

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
    window: WindowOut
    rated: int
    satisfied: int
    satisfaction_rate: float | None
    factor_means: FactorMeans
    finished: int | None
    late: int | None
    with_complaint: int | None
    index766_procedure_satisfaction: float | None


class SatisfactionStatsQuery(PeriodQuery):
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
    "Kỳ: `period` (2024-05, 2024-Q1, 2024-H1, 2024-9M, 2024) hoặc `from`/`to`; mặc định: tháng báo cáo hiện tại "
    "(từ ngày 15 tháng trước đến ngày 14). `department`: mã số (id) bộ phận; `procedure`: id hoặc mã TTHC; "
    "`commune`: định danh URL (slug) hoặc id của xã (người dùng cấp tỉnh).",
)
def stats_satisfaction(request, query: Query[SatisfactionStatsQuery]):
    user = request.auth
    department, procedure, commune = query.department, query.procedure, query.commune
    require_perm(user, "satisfaction.view_rating_stats", "Bạn không có quyền xem thống kê đánh giá.")
    period = period_of(query, default=periods.current(timezone.localdate(), "month"))
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
    scope = Scope.of(
        commune_ids=commune_ids,
        date_from=period.date_from,
        date_to=period.date_to,
        department=dept.pk if dept else None,
        procedure=getattr(proc, "pk", proc),
    )
    v = evaluate([*API_FIGURES.values(), *SF.FACTOR_MEANS], scope)
    out = {name: v[fig] for name, fig in API_FIGURES.items()}
    out["factor_means"] = {f.key.removeprefix("satisfaction.mean_"): v[f] for f in SF.FACTOR_MEANS}
    return {"date_from": period.date_from, "date_to": period.date_to, "window": window_out(period), **out}


# The endpoint's historical field names → the catalogue's figures.
API_FIGURES = {
    "rated": SF.RATED,
    "satisfied": SF.SATISFIED,
    "satisfaction_rate": SF.RATE,
    "finished": DF.FINISHED,
    "late": DF.FINISHED_LATE,
    "with_complaint": SF.COMPLAINTS,
    "index766_procedure_satisfaction": SF.PROCEDURE_766,
}
