"""Pages of the reform-budget register: the entries, and each plan's estimate and
spending per task, reform area and plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cchc.core.permissions import check_commune
from cchc.plans.models import Plan

from ..common import services as common_services
from ..common import views as common
from . import services
from .forms import ExpenseFilterForm, ExpenseForm
from .models import Expense
from .spec import SPEC, area_numbers


@login_required
def expense_list(request: HttpRequest) -> HttpResponse:
    plans = (
        Plan.objects.filter(commune_id__in=request.user.commune_ids())
        .select_related("commune")
        .order_by("-year")
    )
    return common.list_page(
        request,
        SPEC,
        form_class=ExpenseFilterForm,
        queryset=Expense.objects.select_related("commune", "task__area__plan"),
        template="registers/spending/list.html",
        table_template="registers/spending/_table.html",
        context={"plans": plans[:6]},
    )


@login_required
def expense_add(request: HttpRequest) -> HttpResponse:
    commune = common.working_commune(request.user, SPEC)
    initial = {}
    if request.GET.get("task", "").isdigit():
        initial["task"] = int(request.GET["task"])
    form = ExpenseForm(request.POST or None, commune=commune, initial=initial)
    if request.method == "POST" and form.is_valid():
        expense = common.save_form(
            request,
            form,
            lambda: services.expense_save(user=request.user, commune=commune, **form.values()),
            "Đã ghi vào sổ kinh phí.",
        )
        if expense is not None:
            return redirect(SPEC.url("detail", expense.pk))
    return _form_page(request, form, None)


@login_required
def expense_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expense = common.get_record(request.user, SPEC, pk, write=True)
    form = ExpenseForm(
        request.POST or None,
        commune=expense.commune,
        initial={**services.as_values(expense), "version": expense.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.expense_save(
                user=request.user, expense=expense, expected_version=form.expected_version(), **form.values()
            ),
            "Đã lưu thay đổi.",
        )
        if saved is not None:
            return redirect(SPEC.url("detail", saved.pk))
    return _form_page(request, form, expense)


def _form_page(request: HttpRequest, form, expense) -> HttpResponse:
    return render(
        request,
        "registers/spending/form.html",
        {"spec": SPEC, "form": form, "record": expense},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def expense_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expense = common.get_record(
        request.user, SPEC, pk, queryset=Expense.objects.select_related("task__area__plan")
    )
    return render(request, "registers/spending/detail.html", common.detail_context(request, SPEC, expense))


@login_required
@require_POST
def expense_delete(request: HttpRequest, pk: int) -> HttpResponse:
    expense = common.get_record(request.user, SPEC, pk, write=True)
    services.expense_delete(user=request.user, expense=expense)
    messages.success(request, "Đã xóa khoản kinh phí.")
    return redirect(SPEC.url("list"))


@login_required
@require_POST
def expense_attach(request: HttpRequest, pk: int) -> HttpResponse:
    expense = common.get_record(request.user, SPEC, pk, write=True)
    return common.attachment_upload(request, SPEC, expense, SPEC.url("detail", expense.pk))


@login_required
def plan_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's estimate, spending and share spent per task, reform area and plan."""
    plan = get_object_or_404(Plan.objects.select_related("commune"), pk=pk)
    check_commune(request.user, plan.commune_id)
    common_services.check_view(request.user, SPEC)
    totals = services.plan_money(plan)
    numbers = area_numbers(plan)
    rows = []
    for area in plan.areas.prefetch_related("tasks"):
        rows.append(
            {
                "number": numbers[area.pk],
                "area": area,
                "money": totals.areas[area.pk],
                "tasks": [(t, totals.tasks[t.pk]) for t in area.tasks.all()],
            }
        )
    can_manage = common_services.can_manage(request.user, SPEC, plan.commune_id)
    return render(
        request,
        "registers/spending/plan.html",
        {"spec": SPEC, "plan": plan, "rows": rows, "totals": totals, "can_manage": can_manage},
    )
