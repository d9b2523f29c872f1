"""Writing the training register: courses, the people on them, and importing a
list of participants course by course."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cchc.core.text import clean_text, search_key
from cchc.org.models import Unit, User
from cchc.org.roles import COMMUNE_STAFF

from ..common import services as common
from .models import Attendance, Course, Mode, Subject, subjects_value

COURSE_FIELDS = (
    "title",
    "subjects",
    "organiser",
    "mode",
    "starts_on",
    "ends_on",
    "hours",
    "place",
    "certificate",
    "in_plan",
    "planned_participants",
    "note",
)
ATTENDANCE_FIELDS = (
    "official",
    "person_name",
    "position",
    "department",
    "completed",
    "hours",
    "certificate_no",
    "certificate_on",
    "note",
)


def _spec():
    from .spec import SPEC

    return SPEC


def _block(value: str) -> str:
    lines = [clean_text(line) for line in (value or "").splitlines()]
    return "\n".join(line for line in lines if line)


def clean_course(values: dict, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    unknown = set(values) - set(COURSE_FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    out = dict(values)
    for name in ("title", "organiser", "place"):
        out[name] = clean_text(out.get(name) or "")
    out["note"] = _block(out.get("note") or "")
    subjects = out.get("subjects") or []
    if isinstance(subjects, str):
        subjects = [c for c in subjects.strip(",").split(",") if c]
    errors: dict[str, str] = {}
    if not out["title"]:
        errors["title"] = "Cần tên khóa, lớp đào tạo, bồi dưỡng."
    if not subjects:
        errors["subjects"] = "Chọn ít nhất một chủ đề (ví dụ: cải cách hành chính, kỹ năng số)."
    elif set(subjects) - set(Subject.values):
        errors["subjects"] = "Chủ đề không hợp lệ."
    out["subjects"] = subjects_value(subjects)
    if (out.get("mode") or Mode.IN_PERSON) not in Mode.values:
        errors["mode"] = "Hình thức không hợp lệ."
    out["mode"] = out.get("mode") or Mode.IN_PERSON
    starts, ends = out.get("starts_on"), out.get("ends_on")
    if starts is None:
        errors["starts_on"] = "Cần ngày bắt đầu."
    if ends is None and starts is not None:
        out["ends_on"] = ends = starts
    if starts and ends and ends < starts:
        errors["ends_on"] = "Ngày kết thúc trước ngày bắt đầu."
    elif starts and starts > today:
        errors["starts_on"] = "Sổ ghi khóa học đã diễn ra: ngày bắt đầu không được sau hôm nay."
    if out.get("hours") is not None and out["hours"] <= 0:
        errors["hours"] = "Số giờ phải lớn hơn 0."
    out["certificate"] = bool(out.get("certificate"))
    out["in_plan"] = bool(out.get("in_plan", True))
    if out.get("planned_participants") is not None and not out["in_plan"]:
        errors["planned_participants"] = "Chỉ khóa thuộc kế hoạch mới có số người cử đi theo kế hoạch."
    if errors:
        raise ValidationError(errors)
    return out


def course_values(course: Course) -> dict:
    values = {name: getattr(course, name) for name in COURSE_FIELDS}
    values["subjects"] = course.subject_list
    return values


@transaction.atomic
def course_save(
    *,
    user: User | None,
    commune: Unit | None = None,
    course: Course | None = None,
    expected_version: int | None = None,
    today: date | None = None,
    **values: Any,
) -> Course:
    if course is None:
        common.check_manage(user, _spec(), commune.pk)
        course = Course(commune=commune)
    else:
        common.check_manage(user, _spec(), course.commune_id)
        course = common.lock(course, expected_version)
        values = {**course_values(course), **values}
    values = clean_course(values, today=today)
    for name, value in values.items():
        setattr(course, name, value)
    common.stamp(course, user)
    course.save()
    return course


@transaction.atomic
def course_delete(*, user: User | None, course: Course, expected_version: int | None = None) -> None:
    common.check_manage(user, _spec(), course.commune_id)
    course = common.lock(course, expected_version)
    for attendance in course.attendances.all():
        attendance.delete()  # one audit row each: who was on the course is history too
    course.delete()


def officials(commune: Unit) -> QuerySet[User]:
    """The commune's officials (accounts with a commune role), for pick lists."""
    return User.objects.filter(unit=commune, role__in=COMMUNE_STAFF).order_by("full_name", "username")


