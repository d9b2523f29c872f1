"""Operations on reform plans. Views, the API, commands, the demo loader and tests
all call these functions; each validates everything first, then writes, inside a
transaction, so that nothing changes when it refuses.

Who may do what (checked here, on the server, for every channel):
- read a plan: any user who can see its commune (commune staff, superior viewers);
- write the plan (texts, areas, tasks) while it is a draft, submit it, issue it:
  the CCHC standing office (`plans.edit_plan`) of the commune;
- approve it or send it back: the chairman or a vice-chairman (`plans.approve_plan`);
- report progress with evidence: members of the task's lead department
  (`plans.report_task_progress`), and the standing office, which chases and
  consolidates evidence for every task. Coordinating departments read the task and
  see it in their list, but the lead department reports on it.

`user=None` means the system (demo loader, commands); it skips the permission checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from cchc.core import audit
from cchc.core.concurrency import lock_fresh
from cchc.core.figures import Figure, Scope, Value, evaluate
from cchc.core.periods import Period
from cchc.core.permissions import check_commune
from cchc.core.text import clean_text
from cchc.core.uploads import UploadPolicy, random_token
from cchc.core.workcal import TZ, get_calendar
from cchc.core.workflow import Conflict, IllegalMove, Move, Workflow
from cchc.org.models import Department, Unit, User

from . import checks
from .models import (
    MAX_TASKS_PER_AREA,
    STANDARD_AREA_ORDER,
    AreaKind,
    Evidence,
    Plan,
    PlanEvent,
    PlanStatus,
    ReformArea,
    Task,
    TaskStatus,
    TaskUpdate,
    TimeFrame,
)


# --- permissions ------------------------------------------------------------
def can_view(user: User, plan: Plan) -> bool:
    return user is None or (user.can_see_commune(plan.commune_id) and user.has_perm("plans.view_plan"))


def can_edit(user: User, plan: Plan) -> bool:
    return user is None or (user.has_perm("plans.edit_plan") and user.can_write_commune(plan.commune_id))


def can_approve(user: User, plan: Plan) -> bool:
    return user is None or (user.has_perm("plans.approve_plan") and user.can_write_commune(plan.commune_id))


def can_report(user: User, task: Task) -> bool:
    plan = task.area.plan
    if user is None:
        return True
    if not user.can_write_commune(plan.commune_id):
        return False
    if user.has_perm("plans.edit_plan"):
        return True
    return (
        user.has_perm("plans.report_task_progress")
        and user.department_id is not None
        and user.department_id == task.lead_department_id
    )


def _check_view(user, plan: Plan) -> None:
    if user is None:
        return
    check_commune(user, plan.commune_id)
    if not user.has_perm("plans.view_plan"):
        raise PermissionDenied("Bạn không có quyền xem kế hoạch CCHC.")


def _check_edit(user, plan: Plan) -> None:
    """Only the standing office writes, and only a draft."""
    if user is not None:
        check_commune(user, plan.commune_id, write=True)
        if not user.has_perm("plans.edit_plan"):
            raise PermissionDenied("Chỉ cơ quan thường trực CCHC được soạn, sửa kế hoạch.")
    if not plan.is_editable:
        raise Conflict(f"Kế hoạch đang ở trạng thái “{plan.get_status_display()}”: chỉ sửa được bản dự thảo.")


# --- the plan ---------------------------------------------------------------
PLAN_TEXT_FIELDS = (
    "title",
    "basis",
    "purpose",
    "requirements",
    "reporting",
    "budget",
    "responsibilities",
    "closing",
    "recipients",
)


def _clean_block(value: str) -> str:
    """Paragraph text: each line cleaned, blank lines dropped (one paragraph a line)."""
    lines = [clean_text(line) for line in (value or "").splitlines()]
    return "\n".join(line for line in lines if line)


def _apply_texts(plan: Plan, texts: dict) -> None:
    unknown = (
        set(texts) - set(PLAN_TEXT_FIELDS) - {"number", "symbol", "issued_on", "signer_name", "signer_title"}
    )
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    for name, value in texts.items():
        if name == "issued_on":
            plan.issued_on = value
        elif name == "title":
            plan.title = clean_text(value or "")
        elif name in ("number", "symbol", "signer_name", "signer_title"):
            setattr(plan, name, clean_text(value or ""))
        else:
            setattr(plan, name, _clean_block(value))
    if not plan.title:
        raise ValidationError({"title": "Cần nhập trích yếu (tên) của kế hoạch."})
    if plan.number and not plan.number.isdigit():
        raise ValidationError({"number": "Số văn bản chỉ gồm chữ số, ví dụ 152."})
    if not plan.symbol:
        raise ValidationError({"symbol": "Cần ký hiệu văn bản, ví dụ KH-UBND."})


@transaction.atomic
def plan_create(*, user: User | None, commune: Unit, year: int, title: str = "", **texts: Any) -> Plan:
    """Start a draft plan for `commune` and `year` (one plan per commune and year)."""
    if user is not None:
        check_commune(user, commune.pk, write=True)
        if not user.has_perm("plans.edit_plan"):
            raise PermissionDenied("Chỉ cơ quan thường trực CCHC được lập kế hoạch.")
    if not commune.is_commune:
        raise ValidationError("Kế hoạch CCHC được lập cho một xã.")
    if Plan.objects.filter(commune=commune, year=year).exists():
        raise Conflict(f"{commune} đã có kế hoạch CCHC năm {year}.")
    plan = Plan(commune=commune, year=year)
    _apply_texts(plan, {"title": title or f"Cải cách hành chính nhà nước {commune} năm {year}", **texts})
    plan.full_clean()
    plan.save()
    PlanEvent.objects.create(plan=plan, actor=user, to_status=PlanStatus.DRAFT, note="Lập dự thảo.")
    return plan


@transaction.atomic
def plan_update(*, user: User | None, plan: Plan, **texts: Any) -> Plan:
    """Change the prose sections, number or signer text of a draft."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _check_edit(user, plan)
    _apply_texts(plan, texts)
    plan.full_clean()
    plan.save()
    return plan


