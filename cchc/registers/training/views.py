"""Pages of the training register: courses with their participants, and each
official's training history."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.core.text import search_key
from cchc.org.models import User
from cchc.org.roles import COMMUNE_STAFF

from ..common import services as common_services
from ..common import views as common
from . import services
from .forms import AttendanceForm, CourseFilterForm, CourseForm
from .models import Attendance, Course, Subject
from .spec import SPEC


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    return common.list_page(
        request,
        SPEC,
        form_class=CourseFilterForm,
        queryset=Course.objects.select_related("commune").annotate(
            people=Count("attendances", distinct=True),
            done=Count("attendances", filter=Q(attendances__completed=True), distinct=True),
        ),
        template="registers/training/list.html",
        table_template="registers/training/_table.html",
    )


@login_required
def course_add(request: HttpRequest) -> HttpResponse:
    commune = common.working_commune(request.user, SPEC)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = common.save_form(
            request,
            form,
            lambda: services.course_save(user=request.user, commune=commune, **form.values()),
            "Đã ghi khóa học; thêm người tham gia bên dưới.",
        )
        if course is not None:
            return redirect(SPEC.url("detail", course.pk))
    return _course_form(request, form, None)


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = common.get_record(request.user, SPEC, pk, write=True)
    form = CourseForm(
        request.POST or None, initial={**services.course_values(course), "version": course.version}
    )
    if request.method == "POST" and form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.course_save(
                user=request.user, course=course, expected_version=form.expected_version(), **form.values()
            ),
            "Đã lưu thay đổi.",
        )
        if saved is not None:
            return redirect(SPEC.url("detail", saved.pk))
    return _course_form(request, form, course)


def _course_form(request: HttpRequest, form, course) -> HttpResponse:
    return render(
        request,
        "registers/training/course_form.html",
        {"spec": SPEC, "form": form, "record": course},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def course_detail(request: HttpRequest, pk: int, form: AttendanceForm | None = None) -> HttpResponse:
    course = common.get_record(request.user, SPEC, pk)
    context = common.detail_context(request, SPEC, course)
    if context["can_manage"] and form is None:
        form = AttendanceForm(commune=course.commune, initial={"completed": True})
    context.update(
        attendances=course.attendances.select_related("official", "department"),
        attendance_form=form if context["can_manage"] else None,
    )
    return render(
        request, "registers/training/detail.html", context, status=400 if form and form.errors else 200
    )


@login_required
@require_POST
def course_delete(request: HttpRequest, pk: int) -> HttpResponse:
    course = common.get_record(request.user, SPEC, pk, write=True)
    services.course_delete(user=request.user, course=course)
    messages.success(request, f"Đã xóa khóa “{course.title}” và danh sách người học.")
    return redirect(SPEC.url("list"))


@login_required
@require_POST
def attendance_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = common.get_record(request.user, SPEC, pk, write=True)
    form = AttendanceForm(request.POST, commune=course.commune)
    if form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.attendance_save(user=request.user, course=course, **form.values()),
            "Đã thêm người tham gia.",
        )
        if saved is not None:
            return redirect(SPEC.url("detail", course.pk))
    return course_detail(request, pk, form)


def _attendance(request: HttpRequest, pk: int, *, write: bool = False) -> Attendance:
    attendance = get_object_or_404(Attendance.objects.select_related("course", "official"), pk=pk)
    common_services.check_view(request.user, SPEC, attendance.commune_id)
    if write:
        common_services.check_manage(request.user, SPEC, attendance.commune_id)
    return attendance


@login_required
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = _attendance(request, pk, write=True)
    form = AttendanceForm(
        request.POST or None,
        commune=attendance.course.commune,
        initial={**services.attendance_values(attendance), "version": attendance.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = common.save_form(
            request,
            form,
            lambda: services.attendance_save(
                user=request.user,
                attendance=attendance,
                expected_version=form.expected_version(),
                **form.values(),
            ),
            "Đã lưu.",
        )
        if saved is not None:
            return redirect(SPEC.url("detail", attendance.course_id))
    context = {
        "spec": SPEC,
        "form": form,
        "record": attendance,
        "course": attendance.course,
        "attachments": common_services.attachments_of(attendance),
        "history": common.history(attendance),
        "can_manage": True,
    }
    return render(
        request,
        "registers/training/attendance_form.html",
        context,
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def attendance_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = _attendance(request, pk, write=True)
    services.attendance_delete(user=request.user, attendance=attendance)
    messages.success(request, f"Đã bỏ {attendance.person_name} khỏi danh sách.")
    return redirect(SPEC.url("detail", attendance.course_id))


@login_required
@require_POST
def course_attach(request: HttpRequest, pk: int) -> HttpResponse:
    course = common.get_record(request.user, SPEC, pk, write=True)
    return common.attachment_upload(request, SPEC, course, SPEC.url("detail", course.pk))


@login_required
@require_POST
def attendance_attach(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = _attendance(request, pk, write=True)
    return common.attachment_upload(request, SPEC, attendance, SPEC.url("attendance_edit", attendance.pk))


# --- people ---------------------------------------------------------------------------------
def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@login_required
def officials(request: HttpRequest) -> HttpResponse:
    """Every official of the user's communes with what they completed in a year:
    who has not been trained yet, who has had CCHC or digital-skills training."""
    common_services.check_view(request.user, SPEC)
    year = _year(request)
    people = (
        User.objects.filter(unit_id__in=request.user.commune_ids(), role__in=COMMUNE_STAFF, is_active=True)
        .select_related("unit", "department")
        .order_by("unit__name", "full_name")
    )
    lines = Attendance.objects.filter(
        official__in=people,
        completed=True,
        course__ends_on__gte=date(year, 1, 1),
        course__ends_on__lte=date(year, 12, 31),
    ).select_related("course")
    summary: dict[int, dict] = {}
    for line in lines:
        row = summary.setdefault(
            line.official_id, {"courses": 0, "hours": 0, "cchc": False, "digital": False}
        )
        row["courses"] += 1
        row["hours"] += line.effective_hours or 0
        row["cchc"] |= Subject.CCHC in line.course.subject_list
        row["digital"] |= Subject.DIGITAL in line.course.subject_list
    rows = [(u, summary.get(u.pk)) for u in people]
    return render(
        request,
        "registers/training/officials.html",
        {
            "spec": SPEC,
            "rows": rows,
            "year": year,
            "trained": sum(1 for _, s in rows if s),
            "multi_commune": len(request.user.commune_ids()) > 1,
        },
    )


@login_required
def official_history(request: HttpRequest, user_pk: int) -> HttpResponse:
    common_services.check_view(request.user, SPEC)
    person = get_object_or_404(User.objects.select_related("unit", "department"), pk=user_pk)
    if person.unit_id is None or not request.user.can_see_commune(person.unit_id):
        raise Http404("Không tìm thấy.")
    lines = Attendance.objects.filter(official=person).select_related("course").order_by("-course__starts_on")
    return _history(request, person.full_name or person.username, person, lines)


@login_required
def person_history(request: HttpRequest) -> HttpResponse:
    """The history of someone without an account, by name, in the user's communes."""
    common_services.check_view(request.user, SPEC)
    name = request.GET.get("ten", "")
    key = search_key(name)
    if not key:
        raise Http404("Không tìm thấy.")
    lines = (
        Attendance.objects.filter(
            commune_id__in=request.user.commune_ids(), official__isnull=True, person_key=key
        )
        .select_related("course")
        .order_by("-course__starts_on")
    )
    if not lines:
        raise Http404("Không tìm thấy.")
    return _history(request, lines[0].person_name, None, lines)


def _history(request: HttpRequest, name: str, person, lines) -> HttpResponse:
    lines = list(lines)
    total = sum((line.effective_hours or 0) for line in lines if line.completed)
    return render(
        request,
        "registers/training/person.html",
        {"spec": SPEC, "name": name, "person": person, "lines": lines, "hours": total},
    )
