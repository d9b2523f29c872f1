"""Pages of the communication register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..common import views as common
from . import services
from .forms import ItemFilterForm, ItemForm
from .models import CommunicationItem
from .spec import SPEC


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    return common.list_page(
        request,
        SPEC,
        form_class=ItemFilterForm,
        queryset=CommunicationItem.objects.select_related("commune", "department"),
        template="registers/communication/list.html",
        table_template="registers/communication/_table.html",
    )


@login_required
def item_add(request: HttpRequest) -> HttpResponse:
    commune = common.working_commune(request.user, SPEC)
    form = ItemForm(request.POST or None, commune=commune, initial={"department": request.user.department})
    if request.method == "POST" and form.is_valid():
        item = common.save_form(
            request,
            form,
            lambda: services.communication_save(user=request.user, commune=commune, **form.values()),
            "Đã ghi vào sổ tuyên truyền.",
        )
        if item is not None:
            return redirect(SPEC.url("detail", item.pk))
    return _form_page(request, form, None)


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = common.get_record(request.user, SPEC, pk, write=True)
    initial = {**services.as_values(item), "version": item.version}
    form = ItemForm(request.POST or None, commune=item.commune, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.communication_save(
                user=request.user, item=item, expected_version=form.expected_version(), **form.values()
            ),
            "Đã lưu thay đổi.",
        )
        if saved is not None:
            return redirect(SPEC.url("detail", saved.pk))
    return _form_page(request, form, item)


def _form_page(request: HttpRequest, form, item) -> HttpResponse:
    return render(
        request,
        "registers/communication/form.html",
        {"spec": SPEC, "form": form, "record": item},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = common.get_record(request.user, SPEC, pk)
    return render(request, "registers/communication/detail.html", common.detail_context(request, SPEC, item))


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = common.get_record(request.user, SPEC, pk, write=True)
    services.communication_delete(user=request.user, item=item)
    messages.success(request, f"Đã xóa “{item.title}” khỏi sổ.")
    return redirect(SPEC.url("list"))


@login_required
@require_POST
def item_attach(request: HttpRequest, pk: int) -> HttpResponse:
    item = common.get_record(request.user, SPEC, pk, write=True)
    return common.attachment_upload(request, SPEC, item, SPEC.url("detail", item.pk))