# The move table. Capabilities: "edit" = the standing office (`can_edit`),
# "approve" = the chairman and vice-chairmen (`can_approve`).
EDIT, APPROVE = "edit", "approve"
WORKFLOW = Workflow(
    [
        Move("submit", "Trình phê duyệt", (PlanStatus.DRAFT,), PlanStatus.SUBMITTED, {EDIT}),
        Move("return", "Trả lại dự thảo", (PlanStatus.SUBMITTED,), PlanStatus.DRAFT, {EDIT, APPROVE}),
        Move("approve", "Phê duyệt", (PlanStatus.SUBMITTED,), PlanStatus.APPROVED, {APPROVE}),
        Move(
            "issue",
            "Ban hành, đưa vào thực hiện",
            (PlanStatus.APPROVED,),
            PlanStatus.IN_EFFECT,
            {EDIT, APPROVE},
        ),
        Move("close", "Kết thúc kế hoạch", (PlanStatus.IN_EFFECT,), PlanStatus.CLOSED, {EDIT, APPROVE}),
    ],
    status_label=lambda status: PlanStatus(status).label,
    denied_message=lambda move: (
        "Chỉ Chủ tịch, Phó Chủ tịch UBND được phê duyệt kế hoạch."
        if move.allowed == {APPROVE}
        else "Bạn không có quyền chuyển trạng thái kế hoạch này."
    ),
    noun="kế hoạch",
)


def capabilities(user: User | None, plan: Plan) -> set[str]:
    """What `user` may do with `plan`'s status (None, the system: everything)."""
    return {cap for cap, ok in ((EDIT, can_edit(user, plan)), (APPROVE, can_approve(user, plan))) if ok}


