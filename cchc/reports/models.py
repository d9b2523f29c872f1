"""Periodic CCHC reports (báo cáo CCHC định kỳ; docs/reports.md).

A `Report` is one commune's report for one reporting period (quarter, first half,
nine months, year, or month where the province asks for it; `cchc.core.periods`).
It is made of `Section`s written by the departments (one per reform area of the
year's plan, assigned to the area's lead department) and by the standing office
(general situation, limitations, next tasks, proposals), plus figure tables
computed from the catalogue for the period's window. Sending freezes those figures
as `ReportFigure` rows: a sent report never changes when data changes later.

Both the report and its sections are state machines (`services.REPORT_WORKFLOW`,
`services.SECTION_WORKFLOW`) with an event row per move.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from cchc.core import periods
from cchc.core.models import AuditedModel
from cchc.core.periods import Period, PeriodKind
from cchc.core.workcal import TZ


class ReportStatus(models.TextChoices):
    DRAFTING = "drafting", "Đang soạn"
    SUBMITTED = "submitted", "Trình duyệt"
    APPROVED = "approved", "Đã duyệt"
    SENT = "sent", "Đã gửi"


class SectionKind(models.TextChoices):
    """The outline of a report, in document order (areas in the plan's order)."""

    GENERAL = "general", "Tình hình chung"
    AREA = "area", "Kết quả thực hiện theo lĩnh vực"
    LIMITATIONS = "limitations", "Tồn tại, hạn chế và nguyên nhân"
    NEXT_TASKS = "next_tasks", "Nhiệm vụ trọng tâm kỳ tới"
    PROPOSALS = "proposals", "Đề xuất, kiến nghị"


class SectionStatus(models.TextChoices):
    ASSIGNED = "assigned", "Đang viết"
    SUBMITTED = "submitted", "Đã nộp"
    RETURNED = "returned", "Trả lại để sửa"
    ACCEPTED = "accepted", "Đã tiếp nhận"


# Sections whose text the department may still change.
WRITABLE_SECTION_STATUSES = (SectionStatus.ASSIGNED, SectionStatus.RETURNED)
REPORTABLE_KINDS = (
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.HALF,
    PeriodKind.NINE_MONTHS,
    PeriodKind.YEAR,
)


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports of the communes the user sees. A superior (read-only) sees only
        sent reports: drafts are the commune's internal work."""
        qs = self.filter(commune_id__in=user.commune_ids())
        if not getattr(user, "sees_all_units", False) and user.home_commune is None:
            qs = qs.filter(status=ReportStatus.SENT)
        return qs

    def sent(self):
        return self.filter(status=ReportStatus.SENT)


class Report(AuditedModel):
    """One commune's CCHC report for one period (unique per commune and period)."""

    commune = models.ForeignKey(
        "org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="cchc_reports"
    )
    period_code = models.CharField("kỳ báo cáo", max_length=24)  # "2024-Q1", "2024"
    period_kind = models.CharField("loại kỳ", max_length=12, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    date_from = models.DateField("số liệu từ ngày")
    date_to = models.DateField("số liệu đến ngày")
    deadline = models.DateField("hạn gửi")
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name="kế hoạch CCHC",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    subject = models.CharField("trích yếu", max_length=300)
    number = models.CharField("số", max_length=20, blank=True)
    symbol = models.CharField("ký hiệu", max_length=40, default="BC-UBND")
    number_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    recipients = models.TextField("nơi nhận", blank=True, help_text="Mỗi nơi nhận một dòng.")
    signer_name = models.CharField("họ tên người ký", max_length=150, blank=True)
    signer_title = models.CharField("chức danh ký", max_length=60, default="CHỦ TỊCH")
    status = models.CharField(
        "trạng thái", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFTING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo CCHC"
        verbose_name_plural = "báo cáo CCHC"
        ordering = ["-date_to", "commune"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "period_code"], name="report_once_per_commune_period"),
            models.UniqueConstraint(
                fields=["commune", "number_year", "number", "symbol"],
                condition=~models.Q(number=""),
                name="report_number_unique_per_year",
            ),
        ]
        indexes = [models.Index(fields=["commune", "deadline"], name="report_commune_deadline")]
        permissions = [
            ("edit_report", "Lập, tổng hợp và gửi báo cáo CCHC (thường trực CCHC)"),
            ("approve_report", "Duyệt báo cáo CCHC (lãnh đạo UBND)"),
            ("write_report_section", "Viết phần báo cáo CCHC của bộ phận"),
        ]

    def __str__(self) -> str:
        return f"Báo cáo CCHC {self.period.label.lower()} – {self.commune}"

    @property
    def audit_commune_id(self) -> int | None:
        return self.commune_id

    @property
    def period(self) -> Period:
        return periods.parse(self.period_code)

    @property
    def number_display(self) -> str:
        """'12/BC-UBND', or blanks to fill in by hand while unnumbered."""
        return f"{self.number or '     '}/{self.symbol}"

    @property
    def is_sent(self) -> bool:
        return self.status == ReportStatus.SENT

    @property
    def is_editable(self) -> bool:
        return self.status == ReportStatus.DRAFTING

    @property
    def sent_on(self) -> date | None:
        return self.sent_at.astimezone(TZ).date() if self.sent_at else None

    @property
    def sent_on_time(self) -> bool | None:
        """Sent on or before the deadline (None while not sent)."""
        sent = self.sent_on
        return None if sent is None else sent <= self.deadline

    def is_overdue(self, today: date) -> bool:
        return not self.is_sent and today > self.deadline

    def recipient_list(self) -> list[str]:
        return [line.strip().lstrip("-").strip() for line in self.recipients.splitlines() if line.strip(" -")]


class ReportEvent(models.Model):
    """One move of a report's status: who, when, from, to, and why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("lúc", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, on_delete=models.SET_NULL
    )
    action = models.CharField("thao tác", max_length=20)
    from_status = models.CharField("từ", max_length=12, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField("sang", max_length=12, choices=ReportStatus.choices)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "lịch sử báo cáo"
        verbose_name_plural = "lịch sử báo cáo"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report}: {self.action} ({self.from_status or '—'} → {self.to_status})"


class Section(AuditedModel):
    """A part of the report, written by one department before `due_date`."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField("thứ tự")
    kind = models.CharField("loại", max_length=12, choices=SectionKind.choices)
    title = models.CharField("tiêu đề", max_length=300)
    area = models.ForeignKey(
        "plans.ReformArea",
        verbose_name="lĩnh vực",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_sections",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận viết",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_sections",
    )
    due_date = models.DateField("hạn nộp")
    status = models.CharField(
        "trạng thái", max_length=12, choices=SectionStatus.choices, default=SectionStatus.ASSIGNED
    )
    body = models.TextField("nội dung", blank=True)
    first_submitted_at = models.DateTimeField("nộp lần đầu lúc", null=True, blank=True)
    # Raised by every write of the text: a form carries the version it was opened
    # at, so that two people editing at once cannot overwrite each other unseen.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "phần báo cáo"
        verbose_name_plural = "phần báo cáo"
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="report_section_position_unique")
        ]
        indexes = [models.Index(fields=["department", "status"], name="report_section_dept_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_commune_id(self) -> int | None:
        return self.report.commune_id

    @property
    def is_pending(self) -> bool:
        """Still to be written or corrected by the department."""
        return self.status in WRITABLE_SECTION_STATUSES

    @property
    def first_submitted_on(self) -> date | None:
        return self.first_submitted_at.astimezone(TZ).date() if self.first_submitted_at else None

    def is_late(self, today: date) -> bool:
        """Submitted after the due date, or still not submitted once it has passed.
        A return for corrections does not make a section submitted on time late."""
        first = self.first_submitted_on
        if first is not None:
            return first > self.due_date
        return today > self.due_date

    def lateness_label(self, today: date) -> str:
        first = self.first_submitted_on
        if first is not None:
            return "Nộp muộn" if first > self.due_date else "Nộp đúng hạn"
        return "Quá hạn, chưa nộp" if today > self.due_date else "Chưa đến hạn"


class SectionEvent(models.Model):
    """One move of a section's status (submit, return, accept) and who made it."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("lúc", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, on_delete=models.SET_NULL
    )
    action = models.CharField("thao tác", max_length=20)
    from_status = models.CharField("từ", max_length=12, choices=SectionStatus.choices, blank=True)
    to_status = models.CharField("sang", max_length=12, choices=SectionStatus.choices)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "lịch sử phần báo cáo"
        verbose_name_plural = "lịch sử phần báo cáo"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.section}: {self.action} ({self.from_status or '—'} → {self.to_status})"


def attachment_path(instance: SectionAttachment, filename: str) -> str:
    # Random stored name: the original name (maybe personal) stays in a column and
    # is given back only by the permission-checked download view.
    return f"reports/{instance.uploaded_at:%Y/%m}/{instance.token}.{instance.extension}"


class SectionAttachment(AuditedModel):
    """A file a department attaches to its section. Never served as a static file."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("tệp", upload_to=attachment_path, max_length=300)
    token = models.CharField(max_length=40, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    uploaded_at = models.DateTimeField("tải lên lúc", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "tệp đính kèm báo cáo"
        verbose_name_plural = "tệp đính kèm báo cáo"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_commune_id(self) -> int | None:
        return self.section.report.commune_id


class ReportFigure(models.Model):
    """A figure as it stood when the report was sent: value and everything needed to
    read it (label, unit, definition, source, window), so that the sent report
    needs neither the live data nor the catalogue's current wording."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="frozen_figures")
    position = models.PositiveIntegerField()
    table = models.CharField("bảng", max_length=40)  # a table code, or "quotes"
    row_key = models.CharField("dòng", max_length=200, blank=True)  # e.g. the field; "" = total
    row_label = models.CharField("tên dòng", max_length=300, blank=True)
    key = models.CharField("mã số liệu", max_length=80)
    label = models.CharField("tên số liệu", max_length=300)
    unit = models.CharField("đơn vị", max_length=30, blank=True)
    definition = models.TextField("định nghĩa", blank=True)
    source = models.CharField("căn cứ", max_length=300, blank=True)
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=2, null=True)
    is_count = models.BooleanField(default=True)
    date_from = models.DateField()
    date_to = models.DateField()

    class Meta:
        verbose_name = "số liệu đã chốt"
        verbose_name_plural = "số liệu đã chốt"
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "table", "row_key", "key"], name="report_figure_once_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"

    @property
    def typed_value(self) -> int | Decimal | None:
        if self.value is None:
            return None
        return int(self.value) if self.is_count else self.value