def clean_attendance(values: dict, *, course: Course) -> dict:
    unknown = set(values) - set(ATTENDANCE_FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    out = dict(values)
    for name in ("person_name", "position", "certificate_no", "note"):
        out[name] = clean_text(out.get(name) or "")
    errors: dict[str, str] = {}
    person = out.get("official")
    if person is not None:
        if person.unit_id != course.commune_id or person.role not in COMMUNE_STAFF:
            errors["official"] = "Người học phải là cán bộ, công chức của xã."
        out["person_name"] = person.full_name or person.username
        if not out["position"]:
            out["position"] = person.position
        if out.get("department") is None:
            out["department"] = person.department
    elif not out["person_name"]:
        errors["person_name"] = "Chọn cán bộ, công chức hoặc ghi họ tên người tham gia."
    department = out.get("department")
    if department is not None and department.commune_id != course.commune_id:
        errors["department"] = "Bộ phận phải thuộc xã."
    out["completed"] = bool(out.get("completed", True))
    if out.get("hours") is not None and out["hours"] <= 0:
        errors["hours"] = "Số giờ phải lớn hơn 0."
    if out.get("certificate_on") and out["certificate_on"] < course.starts_on:
        errors["certificate_on"] = "Ngày cấp chứng chỉ trước ngày bắt đầu khóa học."
    if (out["certificate_no"] or out.get("certificate_on")) and not out["completed"]:
        errors["completed"] = "Người chưa hoàn thành khóa học thì chưa có chứng chỉ."
    if errors:
        raise ValidationError(errors)
    return out


def attendance_values(attendance: Attendance) -> dict:
    return {name: getattr(attendance, name) for name in ATTENDANCE_FIELDS}


@transaction.atomic
def attendance_save(
    *,
    user: User | None,
    course: Course | None = None,
    attendance: Attendance | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> Attendance:
    """Put a person on a course, or change their line (completion, hours, certificate)."""
    if attendance is None:
        common.check_manage(user, _spec(), course.commune_id)
        attendance = Attendance(course=course, commune_id=course.commune_id)
    else:
        common.check_manage(user, _spec(), attendance.commune_id)
        attendance = common.lock(attendance, expected_version)
        values = {**attendance_values(attendance), **values}
        course = attendance.course
    values = clean_attendance(values, course=course)
    others = Attendance.objects.filter(course=course).exclude(pk=attendance.pk)
    if values.get("official") is not None and others.filter(official=values["official"]).exists():
        raise ValidationError({"official": f"{values['person_name']} đã có trong danh sách khóa học này."})
    if others.filter(person_key=search_key(values["person_name"])).exists():
        raise ValidationError({"person_name": f"{values['person_name']} đã có trong danh sách khóa học này."})
    for name, value in values.items():
        setattr(attendance, name, value)
    common.stamp(attendance, user)
    attendance.save()
    return attendance


@transaction.atomic
def attendance_delete(*, user: User | None, attendance: Attendance) -> None:
    common.check_manage(user, _spec(), attendance.commune_id)
    attendance.delete()


@transaction.atomic
def course_import(
    *, user: User | None, commune: Unit, course: Course | None, values: dict, people: list[dict]
) -> Course:
    """A course of an imported list with its participants: the course is created or
    updated; each person is added, or their line updated (no one is removed)."""
    if course is None:
        course = course_save(user=user, commune=commune, **values)
    else:
        course = course_save(user=user, course=course, **values)
    existing = {a.person_key: a for a in course.attendances.all()}
    for person in people:
        line = existing.get(search_key(person["person_name"]))
        if line is None and person.get("official") is not None:
            line = next((a for a in existing.values() if a.official_id == person["official"].pk), None)
        if line is None:
            attendance_save(user=user, course=course, **person)
        elif any(getattr(line, k) != v for k, v in person.items()):
            attendance_save(user=user, attendance=line, **person)
    return course