def move_to(status: str, to: str) -> Move | None:
    """The move from `status` that leads to `to` (the pages and the API name the
    target status; each target is reached by one move from a given status)."""
    return next((m for m in WORKFLOW if m.starts_from(status) and m.target == to), None)


def available_moves(user: User | None, plan: Plan) -> list[Move]:
    """The moves `user` may make on `plan` now (for buttons; the service re-checks)."""
    return WORKFLOW.available(plan.status, capabilities(user, plan))


def allowed_transitions(user: User | None, plan: Plan) -> list[str]:
    """The statuses `user` may move `plan` to now."""
    return [m.target for m in available_moves(user, plan)]


def _readiness_errors(plan: Plan) -> list[str]:
    errors = []
    areas = list(plan.areas.prefetch_related("tasks"))
    if not areas:
        errors.append("Kế hoạch chưa có lĩnh vực, nhiệm vụ nào.")
    for number, area in enumerate(areas, start=1):
        if not area.tasks.all():
            errors.append(f"Lĩnh vực {number} ({area.title}) chưa có nhiệm vụ.")
        for task in area.tasks.all():
            if task.lead_department_id is None:
                errors.append(f"Nhiệm vụ {number}.{task.letter}) chưa có đơn vị chủ trì.")
    return errors


@transaction.atomic
def plan_transition(
    *,
    user: User | None,
    plan: Plan,
    to: str,
    note: str = "",
    number: str = "",
    issued_on: date | None = None,
    at: datetime | None = None,
) -> Plan:
    """Move `plan` to status `to` by the move of `WORKFLOW` that leads there,
    writing a `PlanEvent`.

    Submitting needs every area to have tasks with a lead department; approving
    records the leader as signer; issuing (in effect) needs the number and date.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if user is not None:
        check_commune(user, plan.commune_id, write=True)
    if to not in PlanStatus.values:
        raise ValidationError(f"Trạng thái '{to}' không tồn tại.")
    move = move_to(plan.status, to)
    if move is None:
        raise IllegalMove(
            f"Không thể chuyển kế hoạch từ “{plan.get_status_display()}” sang “{PlanStatus(to).label}”."
        )
    WORKFLOW.check(move.action, plan.status, capabilities(user, plan))
    note = clean_text(note)
    if move.action == "submit" and (errors := _readiness_errors(plan)):
        raise ValidationError(errors)
    if move.action == "return" and not note:
        raise ValidationError({"note": "Cần ghi lý do trả lại dự thảo."})
    if move.action == "approve" and user is not None:
        plan.signer = user
        plan.signer_name = user.full_name or user.username
        plan.signer_title = "CHỦ TỊCH" if user.role == "chairman" else "PHÓ CHỦ TỊCH"
    if move.action == "issue":
        number = clean_text(number) or plan.number
        issued_on = issued_on or plan.issued_on
        if not number or not number.isdigit():
            raise ValidationError({"number": "Cần số văn bản (chữ số) khi ban hành kế hoạch."})
        if issued_on is None:
            raise ValidationError({"issued_on": "Cần ngày ban hành."})
        plan.number, plan.issued_on = number, issued_on
        plan.full_clean()
    event = PlanEvent(plan=plan, actor=user, from_status=plan.status, to_status=to, note=note)
    if at is not None:
        event.at = at
    plan.status = to
    plan.save()
    event.save()
    return plan


# --- areas ------------------------------------------------------------------
def _area_sort_key(plan: Plan, kind: str) -> int:
    if kind != AreaKind.LOCAL:
        return STANDARD_AREA_ORDER[kind]
    last = (
        plan.areas.filter(kind=AreaKind.LOCAL)
        .order_by("-sort_key")
        .values_list("sort_key", flat=True)
        .first()
    )
    return (last or 99) + 1


@transaction.atomic
def area_add(*, user: User | None, plan: Plan, kind: str, title: str = "", intro: str = "") -> ReformArea:
    """Add a reform area; standard areas take their legal place, local programmes go last."""
    _check_edit(user, plan)
    if kind not in AreaKind.values:
        raise ValidationError({"kind": "Loại lĩnh vực không hợp lệ."})
    if kind != AreaKind.LOCAL and plan.areas.filter(kind=kind).exists():
        raise ValidationError({"kind": f"Kế hoạch đã có lĩnh vực “{AreaKind(kind).label}”."})
    title = clean_text(title) or (AreaKind(kind).label if kind != AreaKind.LOCAL else "")
    if not title:
        raise ValidationError({"title": "Chương trình của địa phương cần có tên."})
    return ReformArea.objects.create(
        plan=plan, kind=kind, title=title, intro=_clean_block(intro), sort_key=_area_sort_key(plan, kind)
    )


@transaction.atomic
def area_update(*, user: User | None, area: ReformArea, title: str, intro: str = "") -> ReformArea:
    _check_edit(user, area.plan)
    title = clean_text(title)
    if not title:
        raise ValidationError({"title": "Cần nhập tên lĩnh vực."})
    area.title, area.intro = title, _clean_block(intro)
    area.save()
    return area


@transaction.atomic
def area_delete(*, user: User | None, area: ReformArea) -> None:
    _check_edit(user, area.plan)
    if area.tasks.exists():
        raise ValidationError("Lĩnh vực còn nhiệm vụ: chuyển hoặc xóa các nhiệm vụ trước.")
    area.delete()


# --- tasks ------------------------------------------------------------------
TASK_FIELDS = (
    "title",
    "content",
    "lead_department",
    "coordinating",
    "coordinating_other",
    "time_frame",
    "start_date",
    "end_date",
    "recurrence",
    "recurrence_day",
    "output",
    "budget",
    "target_metric",
    "target_comparison",
    "target_value",
    "target_unit",
)


def _renumber(area: ReformArea, order: Sequence[Task] | None = None) -> None:
    """Give the area's tasks positions 0, 1, 2… (letters a, b, c…) in `order`."""
    tasks = list(order) if order is not None else list(area.tasks.order_by("position", "id"))
    for index, task in enumerate(tasks):
        if task.position != index or task.area_id != area.pk:
            task.position = index
            task.area = area
            task.save(update_fields=["position", "area", "search_key"])


