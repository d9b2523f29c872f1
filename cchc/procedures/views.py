from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cchc.core.forms import add_service_errors
from cchc.core.models import AuditLog
from cchc.core.permissions import check_commune, require_perm
from cchc.core.workflow import Conflict
from cchc.org.models import Unit

from . import selectors, services
from .forms import CatalogueFilterForm, DepartmentRuleForm, ImportForm, ProcedureForm
from .models import DepartmentRule, Procedure, ProcedureImport, RequiredDocument, Requirement

PAGE_SIZE = 50
DATA = Path(__file__).resolve().parent / "data"
# The national data shipped with the product (docs/rules.md §15).
DETAILS_DATA = {"documents": DATA / "tthc_thanh_phan.csv", "details": DATA / "tthc_chi_tiet.csv"}


def _procedure(request: HttpRequest, pk: int, *, write: bool = False) -> Procedure:
    """The procedure if the user may see it (404 otherwise), and change it when `write`."""
    procedure = get_object_or_404(Procedure.objects.select_related("commune", "department"), pk=pk)
    check_commune(request.user, procedure.commune_id, write=write)
    return procedure


def _working_commune(request: HttpRequest) -> Unit | None:
    """The commune a page works on: `?commune=slug` among the visible ones, else
    the user's own commune, else the only visible one."""
    communes = request.user.visible_communes()
    slug = request.POST.get("commune") or request.GET.get("commune")
    if slug:
        commune = communes.filter(slug=slug).first()
        if commune is None:
            raise Http404("Không tìm thấy xã.")
        return commune
    if request.user.home_commune is not None:
        return request.user.home_commune
    return communes.first() if communes.count() == 1 else None


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "procedures.view_procedure", "Bạn không có quyền xem danh mục thủ tục.")
    communes = list(request.user.visible_communes())
    base = selectors.catalogue_for(request.user)
    form = CatalogueFilterForm(
        request.GET or None, communes=communes, fields=selectors.catalogue_fields(base)
    )
    queryset = base
    if form.is_valid():
        data = form.cleaned_data
        if data.get("commune"):
            queryset = queryset.filter(commune__slug=data["commune"])
        if data["field"]:
            queryset = queryset.filter(field=data["field"])
        if data["online_level"]:
            queryset = queryset.filter(online_level=data["online_level"])
        if data["published"]:
            queryset = queryset.filter(is_published=data["published"] == "1")
        if data["review"]:
            queryset = queryset.filter(needs_review=data["review"] == "1")
        queryset = selectors.search_procedures(queryset, data["q"])
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "show_commune": len(communes) > 1,
        "can_import": request.user.has_perm("procedures.import_procedure"),
        "can_review": request.user.has_perm("procedures.review_procedure"),
    }
    if request.headers.get("HX-Request"):
        return render(request, "procedures/_results.html", context)
    return render(request, "procedures/list.html", context)


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "procedures.view_procedure", "Bạn không có quyền xem danh mục thủ tục.")
    procedure = _procedure(request, pk)
    history = []
    if request.user.has_perm("core.view_auditlog"):
        history = AuditLog.objects.filter(
            app_label="procedures", model="procedure", object_id=str(procedure.pk)
        ).select_related("actor")[:20]
    can_write = request.user.can_write_commune(procedure.commune_id)
    return render(
        request,
        "procedures/detail.html",
        {
            "procedure": procedure,
            "detail": getattr(procedure, "detail", None),
            "groups": selectors.document_groups(procedure),
            "requirements": Requirement.choices,
            "history": history,
            "can_edit": request.user.has_perm("procedures.change_procedure") and can_write,
            "can_review": request.user.has_perm("procedures.review_procedure") and can_write,
        },
    )


