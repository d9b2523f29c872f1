"""The register of reform inspections (kiểm tra CCHC, kiểm tra việc giải quyết
TTHC — seed plan II.1đ): the year's inspection plan, each inspection (planned or
not) with the unit inspected, its scope and findings, and the recommendations it
made with their deadlines and follow-up. Moves follow `services.INSPECTION_FLOW`
and `services.RECOMMENDATION_FLOW`; recommendations' moves are event rows."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..common.models import RegisterRecord


class InspectionPlan(RegisterRecord):
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên kế hoạch", max_length=300)
    number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "kế hoạch kiểm tra"
        verbose_name_plural = "kế hoạch kiểm tra"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="inspection_plan_once_a_year")
        ]

    def __str__(self) -> str:
        return self.title

    def search_text(self) -> str:
        return f"{self.title} {self.number}"


class Kind(models.TextChoices):
    CCHC = "cchc", "Kiểm tra công tác cải cách hành chính"
    PROCEDURES = "procedures", "Kiểm tra việc giải quyết thủ tục hành chính"
    DISCIPLINE = "discipline", "Kiểm tra công vụ, kỷ luật, kỷ cương hành chính"
    OTHER = "other", "Kiểm tra khác"


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "Theo kế hoạch, chưa kiểm tra"
    DONE = "done", "Đã kiểm tra"
    CANCELLED = "cancelled", "Hủy, hoãn"


class Inspection(RegisterRecord):
    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name="kế hoạch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
        help_text="Để trống: kiểm tra đột xuất.",
    )
    kind = models.CharField("hình thức", max_length=12, choices=Kind.choices, default=Kind.CCHC)
    subject = models.CharField("đơn vị, bộ phận được kiểm tra", max_length=200)
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận được kiểm tra",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scope = models.TextField("nội dung kiểm tra", blank=True)
    planned_on = models.DateField("thời gian dự kiến", null=True, blank=True)
    conducted_on = models.DateField("ngày kiểm tra", null=True, blank=True)
    team_lead = models.CharField("trưởng đoàn", max_length=150, blank=True)
    findings = models.TextField("kết quả kiểm tra (ưu điểm, tồn tại)", blank=True)
    conclusion_ref = models.CharField("kết luận, báo cáo (số, ngày)", max_length=120, blank=True)
    status = models.CharField(
        "tình trạng", max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    status_note = models.CharField("lý do hủy, hoãn", max_length=300, blank=True)

    class Meta:
        verbose_name = "cuộc kiểm tra"
        verbose_name_plural = "sổ theo dõi kiểm tra CCHC"
        ordering = ["-planned_on", "-conducted_on", "-id"]
        indexes = [models.Index(fields=["commune", "conducted_on"], name="inspection_commune_done")]
        permissions = [
            ("manage_inspection", "Lập kế hoạch, ghi kết quả kiểm tra CCHC"),
            ("follow_up_recommendation", "Báo cáo thực hiện kiến nghị sau kiểm tra của bộ phận mình"),
        ]

    def __str__(self) -> str:
        when = self.conducted_on or self.planned_on
        return f"{self.subject} ({when:%d/%m/%Y})" if when else self.subject

    def search_text(self) -> str:
        return f"{self.subject} {self.scope} {self.findings} {self.team_lead}"

    @property
    def is_planned(self) -> bool:
        return self.plan_id is not None


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Đang thực hiện"
    DONE = "done", "Đã thực hiện xong"


class Recommendation(RegisterRecord):
    inspection = models.ForeignKey(
        Inspection, verbose_name="cuộc kiểm tra", on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField("nội dung kiến nghị")
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField("hạn thực hiện")
    status = models.CharField(
        "tình trạng", max_length=6, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    handled_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    result = models.TextField("kết quả thực hiện", blank=True)

    class Meta:
        verbose_name = "kiến nghị sau kiểm tra"
        verbose_name_plural = "kiến nghị sau kiểm tra"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def search_text(self) -> str:
        return f"{self.text} {self.result}"

    def is_overdue(self, today: date) -> bool:
        return self.status == RecommendationStatus.OPEN and self.due_on < today

    @property
    def on_time(self) -> bool | None:
        if self.handled_on is None:
            return None
        return self.handled_on <= self.due_on


class RecommendationEvent(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("lúc", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, on_delete=models.SET_NULL
    )
    action = models.CharField("thao tác", max_length=20)
    from_status = models.CharField("từ", max_length=6, choices=RecommendationStatus.choices, blank=True)
    to_status = models.CharField("sang", max_length=6, choices=RecommendationStatus.choices)
    on = models.DateField("ngày", null=True, blank=True)
    note = models.TextField("nội dung", blank=True)

    class Meta:
        verbose_name = "theo dõi thực hiện kiến nghị"
        verbose_name_plural = "theo dõi thực hiện kiến nghị"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.action}"
