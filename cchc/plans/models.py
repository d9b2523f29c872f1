"""The commune's annual administrative reform plan (Kế hoạch CCHC, docs/rules.md §3).

A `Plan` (one per commune and year) holds the prose sections of the document; its
`ReformArea`s come in legal order (the seven standard areas, then local
programmes); each area's `Task`s are lettered in the Vietnamese sequence
(a, b, c, d, đ, e, g, …) from their position. Departments report `TaskUpdate`s
with `Evidence` files. Every state change goes through `cchc.plans.services`.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cchc.core import figures
from cchc.core.concurrency import VersionedModel
from cchc.core.figures import Figure, FigureKeyField
from cchc.core.models import AuditedModel
from cchc.core.text import search_key

# Vietnamese alphabet order for lettered items: no f, j, w, z; "đ" follows "d".
LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t")
LETTERS += ("u", "v", "x", "y")
MAX_TASKS_PER_AREA = len(LETTERS)


def letter_for(position: int) -> str:
    """The letter of the task at 0-based `position` ("a" for 0, "đ" for 4, "g" for 6)."""
    if not 0 <= position < len(LETTERS):
        raise ValueError(f"position {position} outside the Vietnamese letter sequence")
    return LETTERS[position]


class AreaKind(models.TextChoices):
    """The seven standard reform areas in their legal order (QĐ 876/QĐ-BNV frame), then
    local programmes. The enum order is the legal order."""

    DIRECTION = "direction", "Công tác chỉ đạo, điều hành"
    INSTITUTIONS = "institutions", "Cải cách thể chế"
    PROCEDURES = "procedures", "Cải cách thủ tục hành chính"
    ORGANISATION = "organisation", "Cải cách tổ chức bộ máy"
    CIVIL_SERVICE = "civil_service", "Cải cách chế độ công vụ"
    PUBLIC_FINANCE = "public_finance", "Cải cách tài chính công"
    DIGITAL = "digital", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"
    LOCAL = "local", "Chương trình, đề án của địa phương"


STANDARD_AREA_ORDER = {kind.value: i for i, kind in enumerate(AreaKind) if kind != AreaKind.LOCAL}
LOCAL_AREA_BASE = 100  # local programmes sort after the seven standard areas


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Trình phê duyệt"
    APPROVED = "approved", "Đã phê duyệt"
    IN_EFFECT = "in_effect", "Đang thực hiện"
    CLOSED = "closed", "Đã kết thúc"


class PlanQuerySet(models.QuerySet):
    def for_commune(self, commune):
        return self.filter(commune=commune)

    def in_effect(self):
        return self.filter(status=PlanStatus.IN_EFFECT)


class Plan(AuditedModel):
    """One commune's reform plan for one year. Only a draft may be edited; moves
    between statuses follow the move table `services.WORKFLOW` and are logged as `PlanEvent`s."""

    commune = models.ForeignKey("org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField("năm")
    number = models.CharField("số", max_length=20, blank=True)  # "152"
    symbol = models.CharField("ký hiệu", max_length=40, default="KH-UBND")
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.CharField("trích yếu", max_length=300)
    basis = models.TextField("căn cứ (mở đầu)", blank=True)
    purpose = models.TextField("mục đích", blank=True)
    requirements = models.TextField("yêu cầu", blank=True)
    reporting = models.TextField("chế độ báo cáo", blank=True)
    budget = models.TextField("kinh phí", blank=True)
    responsibilities = models.TextField("tổ chức thực hiện", blank=True)
    closing = models.TextField("đoạn kết", blank=True)
    recipients = models.TextField("nơi nhận", blank=True, help_text="Mỗi nơi nhận một dòng.")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ký",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signer_name = models.CharField("họ tên người ký", max_length=150, blank=True)
    signer_title = models.CharField("chức danh ký", max_length=60, default="CHỦ TỊCH")
    status = models.CharField(
        "trạng thái", max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    source_plan = models.ForeignKey(
        "self",
        verbose_name="chuyển tiếp từ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rollovers",
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "kế hoạch CCHC"
        verbose_name_plural = "kế hoạch CCHC"
        ordering = ["-year", "commune"]
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="plan_once_per_commune_year")]
        permissions = [
            ("edit_plan", "Soạn thảo, sửa kế hoạch CCHC (thường trực CCHC)"),
            ("approve_plan", "Phê duyệt kế hoạch CCHC (lãnh đạo UBND)"),
            ("report_task_progress", "Cập nhật tiến độ, minh chứng nhiệm vụ"),
        ]

    def __str__(self) -> str:
        return f"Kế hoạch CCHC năm {self.year} – {self.commune}"

    @property
    def number_display(self) -> str:
        """'152/KH-UBND', or '/KH-UBND' with blanks to fill in by hand while unnumbered."""
        return f"{self.number or '     '}/{self.symbol}"

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def accepts_progress(self) -> bool:
        return self.status == PlanStatus.IN_EFFECT

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def year_end(self) -> date:
        return date(self.year, 12, 31)

    def recipient_list(self) -> list[str]:
        return [line.strip().lstrip("-").strip() for line in self.recipients.splitlines() if line.strip(" -")]

    def ordered_areas(self) -> list[ReformArea]:
        return list(self.areas.all())

    def clean(self) -> None:
        if not 2000 <= (self.year or 0) <= 2100:
            raise ValidationError({"year": "Năm kế hoạch phải trong khoảng 2000–2100."})
        if self.issued_on and self.issued_on.year not in (self.year - 1, self.year):
            raise ValidationError({"issued_on": "Ngày ban hành phải thuộc năm kế hoạch hoặc cuối năm trước."})


class PlanEvent(models.Model):
    """One move of a plan's status: who, when, from, to, and why."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("lúc", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, on_delete=models.SET_NULL
    )
    from_status = models.CharField("từ", max_length=12, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField("sang", max_length=12, choices=PlanStatus.choices)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "lịch sử kế hoạch"
        verbose_name_plural = "lịch sử kế hoạch"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_status or '—'} → {self.to_status}"


