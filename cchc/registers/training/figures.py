"""Figures of the training register (docs/registers.md, "Đào tạo, bồi dưỡng").

A course belongs to the window when its last day (`ends_on`) falls in it (both ends
included): that is when it was completed. "Officials" are the commune's active
accounts with a commune role (chairman, vice-chairmen, CCHC office, department and
one-stop officers) at the time the figure is computed — the product keeps no
staffing history, so a past window is measured against today's staff (accounts
are usually created when the product is installed, after the fact). An official
is "trained" when they completed at least one course of the window (people without
an account count in the attendances, not in the share of officials). Filter:
`subject` (a course covering several subjects counts for each).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from cchc.core.figures import PERCENT, Figure, Scope, percent, register
from cchc.org.models import User
from cchc.org.roles import COMMUNE_STAFF

from .models import Attendance, Course, Subject

SOURCE = (
    "Nghị định 101/2017/NĐ-CP về đào tạo, bồi dưỡng cán bộ, công chức, viên chức (sửa đổi bởi Nghị định "
    "89/2021/NĐ-CP); Kế hoạch CCHC của xã, mục II.5c; docs/registers.md"
)
FILTERS = frozenset({"subject"})


@dataclass(frozen=True)
class TrainingCounts:
    officials: int
    trained: int
    trained_cchc: int
    trained_digital: int
    courses: int
    attendances: int
    people: int
    hours: Decimal
    planned: int
    planned_attended: int

    @property
    def trained_share(self) -> Decimal | None:
        return percent(self.trained, self.officials)

    @property
    def cchc_share(self) -> Decimal | None:
        return percent(self.trained_cchc, self.officials)

    @property
    def digital_share(self) -> Decimal | None:
        return percent(self.trained_digital, self.officials)

    @property
    def plan_rate(self) -> Decimal | None:
        return percent(self.planned_attended, self.planned)


def courses(scope: Scope) -> QuerySet[Course]:
    qs = Course.objects.filter(
        commune_id__in=scope.commune_ids, ends_on__gte=scope.date_from, ends_on__lte=scope.date_to
    )
    if scope.get("subject"):
        qs = qs.with_subject(scope.get("subject"))
    return qs


def completed(scope: Scope) -> QuerySet[Attendance]:
    """The completed attendances of the window's courses."""
    return Attendance.objects.filter(course__in=courses(scope), completed=True)


def officials(scope: Scope) -> QuerySet[User]:
    return User.objects.filter(unit_id__in=scope.commune_ids, role__in=COMMUNE_STAFF, is_active=True)


def _trained_users(scope: Scope, subject: str | None = None):
    qs = completed(scope).filter(official__in=officials(scope))
    if subject:
        qs = qs.filter(course__subjects__contains=f",{subject},")
    return qs.values("official_id").distinct().count()


def training_counts(scope: Scope) -> TrainingCounts:
    done = completed(scope)
    totals = done.aggregate(
        attendances=Count("id"),
        people=Count("person_key", distinct=True),
        hours_own=Sum("hours"),
    )
    # Hours: a person's own hours where recorded, else the course's.
    hours = Decimal(totals["hours_own"] or 0) + Decimal(
        done.filter(hours__isnull=True).aggregate(h=Sum("course__hours"))["h"] or 0
    )
    plan = courses(scope).filter(in_plan=True)
    return TrainingCounts(
        officials=officials(scope).count(),
        trained=_trained_users(scope),
        trained_cchc=_trained_users(scope, Subject.CCHC),
        trained_digital=_trained_users(scope, Subject.DIGITAL),
        courses=courses(scope).count(),
        attendances=totals["attendances"],
        people=_people(done),
        hours=hours,
        planned=plan.aggregate(n=Sum("planned_participants"))["n"] or 0,
        planned_attended=done.filter(course__in=plan).count(),
    )


def _people(done) -> int:
    """Distinct persons: officials by account, others by name."""
    accounts = done.filter(official__isnull=False).values("official_id").distinct().count()
    names = done.filter(official__isnull=True).values("person_key").distinct().count()
    return accounts + names


def _figure(key, label, unit, definition, pick, records=None, **kw) -> Figure:
    return Figure(
        key=key,
        label=label,
        unit=unit,
        definition=definition,
        source=SOURCE,
        provider=training_counts,
        pick=pick,
        filters=FILTERS,
        records=records,
        **kw,
    )