def _apply_task_fields(task: Task, plan: Plan, fields: dict) -> list[Department] | None:
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    coordinating = None
    for name, value in fields.items():
        if name == "coordinating":
            coordinating = list(value or [])
        elif name in ("title", "output", "coordinating_other", "target_unit"):
            setattr(task, name, clean_text(value or ""))
        elif name == "content":
            task.content = _clean_block(value)
        elif name in ("target_metric", "target_comparison", "recurrence"):
            setattr(task, name, value or "")
        else:
            setattr(task, name, value)
    if not task.title:
        raise ValidationError({"title": "Cần nhập tên nhiệm vụ."})
    if task.time_frame != TimeFrame.RECURRING:
        task.recurrence, task.recurrence_day = "", None
    if task.time_frame == TimeFrame.DEADLINE:
        task.start_date = None
    if task.budget is not None and task.budget < 0:
        raise ValidationError({"budget": "Kinh phí không được âm."})
    if coordinating is not None:
        wrong = [d for d in coordinating if d.commune_id != plan.commune_id]
        if wrong:
            raise ValidationError({"coordinating": "Đơn vị phối hợp phải thuộc cùng xã với kế hoạch."})
        if task.lead_department_id and any(d.pk == task.lead_department_id for d in coordinating):
            raise ValidationError({"coordinating": "Đơn vị chủ trì không đồng thời là đơn vị phối hợp."})
    if task.end_date is None:
        raise ValidationError({"end_date": "Cần thời hạn (ngày kết thúc) của nhiệm vụ."})
    task.full_clean(exclude=["area", "position"])
    return coordinating


