"""The training register's sheet: one row per person on a course (the course's
columns repeated on each of its rows, as communes keep these lists); a course with
no one recorded yet is one row with the person's columns empty."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cchc.core import sheets
from cchc.core.sheets import Column, SheetRow
from cchc.core.text import search_key

from ..common import registry
from ..common.lookups import Departments, Officials
from ..common.registry import ImportContext, ImportItem, RegisterSpec
from . import services
from .models import Attendance, Course, Mode, Subject

SUBJECT_ALIASES = {
    "cchc": Subject.CCHC,
    "tthc": Subject.CCHC,
    "thu tuc hanh chinh": Subject.CCHC,
    "chuyen doi so": Subject.DIGITAL,
    "ky nang so": Subject.DIGITAL,
    "cong nghe thong tin": Subject.DIGITAL,
    "cntt": Subject.DIGITAL,
    "chuyen mon": Subject.PROFESSIONAL,
    "nghiep vu": Subject.PROFESSIONAL,
    "qlnn": Subject.STATE_MANAGEMENT,
    "ly luan chinh tri": Subject.POLITICAL,
    "chinh tri": Subject.POLITICAL,
    "van hoa cong vu": Subject.ETHICS,
    "dao duc cong vu": Subject.ETHICS,
    "quoc phong": Subject.DEFENCE,
    "qp an": Subject.DEFENCE,
    "khac": Subject.OTHER,
}
MODE_ALIASES = {"tap trung": Mode.IN_PERSON, "truc tiep": Mode.IN_PERSON, "online": Mode.ONLINE}

COURSE_COLUMNS = [
    Column(
        "title",
        "Tên khóa, lớp",
        ("tên khóa học", "tên lớp", "khóa học", "nội dung bồi dưỡng"),
        sheets.text_of(300),
        needed=True,
    ),
    Column("subjects", "Chủ đề", ("lĩnh vực",), sheets.choices_list(Subject, SUBJECT_ALIASES), empty=[]),
    Column("organiser", "Đơn vị tổ chức", ("cơ quan tổ chức", "đơn vị mở lớp"), sheets.text_of(200)),
    Column("mode", "Hình thức", ("hình thức học",), sheets.choice(Mode, MODE_ALIASES), empty=Mode.IN_PERSON),
    Column(
        "starts_on", "Từ ngày", ("ngày bắt đầu", "thời gian bắt đầu"), sheets.day, needed=True, empty=None
    ),
    Column("ends_on", "Đến ngày", ("ngày kết thúc", "thời gian kết thúc"), sheets.day, empty=None),
    Column("hours", "Số giờ", ("số tiết", "thời lượng"), sheets.decimal, empty=None),
    Column("place", "Địa điểm", (), sheets.text_of(200)),
    Column("certificate", "Có chứng chỉ", ("cấp chứng chỉ",), sheets.boolean, empty=False),
    Column("in_plan", "Thuộc kế hoạch", ("theo kế hoạch",), sheets.boolean, empty=True),
    Column(
        "planned_participants",
        "Số người cử đi theo kế hoạch",
        ("số người theo kế hoạch",),
        sheets.integer,
        empty=None,
    ),
]
PERSON_COLUMNS = [
    Column("person_name", "Họ và tên", ("họ tên", "người tham gia", "tên đăng nhập"), sheets.text_of(150)),
    Column("position", "Chức vụ, chức danh", ("chức vụ", "chức danh"), sheets.text_of(150)),
    Column("department", "Bộ phận", ("đơn vị công tác",)),
    Column("completed", "Hoàn thành", ("kết quả",), sheets.boolean, empty=True),
    Column("person_hours", "Số giờ học", ("số giờ thực học",), sheets.decimal, empty=None),
    Column("certificate_no", "Số chứng chỉ", ("số giấy chứng nhận",), sheets.text_of(100)),
    Column("certificate_on", "Ngày cấp chứng chỉ", ("ngày cấp",), sheets.day, empty=None),
    Column("person_note", "Ghi chú", (), sheets.text_of(300)),
]
COLUMNS = COURSE_COLUMNS + PERSON_COLUMNS


def _course_cells(c: Course) -> list:
    return [
        c.title,
        c.subjects_display,
        c.organiser,
        c.get_mode_display(),
        c.starts_on,
        c.ends_on,
        c.hours,
        c.place,
        "Có" if c.certificate else "Không",
        "Có" if c.in_plan else "Không",
        c.planned_participants,
    ]


def export_rows(qs) -> list[list]:
    rows = []
    for course in qs.prefetch_related("attendances__department", "attendances__official"):
        head = _course_cells(course)
        people = list(course.attendances.all())
        if not people:
            rows.append(head + [""] * len(PERSON_COLUMNS))
        for a in people:
            rows.append(
                head
                + [
                    a.person_name,
                    a.position,
                    a.department.name if a.department else "",
                    "Có" if a.completed else "Không",
                    a.hours,
                    a.certificate_no,
                    a.certificate_on,
                    a.note,
                ]
            )
    return rows


def _errors_into(row: SheetRow, exc: ValidationError) -> None:
    for messages in exc.message_dict.values():
        for message in messages:
            row.error(message[0].lower() + message[1:])


def plan_import(ctx: ImportContext) -> list[ImportItem]:
    departments = Departments(ctx.commune)
    officials = Officials(ctx.commune)
    existing = {
        (search_key(c.title), c.starts_on): c
        for c in Course.objects.filter(commune=ctx.commune).prefetch_related("attendances")
    }
    groups: dict[tuple, list[SheetRow]] = {}
    for row in ctx.sheet.rows:
        if row.errors:
            continue
        groups.setdefault((search_key(row["title"]), row["starts_on"]), []).append(row)
    items: list[ImportItem] = []
    for key, rows in groups.items():
        first = rows[0]
        values = {c.key: first[c.key] for c in COURSE_COLUMNS}
        for row in rows[1:]:
            differ = [c.label.lower() for c in COURSE_COLUMNS if row[c.key] != first[c.key]]
            if differ:
                row.error(f"cùng khóa học với dòng {first.line} nhưng khác {', '.join(differ)}.")
        try:
            values = services.clean_course(values)
        except ValidationError as exc:
            _errors_into(first, exc)
            continue
        course = existing.get(key)
        probe = course or Course(commune=ctx.commune, **values)
        people: list[dict] = []
        seen: dict[str, int] = {}
        for row in rows:
            if not row["person_name"]:
                continue
            person = {
                "official": None,
                "person_name": row["person_name"],
                "position": row["position"],
                "department": departments.find(row["department"], row),
                "completed": row["completed"],
                "hours": row["person_hours"],
                "certificate_no": row["certificate_no"],
                "certificate_on": row["certificate_on"],
                "note": row["person_note"],
            }
            person["official"], _ = officials.find(row["person_name"], row)
            if row.errors:
                continue
            try:
                person = services.clean_attendance(person, course=probe)
            except ValidationError as exc:
                _errors_into(row, exc)
                continue
            pkey = search_key(person["person_name"])
            if pkey in seen:
                row.error(f"{person['person_name']} đã có ở dòng {seen[pkey]} của cùng khóa học.")
                continue
            seen[pkey] = row.line
            people.append(person)
        if any(r.errors for r in rows):
            continue
        accounts = sum(p["official"] is not None for p in people)
        details = f"{len(people)} người ({accounts} có tài khoản, {len(people) - accounts} ghi theo tên)"
        text = f"{values['title']} ({values['starts_on']:%d/%m/%Y})"
        if course is None:
            items.append(ImportItem(first.line, "create", text, _writer(ctx, None, values, people), details))
        elif _unchanged(course, values, people):
            items.append(ImportItem(first.line, "unchanged", text, details=details))
        else:
            items.append(
                ImportItem(first.line, "update", text, _writer(ctx, course, values, people), details)
            )
    return sorted(items, key=lambda i: i.line)


def _unchanged(course: Course, values: dict, people: list[dict]) -> bool:
    if any(getattr(course, k) != v for k, v in values.items()):
        return False
    lines = {a.person_key: a for a in course.attendances.all()}
    for person in people:
        line = lines.get(search_key(person["person_name"]))
        if line is None or any(getattr(line, k) != v for k, v in person.items()):
            return False
    return True


def _writer(ctx: ImportContext, course, values: dict, people: list[dict]):
    return lambda: services.course_import(
        user=ctx.user, commune=ctx.commune, course=course, values=values, people=people
    )


SPEC = registry.register(
    RegisterSpec(
        key="training",
        label="Sổ theo dõi đào tạo, bồi dưỡng cán bộ, công chức",
        short_label="Đào tạo, bồi dưỡng",
        model=Course,
        manage_perm="registers.manage_training",
        columns=COLUMNS,
        export_row=lambda course: _course_cells(course),
        export_rows=export_rows,
        plan_import=plan_import,
        export_title="SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC",
        export_widths=[36, 22, 22, 11, 11, 11, 8, 18, 9, 9, 9, 22, 22, 20, 9, 8, 14, 11, 18],
        import_help=(
            "Mỗi dòng một người tham gia một khóa học; các cột của khóa học ghi lặp lại ở mỗi dòng (các dòng cùng "
            "tên khóa và ngày bắt đầu là một khóa). Họ tên trùng tài khoản của xã thì ghi vào lịch sử đào tạo của "
            "cán bộ đó; người không có tài khoản được ghi theo tên. Nhập lại không xóa người đã có."
        ),
        nav_order=64,
        extra={"models": (Attendance,)},
    )
)
