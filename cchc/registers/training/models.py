"""The register of training (đào tạo, bồi dưỡng cán bộ, công chức — seed plan
II.5c): courses the commune's officials attended, who attended (officials with an
account, or anyone by name — part-time staff, village heads), hours, completion and
certificate; from it, each official's training history."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cchc.core.text import search_key

from ..common.models import RegisterRecord


class Subject(models.TextChoices):
    CCHC = "cchc", "Cải cách hành chính"
    DIGITAL = "digital", "Kỹ năng số, chuyển đổi số"
    PROFESSIONAL = "professional", "Chuyên môn, nghiệp vụ"
    STATE_MANAGEMENT = "state_management", "Quản lý nhà nước"
    POLITICAL = "political", "Lý luận chính trị"
    ETHICS = "ethics", "Đạo đức, văn hóa công vụ"
    DEFENCE = "defence", "Quốc phòng, an ninh"
    OTHER = "other", "Nội dung khác"


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "Tập trung"
    ONLINE = "online", "Trực tuyến"
    MIXED = "mixed", "Kết hợp"


def subjects_value(codes) -> str:
    """Subjects stored as ',cchc,digital,' so that one `contains` finds a subject on
    every database (a course often covers several)."""
    ordered = [c for c in Subject.values if c in set(codes or ())]
    return f",{','.join(ordered)}," if ordered else ""


class CourseQuerySet(models.QuerySet):
    def with_subject(self, code: str):
        return self.filter(subjects__contains=f",{code},")


class Course(RegisterRecord):
    title = models.CharField("tên khóa, lớp", max_length=300)
    subjects = models.CharField("chủ đề", max_length=200, blank=True)
    organiser = models.CharField("đơn vị tổ chức", max_length=200, blank=True)
    mode = models.CharField("hình thức", max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    hours = models.DecimalField("số giờ (tiết)", max_digits=6, decimal_places=1, null=True, blank=True)
    place = models.CharField("địa điểm", max_length=200, blank=True)
    certificate = models.BooleanField("có chứng chỉ, giấy chứng nhận", default=False)
    in_plan = models.BooleanField("thuộc kế hoạch đào tạo, bồi dưỡng năm", default=True)
    planned_participants = models.PositiveIntegerField("số người cử đi theo kế hoạch", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = "khóa đào tạo, bồi dưỡng"
        verbose_name_plural = "sổ theo dõi đào tạo, bồi dưỡng"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["commune", "ends_on"], name="course_commune_ends")]
        permissions = [("manage_training", "Ghi sổ theo dõi đào tạo, bồi dưỡng cán bộ, công chức")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%d/%m/%Y})"

    def search_text(self) -> str:
        return f"{self.title} {self.organiser} {self.place} {self.subjects_display}"

    @property
    def subject_list(self) -> list[str]:
        return [c for c in self.subjects.strip(",").split(",") if c]

    @property
    def subjects_display(self) -> str:
        return ", ".join(Subject(c).label for c in self.subject_list if c in Subject.values)

    @property
    def dates_display(self) -> str:
        if self.starts_on == self.ends_on:
            return f"{self.starts_on:%d/%m/%Y}"
        return f"{self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y}"


class Attendance(RegisterRecord):
    """One person on one course. `official` when the person has an account in the
    commune; otherwise the name alone (`person_key` finds their history)."""

    course = models.ForeignKey(
        Course, verbose_name="khóa học", on_delete=models.CASCADE, related_name="attendances"
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cán bộ, công chức",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_name = models.CharField("họ và tên", max_length=150)
    person_key = models.CharField(max_length=150, editable=False, db_index=True)
    position = models.CharField("chức vụ, chức danh", max_length=150, blank=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed = models.BooleanField("hoàn thành", default=True)
    hours = models.DecimalField(
        "số giờ học",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Để trống: bằng số giờ của khóa.",
    )
    certificate_no = models.CharField("số chứng chỉ", max_length=100, blank=True)
    certificate_on = models.DateField("ngày cấp chứng chỉ", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "người tham gia đào tạo, bồi dưỡng"
        verbose_name_plural = "người tham gia đào tạo, bồi dưỡng"
        ordering = ["course", "person_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "official"],
                condition=models.Q(official__isnull=False),
                name="attendance_user_once",
            ),
            models.UniqueConstraint(fields=["course", "person_key"], name="attendance_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} – {self.course.title}"

    def search_text(self) -> str:
        return f"{self.person_name} {self.position}"

    def save(self, *args, **kwargs) -> None:
        # Derived: the name as a search key identifies a person without an account.
        self.person_key = search_key(self.person_name)
        super().save(*args, **kwargs)

    @property
    def effective_hours(self):
        return self.hours if self.hours is not None else self.course.hours