@login_required
@require_POST
def parts_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Which parts of the publication a person reviewed (the public page shows those)."""
    require_perm(request.user, "procedures.review_procedure", "Bạn không có quyền rà soát thủ tục.")
    procedure = _procedure(request, pk, write=True)
    try:
        services.procedure_parts_review(
            user=request.user, procedure=procedure, parts=request.POST.getlist("parts")
        )
    except ValidationError as exc:
        messages.error(request, "Chưa lưu: " + " ".join(exc.messages))
    else:
        messages.success(request, f"Đã lưu phần đã rà soát để công khai của thủ tục {procedure.code}.")
    return redirect(f"{reverse('procedures:detail', args=[procedure.pk])}#cong-khai")


@login_required
@require_POST
def document_update(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    """A person's short label or requirement for one line of the required documents."""
    require_perm(request.user, "procedures.review_procedure", "Bạn không có quyền rà soát thủ tục.")
    procedure = _procedure(request, pk, write=True)
    document = get_object_or_404(RequiredDocument, pk=doc, procedure=procedure)
    changes = {k: request.POST[k] for k in ("label", "requirement") if k in request.POST}
    try:
        services.required_document_update(user=request.user, document=document, changes=changes)
    except ValidationError as exc:
        messages.error(request, "Chưa lưu: " + " ".join(exc.messages))
    else:
        messages.success(request, f"Đã lưu giấy tờ số {document.seq} của thủ tục {procedure.code}.")
    return redirect(f"{reverse('procedures:detail', args=[procedure.pk])}#tp-{document.seq}")


@login_required
@require_POST
def details_import(request: HttpRequest) -> HttpResponse:
    """Import the required documents and details shipped with the product (the
    national data) into the user's commune; the report lists what changed."""
    require_perm(request.user, "procedures.import_procedure", "Bạn không có quyền nhập danh mục thủ tục.")
    commune = _working_commune(request)
    if commune is None:
        raise Http404("Chọn một xã.")
    check_commune(request.user, commune.pk, write=True)
    try:
        report = services.procedure_details_import(
            user=request.user,
            commune=commune,
            documents_content=DETAILS_DATA["documents"].read_bytes(),
            details_content=DETAILS_DATA["details"].read_bytes(),
        )
    except ValidationError as exc:
        messages.error(request, "Không nhập được: " + " ".join(exc.messages))
        return redirect("procedures:import")
    return render(request, "procedures/details_report.html", {"report": report})


@login_required
def procedure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "procedures.change_procedure", "Bạn không có quyền sửa thủ tục.")
    procedure = _procedure(request, pk, write=True)
    form = ProcedureForm(request.POST or None, instance=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            services.procedure_update(
                user=request.user,
                procedure=procedure,
                changes=form.changes(),
                clear_review=form.cleaned_data.get("clear_review", False),
                expected_version=form.expected_version,
            )
        except (ValidationError, Conflict) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu thủ tục {procedure.code}.")
            return redirect(_next_url(request, reverse("procedures:detail", args=[procedure.pk])))
    procedure.refresh_from_db()
    return render(
        request,
        "procedures/edit.html",
        {"procedure": procedure, "form": form, "next": _next_url(request, "")},
    )


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "procedures.review_procedure", "Bạn không có quyền rà soát thủ tục.")
    queryset = selectors.catalogue_for(request.user).needing_review()
    query = request.GET.get("q", "")
    queryset = selectors.search_procedures(queryset, query)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "procedures/review.html",
        {"page": page, "q": query, "show_commune": len(request.user.commune_ids()) > 1},
    )


