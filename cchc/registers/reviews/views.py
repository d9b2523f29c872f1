"""Pages of the procedure-review register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cchc.core.workflow import Conflict

from ..common import views as common
from . import services
from .forms import ActForm, ReviewFilterForm, ReviewForm
from .models import ProcedureReview
from .spec import SPEC


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    return common.list_page(
        request,
        SPEC,
        form_class=ReviewFilterForm,
        queryset=ProcedureReview.objects.select_related("commune", "procedure", "department"),
        template="registers/reviews/list.html",
        table_template="registers/reviews/_table.html",
    )


@login_required
def review_add(request: HttpRequest) -> HttpResponse:
    commune = common.working_commune(request.user, SPEC)
    initial = {"department": request.user.department}
    if request.GET.get("procedure", "").isdigit():
        initial["procedure"] = int(request.GET["procedure"])
    form = ReviewForm(request.POST or None, commune=commune, initial=initial)
    if request.method == "POST" and form.is_valid():
        review = common.save_form(
            request,
            form,
            lambda: services.review_save(user=request.user, commune=commune, **form.values()),
            "Đã ghi kết quả rà soát.",
        )
        if review is not None:
            return redirect(SPEC.url("detail", review.pk))
    return _form_page(request, form, None)


@login_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = common.get_record(request.user, SPEC, pk, write=True)
    form = ReviewForm(
        request.POST or None,
        commune=review.commune,
        initial={**services.as_values(review), "version": review.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.review_save(
                user=request.user, review=review, expected_version=form.expected_version(), **form.values()
            ),
            "Đã lưu thay đổi.",
        )
        if saved is not None:
            return redirect(SPEC.url("detail", saved.pk))
    return _form_page(request, form, review)


def _form_page(request: HttpRequest, form, review) -> HttpResponse:
    return render(
        request,
        "registers/reviews/form.html",
        {"spec": SPEC, "form": form, "record": review},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def review_detail(request: HttpRequest, pk: int, form: ActForm | None = None) -> HttpResponse:
    review = common.get_record(
        request.user, SPEC, pk, queryset=ProcedureReview.objects.select_related("procedure", "department")
    )
    context = common.detail_context(request, SPEC, review)
    moves = services.WORKFLOW.available(review.status, ()) if context["can_manage"] else []
    context.update(
        moves={m.action: m for m in moves},
        events=review.events.select_related("actor"),
        act_form=form or ActForm(initial={"version": review.version}),
    )
    return render(request, "registers/reviews/detail.html", context, status=400 if form is not None else 200)


@login_required
@require_POST
def review_act(request: HttpRequest, pk: int) -> HttpResponse:
    review = common.get_record(request.user, SPEC, pk, write=True)
    form = ActForm(request.POST)
    if not form.is_valid():
        return review_detail(request, pk, form)
    data = form.cleaned_data
    try:
        review = services.review_act(
            user=request.user,
            review=review,
            action=data["action"],
            on=data["on"],
            sent_to=data["sent_to"],
            ref=data["ref"],
            note=data["note"],
            expected_version=data["version"],
        )
    except ValidationError as exc:
        common.add_service_errors(form, exc)
        return review_detail(request, pk, form)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(SPEC.url("detail", pk))
    messages.success(request, f"Đã cập nhật: {review.get_status_display()}.")
    return redirect(SPEC.url("detail", pk))


@login_required
@require_POST
def review_attach(request: HttpRequest, pk: int) -> HttpResponse:
    review = common.get_record(request.user, SPEC, pk, write=True)
    return common.attachment_upload(request, SPEC, review, SPEC.url("detail", review.pk))