OFFICIALS = _figure(
    "training.officials",
    "Số cán bộ, công chức của xã",
    "người",
    "Tài khoản đang hoạt động có vai trò cán bộ, công chức cấp xã (đội ngũ hiện tại; phần mềm không lưu lịch sử biên chế).",
    lambda c: c.officials,
    records=officials,
)
TRAINED = _figure(
    "training.trained",
    "Số cán bộ, công chức được đào tạo, bồi dưỡng",
    "người",
    "Số cán bộ, công chức (có tài khoản) hoàn thành ít nhất một khóa kết thúc trong kỳ; mỗi người tính một lần.",
    lambda c: c.trained,
    records=lambda s: officials(s).filter(pk__in=completed(s).values("official_id")),
)
TRAINED_SHARE = _figure(
    "training.trained_share",
    "Tỷ lệ cán bộ, công chức được đào tạo, bồi dưỡng",
    PERCENT,
    "Cán bộ, công chức được đào tạo, bồi dưỡng trong kỳ ÷ số cán bộ, công chức của xã.",
    lambda c: c.trained_share,
    numerator=TRAINED,
    denominator=OFFICIALS,
)
TRAINED_CCHC = _figure(
    "training.trained_cchc",
    "Số cán bộ, công chức được bồi dưỡng về cải cách hành chính",
    "người",
    "Như “được đào tạo, bồi dưỡng”, chỉ tính khóa có chủ đề cải cách hành chính.",
    lambda c: c.trained_cchc,
)
CCHC_SHARE = _figure(
    "training.cchc_share",
    "Tỷ lệ cán bộ, công chức được bồi dưỡng về cải cách hành chính",
    PERCENT,
    "Cán bộ, công chức hoàn thành khóa có chủ đề CCHC trong kỳ ÷ số cán bộ, công chức của xã.",
    lambda c: c.cchc_share,
    numerator=TRAINED_CCHC,
    denominator=OFFICIALS,
)
TRAINED_DIGITAL = _figure(
    "training.trained_digital",
    "Số cán bộ, công chức được bồi dưỡng kỹ năng số",
    "người",
    "Như “được đào tạo, bồi dưỡng”, chỉ tính khóa có chủ đề kỹ năng số, chuyển đổi số.",
    lambda c: c.trained_digital,
)
DIGITAL_SHARE = _figure(
    "training.digital_share",
    "Tỷ lệ cán bộ, công chức được bồi dưỡng kỹ năng số",
    PERCENT,
    "Cán bộ, công chức hoàn thành khóa có chủ đề kỹ năng số, chuyển đổi số trong kỳ ÷ số cán bộ, công chức của xã.",
    lambda c: c.digital_share,
    numerator=TRAINED_DIGITAL,
    denominator=OFFICIALS,
)
COURSES = _figure(
    "training.courses",
    "Số khóa, lớp đào tạo, bồi dưỡng",
    "khóa",
    "Số khóa, lớp có người của xã tham gia, kết thúc trong kỳ.",
    lambda c: c.courses,
    records=courses,
)
ATTENDANCES = _figure(
    "training.attendances",
    "Số lượt người được đào tạo, bồi dưỡng",
    "lượt người",
    "Số lượt hoàn thành khóa kết thúc trong kỳ, gồm cả người không có tài khoản (một người học hai khóa là hai lượt).",
    lambda c: c.attendances,
    records=completed,
)
HOURS = _figure(
    "training.hours",
    "Tổng số giờ đào tạo, bồi dưỡng",
    "giờ",
    "Tổng số giờ của các lượt hoàn thành trong kỳ (số giờ riêng của người học nếu có, không thì số giờ của khóa).",
    lambda c: c.hours,
)
PLANNED = _figure(
    "training.planned",
    "Số người cử đi đào tạo, bồi dưỡng theo kế hoạch",
    "người",
    "Tổng số người cử đi theo kế hoạch của các khóa thuộc kế hoạch năm, kết thúc trong kỳ.",
    lambda c: c.planned,
)
PLANNED_ATTENDED = _figure(
    "training.planned_attended",
    "Số lượt hoàn thành các khóa theo kế hoạch",
    "lượt người",
    "Số lượt hoàn thành các khóa thuộc kế hoạch năm, kết thúc trong kỳ.",
    lambda c: c.planned_attended,
)
PLAN_RATE = _figure(
    "training.plan_rate",
    "Tỷ lệ hoàn thành kế hoạch đào tạo, bồi dưỡng",
    PERCENT,
    "Lượt hoàn thành các khóa theo kế hoạch ÷ số người cử đi theo kế hoạch; không có khóa theo kế hoạch thì “chưa có dữ liệu”.",
    lambda c: c.plan_rate,
    numerator=PLANNED_ATTENDED,
    denominator=PLANNED,
)

FIGURES = [
    OFFICIALS,
    TRAINED,
    TRAINED_SHARE,
    TRAINED_CCHC,
    CCHC_SHARE,
    TRAINED_DIGITAL,
    DIGITAL_SHARE,
    COURSES,
    ATTENDANCES,
    HOURS,
    PLANNED,
    PLANNED_ATTENDED,
    PLAN_RATE,
]
register(*FIGURES)
HEADLINE = [COURSES, TRAINED_SHARE, CCHC_SHARE, DIGITAL_SHARE]