class ReformArea(AuditedModel):
    """A reform area of a plan. Standard areas appear at most once each and sort in
    legal order; local programmes follow, in their own order. Numbers (1, 2, … 8)
    come from that order, never from typing."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField("loại", max_length=20, choices=AreaKind.choices)
    title = models.CharField("tên lĩnh vực", max_length=300)
    intro = models.TextField("nội dung chung", blank=True)
    sort_key = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        verbose_name = "lĩnh vực cải cách"
        verbose_name_plural = "lĩnh vực cải cách"
        ordering = ["plan", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=~models.Q(kind="local"),
                name="standard_area_once_per_plan",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_commune_id(self) -> int | None:
        return self.plan.commune_id

    @property
    def is_local(self) -> bool:
        return self.kind == AreaKind.LOCAL

    @property
    def number(self) -> int:
        """1-based position among the plan's areas (legal order, then local programmes)."""
        ids = list(self.plan.areas.values_list("id", flat=True))
        return ids.index(self.pk) + 1


class TimeFrame(models.TextChoices):
    RANGE = "range", "Trong khoảng thời gian"
    DEADLINE = "deadline", "Hoàn thành trước ngày"
    RECURRING = "recurring", "Định kỳ"


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"
    HALF_YEARLY = "half_yearly", "6 tháng một lần"
    YEARLY = "yearly", "Hằng năm"


RECURRENCE_MONTHS = {
    Recurrence.MONTHLY: list(range(1, 13)),
    Recurrence.QUARTERLY: [3, 6, 9, 12],
    Recurrence.HALF_YEARLY: [6, 12],
    Recurrence.YEARLY: [12],
}