def _set_coordinating(task: Task, departments: list[Department] | None) -> None:
    if departments is None:
        return
    before = sorted(task.coordinating.values_list("pk", flat=True))
    after = sorted(d.pk for d in departments)
    if before != after:
        task.coordinating.set(departments)
        audit.record(task, "update", {"coordinating": [before, after]})


@transaction.atomic
def task_create(
    *, user: User | None, area: ReformArea, title: str, position: int | None = None, **fields: Any
) -> Task:
    """Add a task to `area`, at the end or before the task now at `position` (0-based);
    the letters of the tasks after it move on by one."""
    plan = area.plan
    _check_edit(user, plan)
    existing = list(area.tasks.order_by("position", "id"))
    if len(existing) >= MAX_TASKS_PER_AREA:
        raise ValidationError(f"Một lĩnh vực có tối đa {MAX_TASKS_PER_AREA} nhiệm vụ (a đến y).")
    if position is None or position > len(existing):
        position = len(existing)
    if position < 0:
        raise ValidationError({"position": "Vị trí không hợp lệ."})
    fields.setdefault("end_date", plan.year_end)
    if fields.get("time_frame", TimeFrame.RANGE) == TimeFrame.RANGE:
        fields.setdefault("start_date", plan.year_start)
    task = Task(area=area, position=len(existing))
    coordinating = _apply_task_fields(task, plan, {"title": title, **fields})
    task.save()
    _set_coordinating(task, coordinating)
    existing.insert(position, task)
    _renumber(area, existing)
    return task


@transaction.atomic
def task_update(*, user: User | None, task: Task, expected_version: int | None = None, **fields: Any) -> Task:
    """Edit a task; `StaleEdit` when it was saved since `expected_version` (the
    version the editor's form was opened at; core/concurrency.py)."""
    _check_edit(user, task.area.plan)
    task = lock_fresh(task, expected_version)
    coordinating = _apply_task_fields(task, task.area.plan, fields)
    task.save()
    _set_coordinating(task, coordinating)
    return task


@transaction.atomic
def task_delete(*, user: User | None, task: Task) -> None:
    """Remove a task; the letters of the tasks after it close up."""
    area = task.area
    _check_edit(user, area.plan)
    task.delete()
    _renumber(area)


@transaction.atomic
def task_move(*, user: User | None, task: Task, position: int, area: ReformArea | None = None) -> Task:
    """Move a task to `position` (0-based) in `area` (default: its own area)."""
    source = task.area
    target = area or source
    _check_edit(user, source.plan)
    if target.plan_id != source.plan_id:
        raise ValidationError("Chỉ chuyển nhiệm vụ trong cùng một kế hoạch.")
    others = [t for t in target.tasks.order_by("position", "id") if t.pk != task.pk]
    if target.pk != source.pk and len(others) >= MAX_TASKS_PER_AREA:
        raise ValidationError(f"Lĩnh vực đích đã đủ {MAX_TASKS_PER_AREA} nhiệm vụ.")
    position = max(0, min(position, len(others)))
    others.insert(position, task)
    _renumber(target, others)
    if target.pk != source.pk:
        _renumber(source)
    task.refresh_from_db()
    return task


# --- progress and evidence ----------------------------------------------------
# Evidence may be any office document, a scan or photo, or a zip of several.
EVIDENCE_UPLOADS = UploadPolicy(types=("pdf", "docx", "xlsx", "jpg", "png", "zip"), max_files=10)


