"""Plan pages. Thin: look the record up through a permission-checked helper, parse
the form, call one service, render or redirect. Services re-check permissions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.core import audit, periods
from cchc.core.forms import add_service_errors, service_error_messages
from cchc.core.periods import Period
from cchc.core.permissions import check_commune, require_perm, scoped
from cchc.core.uploads import attachment
from cchc.core.workflow import Conflict

from . import services
from .checks import check_plan
from .documents import appendix_xlsx, plan_docx
from .extensions import task_columns
from .forms import AreaEditForm, AreaForm, PlanCreateForm, PlanTextForm, ReportForm, TaskForm, TransitionForm
from .models import Evidence, Plan, PlanStatus, ReformArea, Task, TaskStatus

T = TypeVar("T")


# --- permission-checked look-ups ---------------------------------------------
def get_plan(user, pk: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("commune"), pk=pk)
    check_commune(user, plan.commune_id)
    require_perm(user, "plans.view_plan", "Bạn không có quyền xem kế hoạch CCHC.")
    return plan


def get_task(user, plan_pk: int, task_pk: int) -> Task:
    plan = get_plan(user, plan_pk)
    return get_object_or_404(
        Task.objects.select_related("area__plan__commune", "lead_department"), pk=task_pk, area__plan=plan
    )


def _run(request: HttpRequest, action: Callable, success: str) -> bool:
    """Call a service; show its refusal as a message. True when it succeeded."""
    try:
        action()
    except (ValidationError, Conflict) as exc:
        for message in service_error_messages(exc):
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _submit(
    request: HttpRequest, form, action: Callable[[], T], success: str, conflict_field: str | None = None
) -> T | None:
    """Call a service with a valid form's data; show a refusal on the form (field
    errors where the form has the field). The service's result when it succeeded
    (the services called here return the row they wrote), else None."""
    try:
        result = action()
    except (ValidationError, Conflict) as exc:
        add_service_errors(form, exc, conflict_field=conflict_field)
        return None
    messages.success(request, success)
    return result


def _with_counts(qs):
    return qs.annotate(
        area_count=Count("areas", distinct=True), task_count=Count("areas__tasks", distinct=True)
    )


# --- plans -------------------------------------------------------------------
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "plans.view_plan", "Bạn không có quyền xem kế hoạch CCHC.")
    qs = _with_counts(scoped(Plan.objects.select_related("commune"), request.user))
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    commune = request.user.home_commune
    create_form = None
    if commune and request.user.has_perm("plans.edit_plan") and request.user.can_write_commune(commune.pk):
        create_form = PlanCreateForm(initial={"year": timezone.localdate().year + 1})
    return render(request, "plans/plan_list.html", {"plans": qs, "year": year, "create_form": create_form})


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    commune = request.user.home_commune
    if commune is None:
        raise PermissionDenied("Chỉ cán bộ cấp xã lập kế hoạch của xã mình.")
    form = PlanCreateForm(request.POST)
    if form.is_valid():
        year = form.cleaned_data["year"]
        plan = _submit(
            request,
            form,
            lambda: services.plan_create(
                user=request.user, commune=commune, year=year, title=form.cleaned_data["title"]
            ),
            f"Đã lập dự thảo kế hoạch năm {year}.",
            conflict_field="year",
        )
        if plan is not None:
            return redirect("plans:plan_detail", plan.pk)
    plans = _with_counts(scoped(Plan.objects.select_related("commune"), request.user))
    return render(
        request, "plans/plan_list.html", {"plans": plans, "year": "", "create_form": form}, status=400
    )


def _target_period(request: HttpRequest, plan: Plan) -> Period:
    """`?period=` / `?from=&to=` on the plan page, else the plan year's annual window;
    a bad value is shown as an error and the default kept."""
    try:
        return periods.resolve_request(request.GET, default=services.target_period(plan))
    except ValueError as exc:
        messages.error(request, str(exc))
        return services.target_period(plan)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request.user, pk)
    today = timezone.localdate()
    areas = list(
        plan.areas.prefetch_related("tasks__lead_department", "tasks__coordinating", "tasks__updates")
    )
    period = _target_period(request, plan)
    live = services.live_targets(plan, today=today, period=period)
    rows = []
    for number, area in enumerate(areas, start=1):
        tasks = []
        for task in area.tasks.all():
            reading = live.get(task.pk)
            tasks.append(
                {
                    "task": task,
                    "status": task.effective_status(today)
                    if plan.status == PlanStatus.IN_EFFECT
                    else task.status,
                    "reading": reading,
                }
            )
        rows.append({"number": number, "area": area, "tasks": tasks})
    context = {
        "plan": plan,
        "rows": rows,
        "events": plan.events.select_related("actor"),
        "can_edit": services.can_edit(request.user, plan) and plan.is_editable,
        "can_rollover": services.can_edit(request.user, plan),
        "transitions": [(m.target, m.label) for m in services.available_moves(request.user, plan)],
        "area_form": AreaForm(),
        "today": today,
        "target_period": period,
        "OVERDUE": TaskStatus.OVERDUE,
        "DONE": TaskStatus.DONE,
        "extensions": [
            {
                "columns": columns,
                "areas": [
                    (row["number"], row["area"], columns.text(columns.for_area(row["area"].pk)))
                    for row in rows
                ],
                "total": columns.text(columns.total),
            }
            for columns in task_columns(plan)
        ],
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request.user, pk)
    if not services.can_edit(request.user, plan):
        raise PermissionDenied("Chỉ cơ quan thường trực CCHC được sửa kế hoạch.")
    fields = list(PlanTextForm.base_fields)
    form = PlanTextForm(request.POST or None, initial={f: getattr(plan, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        if _submit(
            request,
            form,
            lambda: services.plan_update(user=request.user, plan=plan, **form.cleaned_data),
            "Đã lưu kế hoạch.",
        ):
            return redirect("plans:plan_detail", plan.pk)
    return render(request, "plans/plan_edit.html", {"plan": plan, "form": form})


@login_required
@require_POST
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Dữ liệu chuyển trạng thái không hợp lệ (ngày ban hành dd/mm/yyyy).")
        return redirect("plans:plan_detail", plan.pk)
    d = form.cleaned_data
    to = d["to"]
    label = dict(PlanStatus.choices).get(to, to)
    _run(
        request,
        lambda: services.plan_transition(
            user=request.user, plan=plan, to=to, note=d["note"], number=d["number"], issued_on=d["issued_on"]
        ),
        f"Kế hoạch đã chuyển sang “{label}”.",
    )
    return redirect("plans:plan_detail", plan.pk)


@login_required
@require_POST
def plan_rollover(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request.user, pk)
    try:
        new = services.plan_rollover(user=request.user, plan=plan)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("plans:plan_detail", plan.pk)
    problems = check_plan(new)
    messages.success(
        request,
        f"Đã tạo dự thảo kế hoạch năm {new.year}. "
        + (
            f"Có {len(problems)} chỗ nhắc năm cần xem lại." if problems else "Không có chỗ nhắc năm nào lệch."
        ),
    )
    return redirect("plans:plan_check", new.pk)


@login_required
def plan_check(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request.user, pk)
    return render(request, "plans/plan_check.html", {"plan": plan, "problems": check_plan(plan)})


def _download(content: bytes, extension: str, filename: str) -> HttpResponse:
    return attachment(content, f"{filename}.{extension}")


def document_download(plan: Plan) -> HttpResponse:
    """The plan as a Word document (pages and API alike)."""
    return _download(plan_docx(plan), "docx", f"ke-hoach-cchc-{plan.year}")


def appendix_download(plan: Plan) -> HttpResponse:
    """The appendix table as a workbook (pages and API alike)."""
    return _download(appendix_xlsx(plan), "xlsx", f"phu-luc-ke-hoach-cchc-{plan.year}")


@login_required
def plan_document(request: HttpRequest, pk: int) -> HttpResponse:
    return document_download(get_plan(request.user, pk))


@login_required
def plan_appendix(request: HttpRequest, pk: int) -> HttpResponse:
    return appendix_download(get_plan(request.user, pk))


# --- areas -------------------------------------------------------------------
@login_required
@require_POST
def area_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request.user, pk)
    form = AreaForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.area_add(user=request.user, plan=plan, **form.cleaned_data),
            "Đã thêm lĩnh vực.",
        )
    else:
        messages.error(request, "Chọn loại lĩnh vực hợp lệ.")
    return redirect("plans:plan_detail", plan.pk)


@login_required
def area_edit(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    plan = get_plan(request.user, pk)
    area = get_object_or_404(ReformArea, pk=area_pk, plan=plan)
    form = AreaEditForm(request.POST or None, initial={"title": area.title, "intro": area.intro})
    if request.method == "POST":
        if "delete" in request.POST:
            if _run(request, lambda: services.area_delete(user=request.user, area=area), "Đã xóa lĩnh vực."):
                return redirect("plans:plan_detail", plan.pk)
        elif form.is_valid() and _submit(
            request,
            form,
            lambda: services.area_update(user=request.user, area=area, **form.cleaned_data),
            "Đã lưu lĩnh vực.",
        ):
            return redirect("plans:plan_detail", plan.pk)
    return render(request, "plans/area_edit.html", {"plan": plan, "area": area, "form": form})


# --- tasks -------------------------------------------------------------------
@login_required
def task_add(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    plan = get_plan(request.user, pk)
    area = get_object_or_404(ReformArea, pk=area_pk, plan=plan)
    if not services.can_edit(request.user, plan):
        raise PermissionDenied("Chỉ cơ quan thường trực CCHC được sửa kế hoạch.")
    initial = {
        "time_frame": "range",
        "start_date": plan.year_start,
        "end_date": plan.year_end,
        "target_unit": "%",
    }
    form = TaskForm(request.POST or None, initial=initial, commune=plan.commune, area=area)
    if request.method == "POST" and form.is_valid():
        if _submit(
            request,
            form,
            lambda: services.task_create(
                user=request.user,
                area=area,
                position=form.cleaned_data.get("position"),
                **form.service_fields(),
            ),
            "Đã thêm nhiệm vụ.",
        ):
            return redirect("plans:plan_detail", plan.pk)
    return render(request, "plans/task_form.html", {"plan": plan, "area": area, "form": form, "task": None})


@login_required
def task_edit(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    task = get_task(request.user, pk, task_pk)
    plan = task.area.plan
    if not services.can_edit(request.user, plan):
        raise PermissionDenied("Chỉ cơ quan thường trực CCHC được sửa kế hoạch.")
    form = TaskForm(request.POST or None, instance=task, commune=plan.commune)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        task.refresh_from_db()  # the form wrote onto the instance; the service applies the values
        if _submit(
            request,
            form,
            lambda: services.task_update(
                user=request.user, task=task, expected_version=form.expected_version, **fields
            ),
            "Đã lưu nhiệm vụ.",
        ):
            return redirect("plans:plan_detail", plan.pk)
    return render(
        request, "plans/task_form.html", {"plan": plan, "area": task.area, "form": form, "task": task}
    )


@login_required
@require_POST
def task_delete(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    task = get_task(request.user, pk, task_pk)
    _run(
        request,
        lambda: services.task_delete(user=request.user, task=task),
        "Đã xóa nhiệm vụ; các mục đã đánh lại chữ cái.",
    )
    return redirect("plans:plan_detail", pk)


@login_required
@require_POST
def task_move(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    task = get_task(request.user, pk, task_pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    _run(
        request,
        lambda: services.task_move(user=request.user, task=task, position=max(0, task.position + step)),
        "Đã chuyển vị trí nhiệm vụ.",
    )
    return redirect("plans:plan_detail", pk)


@login_required
def task_detail(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    task = get_task(request.user, pk, task_pk)
    plan = task.area.plan
    today = timezone.localdate()
    can_report = services.can_report(request.user, task) and plan.accepts_progress
    form = None
    if can_report:
        form = ReportForm(
            request.POST or None,
            initial={
                "percent": task.percent,
                "status": task.status if task.status != "not_started" else "in_progress",
                "on": today,
            },
        )
    elif request.method == "POST":
        raise PermissionDenied("Chỉ bộ phận chủ trì nhiệm vụ (hoặc thường trực CCHC) được cập nhật tiến độ.")
    if (
        request.method == "POST"
        and form is not None
        and form.is_valid()
        and _submit(
            request,
            form,
            lambda: services.task_report(
                user=request.user, task=task, files=request.FILES.getlist("files"), **form.cleaned_data
            ),
            "Đã ghi nhận cập nhật tiến độ.",
        )
    ):
        return redirect("plans:task_detail", plan.pk, task.pk)
    number = list(plan.areas.values_list("id", flat=True)).index(task.area_id) + 1
    context = {
        "plan": plan,
        "task": task,
        "number": number,
        "status": task.effective_status(today) if plan.accepts_progress else task.status,
        "next_due": task.next_due(today),
        "updates": task.updates.select_related("author").prefetch_related("evidence"),
        "form": form,
        "evidence_uploads": services.EVIDENCE_UPLOADS,
        "OVERDUE": TaskStatus.OVERDUE,
    }
    return render(
        request, "plans/task_detail.html", context, status=400 if form is not None and form.errors else 200
    )


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    plan = get_plan(request.user, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, update__task__area__plan=plan)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp minh chứng không còn trên máy chủ.") from exc
    audit.record(evidence, "export", {"file": evidence.original_name})
    return FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    if department is None:
        raise PermissionDenied("Tài khoản của bạn chưa thuộc bộ phận chuyên môn nào.")
    require_perm(request.user, "plans.view_plan", "Bạn không có quyền xem kế hoạch CCHC.")
    today = timezone.localdate()
    tasks = services.department_tasks(department=department, today=today)
    return render(
        request,
        "plans/my_tasks.html",
        {"tasks": tasks, "department": department, "today": today, "days": services.DUE_SOON_WORKING_DAYS},
    )