@login_required
@require_POST
def review_clear(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "procedures.review_procedure", "Bạn không có quyền rà soát thủ tục.")
    procedure = _procedure(request, pk, write=True)
    try:
        services.procedure_review_clear(user=request.user, procedure=procedure)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã bỏ cờ cần rà soát của thủ tục {procedure.code}.")
    return redirect(_next_url(request, reverse("procedures:review")))


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "procedures.import_procedure", "Bạn không có quyền nhập danh mục thủ tục.")
    communes = request.user.visible_communes()
    if not request.user.sees_all_units:
        communes = communes.filter(pk=request.user.unit_id)
    form = ImportForm(request.POST or None, request.FILES or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = services.procedure_import_preview(
                user=request.user,
                commune=form.cleaned_data["commune"],
                file_name=upload.name,
                content=upload.read(),
            )
        except ValidationError as exc:
            form.add_error("file", " ".join(exc.messages))
        else:
            return redirect("procedures:import_preview", pk=preview.pk)
    recent = ProcedureImport.objects.filter(commune__in=communes).select_related("commune", "created_by")[:10]
    return render(
        request, "procedures/import.html", {"form": form, "recent": recent, "detail_communes": list(communes)}
    )


def _upload(request: HttpRequest, pk: int) -> ProcedureImport:
    require_perm(request.user, "procedures.import_procedure", "Bạn không có quyền nhập danh mục thủ tục.")
    upload = get_object_or_404(ProcedureImport.objects.select_related("commune", "created_by"), pk=pk)
    check_commune(request.user, upload.commune_id, write=True)
    return upload


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    return render(request, "procedures/import_preview.html", {"upload": upload, "counts": upload.counts})


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    try:
        report = services.procedure_import_apply(user=request.user, upload=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("procedures:import_preview", pk=upload.pk)
    messages.success(request, report.summary())
    return redirect(reverse("procedures:list") + f"?commune={upload.commune.slug}")


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    services.procedure_import_discard(user=request.user, upload=upload)
    messages.info(request, f"Đã hủy tệp {upload.file_name}; danh mục không thay đổi.")
    return redirect("procedures:import")


def _rules_commune(request: HttpRequest, *, write: bool) -> Unit:
    commune = _working_commune(request)
    if commune is None:
        raise Http404("Chọn một xã (?commune=…).")
    check_commune(request.user, commune.pk, write=write)
    return commune


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "procedures.view_departmentrule", "Bạn không có quyền xem bảng phân công.")
    commune = _working_commune(request)
    if commune is None:
        return render(request, "procedures/rules.html", {"communes": request.user.visible_communes()})
    check_commune(request.user, commune.pk)
    can_edit = request.user.has_perm("procedures.change_departmentrule") and request.user.can_write_commune(
        commune.pk
    )
    form = DepartmentRuleForm(request.POST or None, commune=commune)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Bạn không có quyền sửa bảng phân công.")
        if form.is_valid():
            try:
                services.department_rule_save(user=request.user, commune=commune, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Đã thêm phân công lĩnh vực '{form.cleaned_data['keyword']}'.")
                return redirect(reverse("procedures:rules") + f"?commune={commune.slug}")
    rows = DepartmentRule.objects.filter(commune=commune).select_related("department")
    unassigned = (
        Procedure.objects.filter(commune=commune, review_notes__contains="Bộ phận:")
        .order_by()
        .values_list("field", flat=True)
        .distinct()
    )
    return render(
        request,
        "procedures/rules.html",
        {
            "commune": commune,
            "rules": rows,
            "form": form,
            "can_edit": can_edit,
            "unassigned_fields": sorted(set(unassigned)),
        },
    )


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(DepartmentRule.objects.select_related("commune"), pk=pk)
    check_commune(request.user, rule.commune_id, write=True)
    services.department_rule_delete(user=request.user, rule=rule)
    messages.success(request, f"Đã xóa phân công '{rule.keyword}'.")
    return redirect(reverse("procedures:rules") + f"?commune={rule.commune.slug}")


@login_required
@require_POST
def rules_apply(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "procedures.change_departmentrule", "Bạn không có quyền sửa bảng phân công.")
    commune = _rules_commune(request, write=True)
    created = (
        services.department_rules_ensure_defaults(commune=commune) if request.POST.get("defaults") else []
    )
    changed = services.department_rules_apply(user=request.user, commune=commune)
    messages.success(
        request,
        (f"Đã tạo {len(created)} dòng phân công mặc định. " if created else "")
        + f"Đã giao lại bộ phận cho {changed} thủ tục (không đổi các thủ tục đã chọn bộ phận bằng tay).",
    )
    return redirect(reverse("procedures:rules") + f"?commune={commune.slug}")


def review_panel_context(user) -> dict:
    commune = user.home_commune
    return {
        "count": Procedure.objects.filter(commune=commune, needs_review=True).count(),
        "total": Procedure.objects.filter(commune=commune).count(),
    }