@transaction.atomic
def task_report(
    *,
    user: User | None,
    task: Task,
    text: str,
    percent: int,
    status: str | None = None,
    on: date | None = None,
    files: Iterable[UploadedFile] = (),
    today: date | None = None,
) -> TaskUpdate:
    """Record a dated progress update (with evidence files) on a task of a plan in
    effect, and set the task's status and percentage from it."""
    task = Task.objects.select_for_update().select_related("area__plan").get(pk=task.pk)
    plan = task.area.plan
    if user is not None:
        check_commune(user, plan.commune_id)
        if not can_report(user, task):
            raise PermissionDenied(
                "Chỉ bộ phận chủ trì nhiệm vụ (hoặc thường trực CCHC) được cập nhật tiến độ."
            )
    if not plan.accepts_progress:
        raise Conflict("Chỉ cập nhật tiến độ khi kế hoạch đang thực hiện.")
    today = today or timezone.localdate()
    on = on or today
    text = _clean_block(text)
    errors: dict[str, str | list[str]] = {}
    if not text:
        errors["text"] = "Cần mô tả kết quả thực hiện."
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        errors["percent"] = "Tỷ lệ hoàn thành phải từ 0 đến 100."
    if status is None:
        status = TaskStatus.DONE if percent == 100 else TaskStatus.IN_PROGRESS if percent > 0 else task.status
    if status not in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE):
        errors["status"] = "Trạng thái không hợp lệ."
    elif status == TaskStatus.DONE and percent != 100:
        errors["percent"] = "Nhiệm vụ hoàn thành thì tỷ lệ phải là 100%."
    elif status != TaskStatus.DONE and percent == 100:
        errors["status"] = "Đạt 100% thì chọn trạng thái “Hoàn thành”."
    elif status == TaskStatus.NOT_STARTED and percent > 0:
        errors["status"] = "Đã có tiến độ thì không còn là “Chưa thực hiện”."
    if on > today:
        errors["on"] = "Ngày cập nhật không được sau hôm nay."
    elif on < date(plan.year - 1, 12, 1):
        errors["on"] = f"Ngày cập nhật phải thuộc năm kế hoạch {plan.year}."
    try:
        checked = EVIDENCE_UPLOADS.check(files)
    except ValidationError as exc:
        errors["files"] = exc.messages
    if errors:
        raise ValidationError(errors)
    update = TaskUpdate.objects.create(
        task=task, on=on, text=text, status=status, percent=percent, author=user
    )
    for upload in checked:
        evidence = Evidence(
            update=update,
            token=random_token(),
            extension=f".{upload.extension}",
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
        )
        evidence.file.save(evidence.token + evidence.extension, upload.file, save=False)
        evidence.save()
    task.status, task.percent = status, percent
    task.completed_on = on if status == TaskStatus.DONE else None
    task.save(update_fields=["status", "percent", "completed_on", "search_key"])
    return update


# --- roll-over -----------------------------------------------------------------
@transaction.atomic
def plan_rollover(*, user: User | None, plan: Plan) -> Plan:
    """Copy `plan` into a draft for the next year: texts with the plan year's
    mentions moved on (see `checks.shift_years`), task dates shifted by a year,
    targets kept, progress and evidence left behind. Run the consistency check on
    the result: slips copied from the old plan are still listed there."""
    if user is not None:
        check_commune(user, plan.commune_id, write=True)
        if not user.has_perm("plans.edit_plan"):
            raise PermissionDenied("Chỉ cơ quan thường trực CCHC được lập kế hoạch năm sau.")
    year = plan.year + 1
    if Plan.objects.filter(commune_id=plan.commune_id, year=year).exists():
        raise Conflict(f"Đã có kế hoạch CCHC năm {year} của {plan.commune}.")

    def shift(text: str) -> str:
        return checks.shift_years(text, plan.year)

    new = Plan(
        commune_id=plan.commune_id,
        year=year,
        symbol=plan.symbol,
        signer_name=plan.signer_name,
        signer_title=plan.signer_title,
        source_plan=plan,
        **{name: shift(getattr(plan, name)) for name in PLAN_TEXT_FIELDS},
    )
    new.full_clean()
    new.save()
    for area in plan.areas.prefetch_related("tasks__coordinating"):
        new_area = ReformArea.objects.create(
            plan=new, kind=area.kind, title=shift(area.title), intro=shift(area.intro), sort_key=area.sort_key
        )
        for task in area.tasks.all():
            copy = Task.objects.create(
                area=new_area,
                position=task.position,
                title=shift(task.title),
                content=shift(task.content),
                lead_department_id=task.lead_department_id,
                coordinating_other=task.coordinating_other,
                time_frame=task.time_frame,
                start_date=checks.shift_date(task.start_date),
                end_date=checks.shift_date(task.end_date),
                recurrence=task.recurrence,
                recurrence_day=task.recurrence_day,
                output=shift(task.output),
                budget=task.budget,
                target_metric=task.target_metric,
                target_comparison=task.target_comparison,
                target_value=task.target_value,
                target_unit=task.target_unit,
            )
            copy.coordinating.set(task.coordinating.all())
    PlanEvent.objects.create(
        plan=new,
        actor=user,
        to_status=PlanStatus.DRAFT,
        note=f"Chuyển tiếp từ kế hoạch năm {plan.year} (số {plan.number_display}).",
    )
    return new


