"""JSON API of the reform plans (mounted at /api/v1/)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from cchc.core.api import PeriodQuery, WindowOut, period_of, window_out
from cchc.core.periods import Period
from cchc.core.permissions import scoped

from . import services
from .checks import check_plan
from .models import Plan, PlanStatus, Task
from .views import appendix_download, document_download, get_plan

router = Router(tags=["Kế hoạch CCHC"])


class PlanOut(Schema):
    id: int
    year: int
    number: str
    commune: str
    title: str
    status: str
    status_label: str
    issued_on: date | None
    area_count: int
    task_count: int


class TargetOut(Schema):
    metric: str = Field(..., description="Khóa số liệu trong danh mục (docs/figures.md)")
    metric_label: str
    comparison: str
    value: Decimal
    unit: str
    text: str
    live_value: Decimal | None = Field(
        ..., description="Giá trị hiện tại trên kỳ `window`; null: chưa có dữ liệu"
    )
    met: bool | None
    state: Literal["met", "not_met", "no_data", "not_started"]
    state_label: str
    window: WindowOut


class TaskOut(Schema):
    id: int
    letter: str
    title: str
    content: str
    lead_department: str | None
    coordinating: list[str]
    time_frame: str
    start_date: date | None
    end_date: date
    recurrence: str
    time_text: str
    output: str
    budget: Decimal | None
    target: TargetOut | None
    status: str
    percent: int


class AreaOut(Schema):
    number: int
    kind: str
    title: str
    intro: str
    tasks: list[TaskOut]


class PlanDetailOut(PlanOut):
    basis: str
    purpose: str
    requirements: str
    reporting: str
    budget: str
    responsibilities: str
    closing: str
    recipients: list[str]
    signer_name: str
    signer_title: str
    source_plan_id: int | None
    areas: list[AreaOut]


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    url: str


class UpdateOut(Schema):
    id: int
    task_id: int
    on: date
    text: str
    status: str
    percent: int
    evidence: list[EvidenceOut]


class ProblemOut(Schema):
    location: str
    snippet: str
    year: int
    reason: str


def _plan_out(plan: Plan, area_count: int, task_count: int) -> dict:
    return {
        "id": plan.pk,
        "year": plan.year,
        "number": plan.number_display if plan.number else "",
        "commune": plan.commune.slug,
        "title": plan.title,
        "status": plan.status,
        "status_label": plan.get_status_display(),
        "issued_on": plan.issued_on,
        "area_count": area_count,
        "task_count": task_count,
    }


def _plan_detail(plan: Plan, period: Period | None = None) -> dict:
    today = timezone.localdate()
    live = services.live_targets(plan, today=today, period=period)
    areas = []
    task_count = 0
    for number, area in enumerate(
        plan.areas.prefetch_related("tasks__lead_department", "tasks__coordinating", "tasks__updates"),
        start=1,
    ):
        tasks = []
        for task in area.tasks.all():
            target = None
            if task.has_target:
                reading = live[task.pk]
                target = {
                    "metric": task.target_metric,
                    "metric_label": reading.figure.label,
                    "comparison": task.target_comparison,
                    "value": task.target_value,
                    "unit": reading.figure.unit,
                    "text": task.target_display,
                    "live_value": reading.value,
                    "met": reading.met,
                    "state": reading.state,
                    "state_label": reading.state_label,
                    "window": window_out(reading.period),
                }
            tasks.append(
                {
                    "id": task.pk,
                    "letter": task.letter,
                    "title": task.title,
                    "content": task.content,
                    "lead_department": task.lead_department.code if task.lead_department else None,
                    "coordinating": [d.code for d in task.coordinating.all()],
                    "time_frame": task.time_frame,
                    "start_date": task.start_date,
                    "end_date": task.end_date,
                    "recurrence": task.recurrence,
                    "time_text": task.time_display,
                    "output": task.output,
                    "budget": task.budget,
                    "target": target,
                    "status": task.effective_status(today) if plan.accepts_progress else task.status,
                    "percent": task.percent,
                }
            )
        task_count += len(tasks)
        areas.append(
            {"number": number, "kind": area.kind, "title": area.title, "intro": area.intro, "tasks": tasks}
        )
    return {
        **_plan_out(plan, len(areas), task_count),
        "basis": plan.basis,
        "purpose": plan.purpose,
        "requirements": plan.requirements,
        "reporting": plan.reporting,
        "budget": plan.budget,
        "responsibilities": plan.responsibilities,
        "closing": plan.closing,
        "recipients": plan.recipient_list(),
        "signer_name": plan.signer_name,
        "signer_title": plan.signer_title,
        "source_plan_id": plan.source_plan_id,
        "areas": areas,
    }


@router.get("/plans", response=list[PlanOut], summary="Danh sách kế hoạch CCHC")
def plan_list(
    request: HttpRequest, year: int | None = None, commune: str | None = None, status: str | None = None
):
    user = request.auth
    if not user.has_perm("plans.view_plan"):
        raise HttpError(403, "Bạn không có quyền xem kế hoạch CCHC.")
    qs = scoped(Plan.objects.select_related("commune"), user).annotate(
        n_areas=Count("areas", distinct=True), n_tasks=Count("areas__tasks", distinct=True)
    )
    if year is not None:
        qs = qs.filter(year=year)
    if commune:
        qs = qs.filter(commune__pk=int(commune)) if commune.isdigit() else qs.filter(commune__slug=commune)
    if status:
        if status not in PlanStatus.values:
            raise HttpError(422, f"Trạng thái '{status}' không hợp lệ.")
        qs = qs.filter(status=status)
    return [_plan_out(p, p.n_areas, p.n_tasks) for p in qs.order_by("-year", "commune__name")]


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="Kế hoạch: lĩnh vực, nhiệm vụ, chỉ tiêu")
def plan_detail(request: HttpRequest, plan_id: int, window: Query[PeriodQuery]):
    """Targets are measured over the plan year's annual window (15/12 of the previous
    year → 14/12) unless `period` or `from`/`to` name another; a window that has not
    begun gives `state` "not_started" (chưa đến kỳ)."""
    plan = get_plan(request.auth, plan_id)
    return _plan_detail(plan, period_of(window, default=services.target_period(plan)))


@router.post(
    "/plans/{plan_id}/tasks/{task_id}/updates",
    response={201: UpdateOut},
    summary="Cập nhật tiến độ nhiệm vụ (multipart: text, percent, status, on, files)",
)
def task_update_create(
    request: HttpRequest,
    plan_id: int,
    task_id: int,
    text: Form[str],
    percent: Form[int],
    status: Form[str | None] = None,
    on: Form[date | None] = None,
    files: File[list[UploadedFile]] = None,
):
    plan = get_plan(request.auth, plan_id)
    task = get_object_or_404(Task, pk=task_id, area__plan=plan)
    update = services.task_report(
        user=request.auth, task=task, text=text, percent=percent, status=status, on=on, files=files or []
    )
    return Status(
        201,
        {
            "id": update.pk,
            "task_id": task.pk,
            "on": update.on,
            "text": update.text,
            "status": update.status,
            "percent": update.percent,
            "evidence": [
                {
                    "id": e.pk,
                    "name": e.original_name,
                    "size": e.size,
                    "url": reverse("plans:evidence_download", args=[plan.pk, e.pk]),
                }
                for e in update.evidence.all()
            ],
        },
    )


@router.get("/plans/{plan_id}/document.docx", summary="Văn bản kế hoạch (.docx, thể thức NĐ 30/2020)")
def plan_document(request: HttpRequest, plan_id: int):
    return document_download(get_plan(request.auth, plan_id))


@router.get("/plans/{plan_id}/appendix.xlsx", summary="Phụ lục khung kế hoạch (.xlsx)")
def plan_appendix(request: HttpRequest, plan_id: int):
    return appendix_download(get_plan(request.auth, plan_id))


@router.post(
    "/plans/{plan_id}/rollover", response={201: PlanDetailOut}, summary="Chuyển kế hoạch sang năm sau"
)
def plan_rollover(request: HttpRequest, plan_id: int):
    """All or nothing: the copy and the answer describing it are made in one
    transaction, so a failure anywhere (the copy, the new plan's live targets, the
    answer's schema) leaves no half-written plan behind and the call can be repeated."""
    plan = get_plan(request.auth, plan_id)
    with transaction.atomic():
        new = services.plan_rollover(user=request.auth, plan=plan)
        answer = PlanDetailOut.model_validate(_plan_detail(new))
    return Status(201, answer)


@router.get(
    "/plans/{plan_id}/check", response=list[ProblemOut], summary="Kiểm tra các chỗ nhắc năm không khớp"
)
def plan_check(request: HttpRequest, plan_id: int):
    plan = get_plan(request.auth, plan_id)
    return [p.as_dict() for p in check_plan(plan)]
