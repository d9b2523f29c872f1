"""Home-page panels and menu visibility of the plans app."""

from __future__ import annotations

from django.utils import timezone

from .models import Plan, PlanStatus, TaskStatus


def shows_my_tasks(user) -> bool:
    return bool(user.department_id) and user.has_perm("plans.report_task_progress")


def shows_plan_panel(user) -> bool:
    return bool(user.home_commune) and (
        user.has_perm("plans.edit_plan") or user.has_perm("plans.approve_plan")
    )


def my_tasks_context(user) -> dict:
    from .services import department_tasks

    tasks = department_tasks(department=user.department, today=timezone.localdate())
    return {"tasks": tasks, "department": user.department, "today": timezone.localdate()}


def plan_panel_context(user) -> dict:
    today = timezone.localdate()
    plan = Plan.objects.filter(commune=user.home_commune, year=today.year).first()
    if plan is None:
        return {"plan": None, "year": today.year}
    tasks = [t for a in plan.areas.prefetch_related("tasks__updates") for t in a.tasks.all()]
    return {
        "plan": plan,
        "year": today.year,
        "total": len(tasks),
        "done": sum(t.status == TaskStatus.DONE for t in tasks),
        "overdue": sum(t.effective_status(today) == TaskStatus.OVERDUE for t in tasks)
        if plan.status == PlanStatus.IN_EFFECT
        else 0,
    }