# --- reading helpers shared by views and API -------------------------------------
DUE_SOON_WORKING_DAYS = 5


@dataclass
class DepartmentTasks:
    overdue: list[Task] = field(default_factory=list)
    due_soon: list[Task] = field(default_factory=list)
    other_open: list[Task] = field(default_factory=list)
    done: list[Task] = field(default_factory=list)
    coordinating: list[Task] = field(default_factory=list)


def department_tasks(
    *, department: Department, today: date, days: int = DUE_SOON_WORKING_DAYS
) -> DepartmentTasks:
    """The tasks of plans in effect that `department` leads, sorted into overdue,
    due within `days` working days, other open and done; plus those it coordinates."""
    horizon = get_calendar().add_working_days(today, days)
    result = DepartmentTasks()
    base = (
        Task.objects.of_running_plans()
        .select_related("area__plan", "lead_department")
        .prefetch_related("updates", "coordinating")
    )
    for task in base.filter(lead_department=department):
        if task.status == TaskStatus.DONE:
            result.done.append(task)
        elif task.missed_due(today):
            result.overdue.append(task)
        elif (nd := task.next_due(today)) is not None and nd <= horizon:
            result.due_soon.append(task)
        else:
            result.other_open.append(task)
    result.overdue.sort(key=lambda t: t.missed_due(today))
    result.due_soon.sort(key=lambda t: t.next_due(today))
    result.coordinating = list(base.filter(coordinating=department))
    return result


class TargetState(models.TextChoices):
    MET = "met", "Đạt"
    NOT_MET = "not_met", "Chưa đạt"
    NO_DATA = "no_data", "Chưa có dữ liệu"
    NOT_STARTED = "not_started", "Chưa đến kỳ"


@dataclass(frozen=True)
class TargetReading:
    """A target against its live value over `period` (the plan year's annual
    window unless asked otherwise)."""

    task: Task
    figure: Figure
    period: Period
    value: Value
    state: str

    @property
    def met(self) -> bool | None:
        return {TargetState.MET: True, TargetState.NOT_MET: False}.get(self.state)

    @property
    def state_label(self) -> str:
        return TargetState(self.state).label

    @property
    def value_text(self) -> str:
        if self.state == TargetState.NOT_STARTED:
            return TargetState.NOT_STARTED.label.lower()
        return self.figure.format(self.value)


def target_period(plan: Plan) -> Period:
    """The window a plan's targets are measured over: its year's annual reporting
    window (15/12 of the previous year → 14/12, NĐ 09/2019 art. 12)."""
    return Period.year_of(plan.year)