class Comparison(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    EQ = "eq", "="


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    OVERDUE = "overdue", "Quá hạn"  # computed, never stored


class TaskQuerySet(models.QuerySet):
    def for_department(self, department):
        return self.filter(lead_department=department)

    def open(self):
        return self.exclude(status=TaskStatus.DONE)

    def of_running_plans(self):
        return self.filter(area__plan__status=PlanStatus.IN_EFFECT)


class Task(VersionedModel):
    """A lettered task of a reform area. `status` stores only what people report
    (not started / in progress / done); "overdue" is computed from the dates, so it
    can never be stale."""

    area = models.ForeignKey(
        ReformArea, verbose_name="lĩnh vực", on_delete=models.CASCADE, related_name="tasks"
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    title = models.CharField("tên nhiệm vụ", max_length=300)
    content = models.TextField("nội dung", blank=True)
    lead_department = models.ForeignKey(
        "org.Department",
        verbose_name="đơn vị chủ trì",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_plan_tasks",
    )
    coordinating = models.ManyToManyField(
        "org.Department", verbose_name="đơn vị phối hợp", blank=True, related_name="coordinated_plan_tasks"
    )
    coordinating_other = models.CharField(
        "phối hợp khác", max_length=300, blank=True, help_text="Ngoài UBND xã, ví dụ: UBMTTQ, các đoàn thể."
    )
    time_frame = models.CharField(
        "kiểu thời gian", max_length=10, choices=TimeFrame.choices, default=TimeFrame.RANGE
    )
    start_date = models.DateField("từ ngày", null=True, blank=True)
    end_date = models.DateField("đến ngày / hạn")
    recurrence = models.CharField("định kỳ", max_length=12, choices=Recurrence.choices, blank=True)
    recurrence_day = models.PositiveSmallIntegerField(
        "hạn trong tháng (ngày)",
        null=True,
        blank=True,
        help_text="Ví dụ 15: trước ngày 16 của tháng cuối kỳ.",
    )
    output = models.CharField("sản phẩm", max_length=300, blank=True)
    budget = models.DecimalField("kinh phí (đồng)", max_digits=14, decimal_places=0, null=True, blank=True)
    # A stored binding to the figures catalogue (docs/figures.md), validated by it.
    target_metric = FigureKeyField("chỉ tiêu đo (số liệu)", blank=True)
    target_comparison = models.CharField("so sánh", max_length=3, choices=Comparison.choices, blank=True)
    target_value = models.DecimalField(
        "giá trị chỉ tiêu", max_digits=8, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField("đơn vị", max_length=20, blank=True, default="%")
    status = models.CharField(
        "trạng thái",
        max_length=12,
        choices=[c for c in TaskStatus.choices if c[0] != TaskStatus.OVERDUE],
        default=TaskStatus.NOT_STARTED,
    )
    percent = models.PositiveSmallIntegerField("tỷ lệ hoàn thành (%)", default=0)
    completed_on = models.DateField("hoàn thành ngày", null=True, blank=True)
    search_key = models.TextField(editable=False, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["area__sort_key", "area_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.letter}) {self.title}"

    def save(self, *args, **kwargs) -> None:
        # Derived column for accent-insensitive search.
        self.search_key = search_key(f"{self.title} {self.content} {self.output}")
        super().save(*args, **kwargs)

    @property
    def audit_commune_id(self) -> int | None:
        return self.area.plan.commune_id

    @property
    def plan(self) -> Plan:
        return self.area.plan

    @property
    def letter(self) -> str:
        return letter_for(self.position) if self.position < MAX_TASKS_PER_AREA else "?"

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.start_date > self.end_date:
            errors["end_date"] = "Ngày kết thúc phải sau ngày bắt đầu."
        if self.time_frame == TimeFrame.RANGE and not self.start_date:
            errors["start_date"] = "Nhiệm vụ theo khoảng thời gian cần ngày bắt đầu."
        if self.time_frame == TimeFrame.RECURRING and not self.recurrence:
            errors["recurrence"] = "Nhiệm vụ định kỳ cần chọn chu kỳ."
        if self.time_frame != TimeFrame.RECURRING and self.recurrence:
            errors["recurrence"] = "Chỉ nhiệm vụ định kỳ mới có chu kỳ."
        if self.recurrence_day is not None and not 1 <= self.recurrence_day <= 31:
            errors["recurrence_day"] = "Ngày trong tháng phải từ 1 đến 31."
        target_parts = [bool(self.target_metric), bool(self.target_comparison), self.target_value is not None]
        if any(target_parts) and not all(target_parts):
            errors["target_metric"] = "Chỉ tiêu cần đủ: số liệu đo, phép so sánh và giá trị."
        if self.target_metric and self.target_metric in dict(figures.choices()):
            self.target_unit = figures.get(self.target_metric).unit[:20]
        if not 0 <= (self.percent or 0) <= 100:
            errors["percent"] = "Tỷ lệ hoàn thành phải từ 0 đến 100."
        if (
            self.lead_department_id
            and self.area_id
            and self.lead_department.commune_id != self.area.plan.commune_id
        ):
            errors["lead_department"] = "Đơn vị chủ trì phải thuộc cùng xã với kế hoạch."
        if errors:
            raise ValidationError(errors)

    # --- time --------------------------------------------------------------
    def occurrences(self) -> list[date]:
        """The due dates of a recurring task within its time frame (last day of each
        period's last month, or `recurrence_day` of that month)."""
        if self.time_frame != TimeFrame.RECURRING or not self.recurrence:
            return [self.end_date]
        start = self.start_date or date(self.end_date.year, 1, 1)
        result = []
        for year in range(start.year, self.end_date.year + 1):
            for month in RECURRENCE_MONTHS[Recurrence(self.recurrence)]:
                last = _calendar.monthrange(year, month)[1]
                day = date(year, month, min(self.recurrence_day or last, last))
                if start <= day <= self.end_date:
                    result.append(day)
        return result or [self.end_date]

    def next_due(self, today: date) -> date | None:
        """The first due date on or after `today`, None when every due date has passed."""
        return next((d for d in self.occurrences() if d >= today), None)

    def missed_due(
        self, today: date, update_dates: list[date] | None = None, *, done: bool | None = None
    ) -> date | None:
        """The due date that makes the task overdue on `today`, or None.

        One-off tasks: the deadline passed and the task is not done. Recurring tasks:
        the latest due date before today had no progress update in its period
        (after the previous due date, up to and including it). `done` overrides the
        stored status (figures judging a past day: done only if completed by then).
        """
        is_done = self.status == TaskStatus.DONE if done is None else done
        if is_done:
            return None
        if self.time_frame != TimeFrame.RECURRING:
            return self.end_date if self.end_date < today else None
        past = [d for d in self.occurrences() if d < today]
        if not past:
            return None
        last = past[-1]
        period_start = (
            past[-2] + timedelta(days=1) if len(past) > 1 else (self.start_date or date(last.year, 1, 1))
        )
        if update_dates is None:
            update_dates = [u.on for u in self.updates.all()]
        reported = any(period_start <= d <= last for d in update_dates)
        return None if reported else last

    def effective_status(self, today: date) -> str:
        if self.status != TaskStatus.DONE and self.missed_due(today):
            return TaskStatus.OVERDUE
        return self.status

    def effective_status_label(self, today: date) -> str:
        return TaskStatus(self.effective_status(today)).label

    @property
    def time_display(self) -> str:
        if self.time_frame == TimeFrame.DEADLINE:
            return f"Trước {self.end_date:%d/%m/%Y}"
        if self.time_frame == TimeFrame.RECURRING:
            label = Recurrence(self.recurrence).label if self.recurrence else "Định kỳ"
            if self.recurrence_day:
                return f"{label} (trước ngày {self.recurrence_day + 1} tháng cuối kỳ)"
            return label
        if (
            self.start_date
            and self.start_date.year == self.end_date.year
            and (
                self.start_date == date(self.start_date.year, 1, 1)
                and self.end_date == date(self.end_date.year, 12, 31)
            )
        ):
            return f"Cả năm {self.end_date.year}"
        start = self.start_date or self.end_date
        return f"{start:%d/%m/%Y} – {self.end_date:%d/%m/%Y}"

    # --- target ------------------------------------------------------------
    @property
    def has_target(self) -> bool:
        return bool(self.target_metric and self.target_comparison and self.target_value is not None)

    @property
    def target_figure(self) -> Figure | None:
        """The catalogue figure the target is measured by (None without a target)."""
        return figures.get(self.target_metric) if self.target_metric else None

    @property
    def target_display(self) -> str:
        if not self.has_target:
            return ""
        figure = self.target_figure
        value = _fmt_decimal(self.target_value)
        unit = "%" if figure.unit == figures.PERCENT else f" {figure.unit}"
        return f"{figure.label} {Comparison(self.target_comparison).label} {value}{unit}"

    def target_met(self, value: Decimal | None) -> bool | None:
        if value is None or not self.has_target:
            return None
        if self.target_comparison == Comparison.GTE:
            return value >= self.target_value
        if self.target_comparison == Comparison.LTE:
            return value <= self.target_value
        return value == self.target_value

    def coordinating_display(self) -> str:
        names = [d.name for d in self.coordinating.all()]
        if self.coordinating_other:
            names.append(self.coordinating_other)
        return "; ".join(names)


def _fmt_decimal(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class TaskUpdate(AuditedModel):
    """A dated progress report on a task, with the status and percentage it set."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField("ngày")
    text = models.TextField("nội dung")
    status = models.CharField("trạng thái", max_length=12, choices=Task._meta.get_field("status").choices)
    percent = models.PositiveSmallIntegerField("tỷ lệ (%)")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người cập nhật", null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        verbose_name = "cập nhật tiến độ"
        verbose_name_plural = "cập nhật tiến độ"
        ordering = ["-on", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.task}: {self.percent}%"

    @property
    def audit_commune_id(self) -> int | None:
        return self.task.area.plan.commune_id


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is random: the original name is kept in a column and only
    # given back by the permission-checked download view.
    return f"plans/evidence/{instance.uploaded_at:%Y/%m}/{instance.token}{instance.extension}"


class Evidence(AuditedModel):
    """A file proving a task's progress. Never served as a static file."""

    update = models.ForeignKey(TaskUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("tệp", upload_to=evidence_path, max_length=300)
    token = models.CharField(max_length=40, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    uploaded_at = models.DateTimeField("tải lên lúc", default=timezone.now)

    class Meta:
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_commune_id(self) -> int | None:
        return self.update.task.area.plan.commune_id

    @property
    def task(self) -> Task:
        return self.update.task


# Plan imports live in their own module (cchc.plans.importing); imported here so that
# Django registers the model with this app.
from .importing.models import ImportStatus, PlanImport  # noqa: E402, F401
