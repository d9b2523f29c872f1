"""Pages of the inspection register: inspections, the year's plan, and the
recommendations with their follow-up by the departments responsible."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.core.figures import Scope, evaluate
from cchc.core.workflow import Conflict

from ..common import services as common_services
from ..common import views as common
from ..common.forms import add_service_errors
from . import figures, services
from .forms import (
    ConductedForm,
    FollowUpForm,
    InspectionFilterForm,
    InspectionForm,
    PlanForm,
    RecommendationFilterForm,
    RecommendationForm,
    ResultForm,
)
from .models import Inspection, InspectionPlan, Recommendation
from .spec import SPEC


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    summary = None
    ids = request.user.commune_ids()
    if ids:
        from cchc.core.periods import Period

        period = Period.year_of(year)
        values = evaluate(
            figures.HEADLINE, Scope.of(commune_ids=ids, date_from=period.date_from, date_to=period.date_to)
        )
        summary = {"period": period, "values": [(f, values[f]) for f in figures.HEADLINE]}
    return common.list_page(
        request,
        SPEC,
        form_class=InspectionFilterForm,
        queryset=Inspection.objects.select_related("commune", "plan"),
        template="registers/inspections/list.html",
        table_template="registers/inspections/_table.html",
        context={"summary": summary, "year": year},
    )


@login_required
def inspection_add(request: HttpRequest) -> HttpResponse:
    """Record an unplanned inspection (planned ones are added on the plan's page)."""
    commune = common.working_commune(request.user, SPEC)
    form = ConductedForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        inspection = common.save_form(
            request,
            form,
            lambda: services.inspection_record(user=request.user, commune=commune, **form.values()),
            "Đã ghi cuộc kiểm tra đột xuất; thêm kiến nghị bên dưới.",
        )
        if inspection is not None:
            return redirect(SPEC.url("detail", inspection.pk))
    return render(
        request,
        "registers/inspections/inspection_form.html",
        {"spec": SPEC, "form": form, "record": None, "unplanned": True},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = common.get_record(request.user, SPEC, pk, write=True)
    initial = {n: getattr(inspection, n) for n in services.INSPECTION_FIELDS}
    form = InspectionForm(
        request.POST or None, commune=inspection.commune, initial={**initial, "version": inspection.version}
    )
    if request.method == "POST" and form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.inspection_update(
                user=request.user,
                inspection=inspection,
                expected_version=form.expected_version(),
                **form.values(),
            ),
            "Đã lưu thay đổi.",
        )
        if saved is not None:
            return redirect(SPEC.url("detail", saved.pk))
    return render(
        request,
        "registers/inspections/inspection_form.html",
        {"spec": SPEC, "form": form, "record": inspection, "unplanned": False},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def inspection_detail(
    request: HttpRequest,
    pk: int,
    result_form: ResultForm | None = None,
    rec_form: RecommendationForm | None = None,
) -> HttpResponse:
    inspection = common.get_record(
        request.user, SPEC, pk, queryset=Inspection.objects.select_related("plan", "department")
    )
    context = common.detail_context(request, SPEC, inspection)
    can_manage = context["can_manage"]
    context.update(
        moves=services.INSPECTION_FLOW.available(inspection.status, ()) if can_manage else [],
        result_form=result_form
        or ResultForm(
            initial={
                "version": inspection.version,
                "conducted_on": inspection.conducted_on,
                "findings": inspection.findings,
                "conclusion_ref": inspection.conclusion_ref,
            }
        ),
        recommendations=inspection.recommendations.select_related("department"),
        rec_form=(rec_form or RecommendationForm(commune=inspection.commune)) if can_manage else None,
        today=timezone.localdate(),
    )
    failed = result_form is not None or rec_form is not None
    return render(request, "registers/inspections/detail.html", context, status=400 if failed else 200)


@login_required
@require_POST
def inspection_act(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = common.get_record(request.user, SPEC, pk, write=True)
    form = ResultForm(request.POST)
    if not form.is_valid():
        return inspection_detail(request, pk, result_form=form)
    d = form.cleaned_data
    result = (
        {k: d[k] for k in ("conducted_on", "findings", "conclusion_ref")} if d["action"] == "conduct" else {}
    )
    try:
        inspection = services.inspection_act(
            user=request.user,
            inspection=inspection,
            action=d["action"],
            expected_version=d["version"],
            note=d["note"],
            **result,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return inspection_detail(request, pk, result_form=form)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(SPEC.url("detail", pk))
    messages.success(request, f"Đã cập nhật: {inspection.get_status_display()}.")
    return redirect(SPEC.url("detail", pk))


@login_required
@require_POST
def inspection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = common.get_record(request.user, SPEC, pk, write=True)
    try:
        services.inspection_delete(user=request.user, inspection=inspection)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(SPEC.url("detail", pk))
    messages.success(request, "Đã xóa cuộc kiểm tra.")
    return redirect(SPEC.url("list"))


@login_required
@require_POST
def inspection_attach(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = common.get_record(request.user, SPEC, pk, write=True)
    return common.attachment_upload(request, SPEC, inspection, SPEC.url("detail", inspection.pk))


@login_required
@require_POST
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = common.get_record(request.user, SPEC, pk, write=True)
    form = RecommendationForm(request.POST, commune=inspection.commune)
    if form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.recommendation_save(user=request.user, inspection=inspection, **form.values()),
            "Đã ghi kiến nghị.",
        )
        if saved is not None:
            return redirect(SPEC.url("detail", pk))
    return inspection_detail(request, pk, rec_form=form)


# --- the plan -------------------------------------------------------------------------------
@login_required
def plan_page(request: HttpRequest, year: int) -> HttpResponse:
    """The user's commune's inspection plan of `year`: its particulars and planned inspections."""
    common_services.check_view(request.user, SPEC)
    commune = request.user.home_commune
    plans = InspectionPlan.objects.filter(
        commune_id__in=request.user.commune_ids(), year=year
    ).select_related("commune")
    plan = next((p for p in plans if commune and p.commune_id == commune.pk), None) or plans.first()
    can_manage = commune is not None and common_services.can_manage(request.user, SPEC, commune.pk)
    plan_form = PlanForm(
        request.POST if request.POST.get("form") == "plan" else None,
        initial={
            "version": plan.version,
            "title": plan.title,
            "number": plan.number,
            "issued_on": plan.issued_on,
            "note": plan.note,
        }
        if plan
        else {"title": f"Kế hoạch kiểm tra công tác cải cách hành chính năm {year}"},
    )
    add_form = (
        InspectionForm(
            request.POST if request.POST.get("form") == "inspection" else None,
            commune=commune,
            initial={"planned_on": None},
        )
        if can_manage
        else None
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Bạn không có quyền lập kế hoạch kiểm tra.")
        if request.POST.get("form") == "plan" and plan_form.is_valid():
            d = plan_form.cleaned_data
            saved = common.save_form(
                request,
                plan_form,
                lambda: services.plan_save(
                    user=request.user,
                    commune=commune,
                    year=year,
                    expected_version=d["version"],
                    **{k: d[k] for k in ("title", "number", "issued_on", "note")},
                ),
                "Đã lưu kế hoạch kiểm tra.",
            )
            if saved is not None:
                return redirect("registers:inspections_plan", year)
        if request.POST.get("form") == "inspection" and add_form.is_valid():

            def add():
                target = plan or services.plan_save(user=request.user, commune=commune, year=year)
                return services.inspection_plan_add(user=request.user, plan=target, **add_form.values())

            if common.save_form(request, add_form, add, "Đã thêm cuộc kiểm tra vào kế hoạch.") is not None:
                return redirect("registers:inspections_plan", year)
    inspections = plan.inspections.select_related("department") if plan else []
    return render(
        request,
        "registers/inspections/plan.html",
        {
            "spec": SPEC,
            "year": year,
            "plan": plan,
            "plan_form": plan_form if can_manage else None,
            "add_form": add_form,
            "inspections": inspections,
            "can_manage": can_manage,
        },
        status=400 if (plan_form.errors or (add_form is not None and add_form.errors)) else 200,
    )


# --- recommendations ----------------------------------------------------------------------------
@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    common_services.check_view(request.user, SPEC)
    initial = {}
    form = RecommendationFilterForm(request.GET or None, user=request.user, initial=initial)
    qs = Recommendation.objects.filter(commune_id__in=request.user.commune_ids()).select_related(
        "inspection", "department", "commune"
    )
    qs = form.apply(qs).order_by("status", "due_on", "id")
    page = Paginator(qs, common.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registers/inspections/recommendation_list.html",
        {
            "spec": SPEC,
            "form": form,
            "page": page,
            "today": timezone.localdate(),
            "multi_commune": len(request.user.commune_ids()) > 1,
        },
    )


def _recommendation(request: HttpRequest, pk: int) -> Recommendation:
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("inspection", "department", "commune"), pk=pk
    )
    common_services.check_view(request.user, SPEC, recommendation.commune_id)
    return recommendation


@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    caps = (
        services.capabilities(request.user, recommendation)
        if request.user.can_write_commune(recommendation.commune_id)
        else set()
    )
    moves = services.RECOMMENDATION_FLOW.available(recommendation.status, caps)
    form = FollowUpForm(request.POST or None)
    edit_form = None
    if "manage" in caps:
        edit_form = RecommendationForm(
            request.POST if request.POST.get("form") == "edit" else None,
            commune=recommendation.inspection.commune,
            initial={
                **{n: getattr(recommendation, n) for n in services.RECOMMENDATION_FIELDS},
                "version": recommendation.version,
            },
        )
    if request.method == "POST":
        if request.POST.get("form") == "edit" and edit_form is not None and edit_form.is_valid():
            saved = common.save_form(
                request,
                edit_form,
                lambda: services.recommendation_save(
                    user=request.user,
                    recommendation=recommendation,
                    expected_version=edit_form.expected_version(),
                    **edit_form.values(),
                ),
                "Đã lưu kiến nghị.",
            )
            if saved is not None:
                return redirect("registers:inspections_recommendation", pk)
        elif request.POST.get("form") != "edit" and form.is_valid():
            d = form.cleaned_data
            saved = common.save_form(
                request,
                form,
                lambda: services.recommendation_act(
                    user=request.user,
                    recommendation=recommendation,
                    action=d["action"],
                    note=d["note"],
                    on=d["on"],
                    expected_version=d["version"],
                ),
                "Đã ghi nhận.",
            )
            if saved is not None:
                return redirect("registers:inspections_recommendation", pk)
    failed = request.method == "POST"
    return render(
        request,
        "registers/inspections/recommendation.html",
        {
            "spec": SPEC,
            "record": recommendation,
            "moves": moves,
            "form": form,
            "edit_form": edit_form,
            "events": recommendation.events.select_related("actor"),
            "today": timezone.localdate(),
            "attachments": common_services.attachments_of(recommendation),
            "history": common.history(recommendation),
            "can_manage": bool(caps),
            "attach_url": reverse("registers:inspections_recommendation_attach", args=[pk]),
        },
        status=400 if failed else 200,
    )


@login_required
@require_POST
def recommendation_attach(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    if not services.capabilities(request.user, recommendation):
        raise PermissionDenied("Bạn không có quyền đính kèm tệp cho kiến nghị này.")
    from ..common.forms import AttachmentForm

    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            # Evidence of follow-up comes from the department responsible too, which
            # writes through the follow-up capability rather than the register's own.
            common_services.attachments_add(
                user=request.user,
                spec=SPEC,
                record=recommendation,
                files=form.cleaned_data["files"],
                note=form.cleaned_data["note"],
                authorised=True,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Đã đính kèm.")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("registers:inspections_recommendation", pk)
