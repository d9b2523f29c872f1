"""The import pages: upload a plan document, see it parsed next to its source text,
correct any field, save it as a draft plan (or drop it). Thin: services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cchc.core.forms import service_error_messages
from cchc.core.permissions import check_commune, require_perm
from cchc.core.workflow import Conflict

from ..views import get_plan
from . import services
from .forms import AreaImportForm, HeaderForm, TaskImportForm, UploadForm
from .models import ImportStatus, PlanImport
from .spacing import KIND_LABELS


def _office_commune(user):
    commune = user.home_commune
    if commune is None or not user.has_perm("plans.edit_plan") or not user.can_write_commune(commune.pk):
        raise PermissionDenied("Chỉ cơ quan thường trực CCHC của xã được nhập kế hoạch.")
    return commune


def get_import(user, pk: int) -> PlanImport:
    record = get_object_or_404(PlanImport.objects.select_related("commune", "plan"), pk=pk)
    check_commune(user, record.commune_id, write=True)
    require_perm(user, "plans.edit_plan", "Chỉ cơ quan thường trực CCHC được nhập kế hoạch.")
    return record


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    commune = _office_commune(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.plan_import_read(
                user=request.user,
                commune=commune,
                upload=form.cleaned_data["file"],
                year=form.cleaned_data["year"],
            )
        except ValidationError as exc:
            for message in service_error_messages(exc):
                form.add_error(None, message)
        else:
            return redirect("plans:import_preview", record.pk)
    pending = PlanImport.objects.filter(commune=commune, status=ImportStatus.PENDING)[:10]
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/importing/upload.html", {"form": form, "pending": pending}, status=status)


def _forms(record: PlanImport, data=None):
    initial = services.initial_data(record.parsed)
    header = HeaderForm(data, prefix="h", initial={k: v for k, v in initial.items() if k != "areas"})
    areas = []
    parsed_areas = record.parsed.get("areas", [])
    for i, area in enumerate(initial["areas"]):
        area_form = AreaImportForm(data, prefix=f"a{i}", initial=area)
        tasks = []
        for j, task in enumerate(area["tasks"]):
            form = TaskImportForm(data, prefix=f"a{i}-t{j}", initial=task, commune=record.commune)
            tasks.append((form, parsed_areas[i]["tasks"][j]))
        areas.append((area_form, tasks, parsed_areas[i]))
    return header, areas


def _data(header, areas) -> dict:
    data = dict(header.cleaned_data)
    data["areas"] = []
    for area_form, tasks, _parsed in areas:
        area = dict(area_form.cleaned_data)
        area["tasks"] = []
        for form, parsed in tasks:
            task = dict(form.cleaned_data)
            task["lead"] = task["lead"].pk if task["lead"] else None
            task["coordinating"] = [d.pk for d in task["coordinating"]]
            time = parsed.get("time") or {}
            if time.get("text") and not time.get("understood", True):
                # The officer kept a timing the importer did not understand: keep its words.
                task["content"] = f"{task['content']}\nThời gian (theo văn bản gốc): {time['text']}".strip()
            area["tasks"].append(task)
        data["areas"].append(area)
    return data


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_import(request.user, pk)
    if record.status == ImportStatus.SAVED and record.plan_id:
        messages.info(request, "Lần nhập này đã được lưu thành dự thảo.")
        return redirect("plans:plan_detail", record.plan_id)
    if record.status != ImportStatus.PENDING:
        messages.error(request, "Lần nhập này đã hủy; hãy tải tệp lên lại.")
        return redirect("plans:import_upload")
    errors: list[str] = []
    if request.method == "POST" and "discard" in request.POST:
        services.plan_import_discard(user=request.user, record=record)
        messages.success(request, f"Đã hủy lần nhập tệp “{record.original_name}”.")
        return redirect("plans:plan_list")
    header, areas = _forms(record, request.POST if request.method == "POST" else None)
    replace = request.POST.get("replace") == "1"
    if request.method == "POST":
        valid = header.is_valid() & all(
            a.is_valid() & all(f.is_valid() for f, _ in tasks) for a, tasks, _ in areas
        )
        if valid:
            try:
                plan = services.plan_import_save(
                    user=request.user, record=record, data=_data(header, areas), replace=replace
                )
            except (ValidationError, Conflict) as exc:
                errors = service_error_messages(exc)
            else:
                messages.success(
                    request, f"Đã lưu dự thảo kế hoạch năm {plan.year} từ tệp “{record.original_name}”."
                )
                return redirect("plans:plan_detail", plan.pk)
        else:
            errors = ["Có trường chưa hợp lệ (đánh dấu đỏ bên dưới): sửa rồi lưu lại."]
    parsed = record.parsed
    year = header["year"].value() or record.year
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    existing = services.existing_plan(record, year)
    repairs: dict[tuple, dict] = {}
    for r in parsed.get("repairs", []):
        item = repairs.setdefault(
            (r["before"], r["after"]), {**r, "lines": [], "kind_label": KIND_LABELS.get(r["kind"], r["kind"])}
        )
        item["lines"].append(r["line"])
    repaired_lines = {r["line"] for r in parsed.get("repairs", [])}
    doubt_lines = {d["line"] for d in parsed.get("doubts", [])}
    source = [
        {"n": n, "text": text, "repaired": n in repaired_lines, "doubt": n in doubt_lines}
        for n, text in enumerate(parsed.get("source_lines", []), start=1)
    ]
    context = {
        "record": record,
        "parsed": parsed,
        "header": header,
        "areas": areas,
        "errors": errors,
        "existing": existing,
        "replace": replace or (existing is not None and existing.same_file and existing.replaceable),
        "repairs": list(repairs.values()),
        "source": source,
        "task_count": sum(len(t) for _, t, _ in areas),
    }
    return render(request, "plans/importing/preview.html", context, status=400 if errors else 200)


@login_required
def import_source(request: HttpRequest, pk: int, import_pk: int) -> FileResponse:
    """The plan's source file, to those who may read the plan."""
    plan = get_plan(request.user, pk)
    record = get_object_or_404(PlanImport, pk=import_pk, plan=plan)
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.original_name)