def live_targets(
    plan: Plan, *, today: date | None = None, period: Period | None = None
) -> dict[int, TargetReading]:
    """Each measurable target of `plan`'s tasks (keyed by task id) against the live
    value of its catalogue figure over `period` (default `target_period(plan)`),
    as the figure stands today. A window that has not begun gives "chưa đến kỳ"."""
    today = today or timezone.localdate()
    period = period or target_period(plan)
    tasks = [t for t in Task.objects.filter(area__plan=plan).exclude(target_metric="") if t.has_target]
    if not tasks:
        return {}
    if today < period.date_from:
        return {t.pk: TargetReading(t, t.target_figure, period, None, TargetState.NOT_STARTED) for t in tasks}
    now = datetime.combine(today, time(23, 59), TZ) if today != timezone.localdate() else None
    scope = Scope.of(
        commune_ids=[plan.commune_id], date_from=period.date_from, date_to=period.date_to, now=now
    )
    values = evaluate(list({t.target_figure for t in tasks}), scope)
    out = {}
    for task in tasks:
        value = values[task.target_figure]
        met = task.target_met(value)
        state = TargetState.NO_DATA if met is None else TargetState.MET if met else TargetState.NOT_MET
        out[task.pk] = TargetReading(task, task.target_figure, period, value, state)
    return out


# --- reminders -------------------------------------------------------------------
@dataclass
class RemindResult:
    due_soon: int = 0
    overdue: int = 0
    sent: int = 0
    already_sent: int = 0
    no_recipient: int = 0


def _recipients(department: Department) -> list[User]:
    people = {u.pk: u for u in department.members.filter(is_active=True)}
    if department.head_id and department.head.is_active:
        people.setdefault(department.head_id, department.head)
    return list(people.values())


def tasks_remind(*, today: date, days: int = 3, commune: Unit | None = None) -> RemindResult:
    """Notify the lead department (head and members) of each open task of a plan
    in effect that is overdue or due within `days` working days. Each notice is
    keyed by task, kind, due date and today, so running twice a day sends nothing
    new, and an overdue task is reminded again the next day."""
    from cchc.core.services import notify

    if days < 0:
        raise ValidationError("Số ngày làm việc phải ≥ 0.")
    horizon = get_calendar().add_working_days(today, days)
    result = RemindResult()
    tasks = (
        Task.objects.of_running_plans()
        .open()
        .filter(lead_department__isnull=False)
        .select_related("area__plan__commune", "lead_department__head")
        .prefetch_related("updates")
    )
    if commune is not None:
        tasks = tasks.filter(area__plan__commune=commune)
    for task in tasks:
        plan = task.area.plan
        missed = task.missed_due(today)
        if missed:
            kind, due = "overdue", missed
            result.overdue += 1
            title = f"Nhiệm vụ CCHC quá hạn: {task.title[:150]}"
            body = f"Hạn {due:%d/%m/%Y} đã qua, nhiệm vụ chưa hoàn thành ({task.percent}%)."
        else:
            due = task.next_due(today)
            if due is None or due > horizon:
                continue
            kind = "due_soon"
            result.due_soon += 1
            title = f"Nhiệm vụ CCHC sắp đến hạn {due:%d/%m/%Y}: {task.title[:150]}"
            body = f"Còn {get_calendar().working_days_between(today, due)} ngày làm việc; tiến độ {task.percent}%."
        body += f"\nKế hoạch CCHC năm {plan.year} của {plan.commune}; đơn vị chủ trì: {task.lead_department}."
        people = _recipients(task.lead_department)
        if not people:
            result.no_recipient += 1
            continue
        url = reverse("plans:task_detail", args=[plan.pk, task.pk])
        for person in people:
            sent = notify(
                user=person,
                title=title,
                body=body,
                url=url,
                dedupe_key=f"plans:task:{task.pk}:{kind}:{due.isoformat()}:{today.isoformat()}",
                email=True,
            )
            if sent:
                result.sent += 1
            else:
                result.already_sent += 1
    return result
