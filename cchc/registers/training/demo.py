"""Demo training register of xã Đức Xương (plan II.5c: train officials under the
district's plan): each year a CCHC and procedure-control course run by the province
for the officials who handle procedures, a digital-skills course for everyone
(village heads too, without accounts), a civil-status course, and the state
management programme for one official. `demo_courses(today)` is plain data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cchc.core.demo import DemoLog
from cchc.org.models import Unit, User

from . import services
from .models import Course, Mode, Subject

EVERYONE = [
    "chutich",
    "phochutich",
    "vanphong",
    "motcua",
    "tuphap",
    "taichinh",
    "vanhoa",
    "diachinh",
    "truyenthanh",
]
VILLAGE = [("Nguyễn Văn Hùng", "Trưởng thôn Đồng Tâm"), ("Trần Thị Thu", "Trưởng thôn Phú Xá")]


def _course(
    title,
    subjects,
    starts,
    ends,
    hours,
    organiser,
    people,
    *,
    mode=Mode.IN_PERSON,
    planned=None,
    certificate=False,
    place="",
    absent=(),
):
    return dict(
        title=title,
        subjects=subjects,
        starts_on=starts,
        ends_on=ends,
        hours=Decimal(hours),
        organiser=organiser,
        mode=mode,
        place=place,
        certificate=certificate,
        in_plan=planned is not None,
        planned_participants=planned,
        people=[(p, p in absent) for p in people],
    )


def demo_courses(today: date) -> list[dict]:
    courses = []
    for y in (2024, 2025, 2026):
        courses += [
            _course(
                f"Bồi dưỡng kiến thức, kỹ năng về cải cách hành chính và kiểm soát thủ tục hành chính năm {y}",
                [Subject.CCHC],
                date(y, 4, 16),
                date(y, 4, 17),
                16,
                "Sở Nội vụ tỉnh",
                ["phochutich", "vanphong", "motcua", "tuphap"],
                planned=4,
                certificate=True,
                place="Trường Chính trị tỉnh",
            ),
            _course(
                f"Bồi dưỡng kỹ năng số, khai thác dữ liệu dân cư và VNeID cho cán bộ cấp xã năm {y}",
                [Subject.DIGITAL, Subject.CCHC] if y == 2025 else [Subject.DIGITAL],
                date(y, 7, 10),
                date(y, 7, 10),
                8,
                "Sở Thông tin và Truyền thông" if y < 2025 else "Sở Khoa học và Công nghệ",
                EVERYONE + [name for name, _ in VILLAGE],
                mode=Mode.ONLINE,
                planned=9,
                absent=("truyenthanh",) if y == 2024 else (),
            ),
            _course(
                f"Tập huấn nghiệp vụ hộ tịch, chứng thực năm {y}",
                [Subject.PROFESSIONAL],
                date(y, 5, 22),
                date(y, 5, 22),
                8,
                "Sở Tư pháp tỉnh",
                ["tuphap"],
                planned=1,
            ),
        ]
    courses.append(
        _course(
            "Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên",
            [Subject.STATE_MANAGEMENT],
            date(2024, 9, 9),
            date(2024, 11, 29),
            240,
            "Trường Chính trị tỉnh",
            ["diachinh"],
            planned=1,
            certificate=True,
        )
    )
    courses.append(
        _course(
            "Hội nghị quán triệt quy tắc ứng xử, văn hóa công vụ",
            [Subject.ETHICS],
            date(2025, 3, 12),
            date(2025, 3, 12),
            4,
            "UBND xã",
            EVERYONE,
            place="Hội trường UBND xã",
        )
    )
    return [c for c in courses if c["ends_on"] <= today]


def load(log: DemoLog, today: date) -> None:
    commune = Unit.objects.filter(slug="ducxuong").first()
    if commune is None:
        return
    users = {u.username: u for u in User.objects.filter(unit=commune)}
    office = users.get("vanphong")
    made = had = 0
    for data in demo_courses(today):
        if Course.objects.filter(commune=commune, title=data["title"], starts_on=data["starts_on"]).exists():
            had += 1
            continue
        values = {k: v for k, v in data.items() if k != "people"}
        course = services.course_save(user=office, commune=commune, today=today, **values)
        positions = dict(VILLAGE)
        for name, absent in data["people"]:
            person = users.get(name)
            _attend(office, course, person, name, positions, absent, data)
        made += 1
    if made:
        log.made(f"{made} khóa đào tạo, bồi dưỡng ({commune})", count=made)
    if had:
        log.had(f"{had} khóa đào tạo, bồi dưỡng ({commune})", count=had)


def _attend(office, course, person, name, positions, absent, data) -> None:
    certified = data["certificate"] and not absent
    values = dict(
        completed=not absent,
        certificate_no=f"{course.starts_on:%Y}/{course.pk:03d}/{(person.pk if person else 0):03d}"
        if certified
        else "",
        certificate_on=data["ends_on"] if certified else None,
    )
    if person is not None:
        values["official"] = person
    else:
        values.update(person_name=name, position=positions.get(name, ""))
    services.attendance_save(user=office, course=course, **values)
