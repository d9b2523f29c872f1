"""The commune's catalogue of administrative procedures (thủ tục hành chính)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cchc.core.models import AuditedModel
from cchc.core.text import search_key
from cchc.core.workcal import TimeUnit


class OnlineLevel(models.TextChoices):
    """NĐ 42/2022/NĐ-CP: replaces the old "mức độ 3 / 4"."""

    FULL = "full", "Toàn trình"
    PARTIAL = "partial", "Một phần"
    NONE = "none", "Không trực tuyến"


class ProcedureQuerySet(models.QuerySet):
    def for_commune(self, commune):
        return self.filter(commune=commune)

    def published(self):
        return self.filter(is_published=True)

    def needing_review(self):
        return self.filter(needs_review=True)


class Procedure(AuditedModel):
    commune = models.ForeignKey(
        "org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="procedures"
    )
    code = models.CharField("mã TTHC", max_length=40)
    name = models.TextField("tên thủ tục")
    field = models.CharField("lĩnh vực", max_length=200, blank=True)
    level = models.CharField("cấp thực hiện", max_length=100, blank=True)
    decision = models.CharField("quyết định công bố", max_length=200, blank=True)
    in_person = models.BooleanField("nộp trực tiếp", default=True)
    online = models.BooleanField("nộp trực tuyến", default=False)
    postal = models.BooleanField("nộp qua bưu chính", default=False)
    online_level = models.CharField(
        "mức dịch vụ công trực tuyến", max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    time_amount = models.PositiveIntegerField("thời hạn giải quyết", null=True, blank=True)
    time_unit = models.CharField(
        "đơn vị thời hạn", max_length=20, choices=[(u.value, u.label) for u in TimeUnit], blank=True
    )
    time_text = models.CharField("thời hạn (nguyên văn)", max_length=500, blank=True)
    fee_amount = models.DecimalField(
        "phí, lệ phí (đồng)", max_digits=14, decimal_places=0, null=True, blank=True
    )
    fee_text = models.TextField("phí, lệ phí (nguyên văn)", blank=True)
    documents = models.TextField("thành phần hồ sơ", blank=True, help_text="Mỗi giấy tờ một dòng.")
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận giải quyết",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="procedures",
    )
    is_published = models.BooleanField("đã công khai", default=True)
    needs_review = models.BooleanField("cần rà soát", default=False)
    review_notes = models.TextField("nội dung cần rà soát", blank=True)
    source_row = models.JSONField("dòng dữ liệu gốc", default=dict, blank=True)
    search_key = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["field", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="procedure_code_per_commune")]
        indexes = [models.Index(fields=["commune", "field"], name="procedure_field_idx")]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        if self.time_unit and self.time_unit != TimeUnit.SAME_DAY and self.time_amount is None:
            raise ValidationError({"time_amount": "Cần nhập thời hạn khi đã chọn đơn vị."})
        if self.time_amount is not None and not self.time_unit:
            raise ValidationError({"time_unit": "Cần chọn đơn vị thời hạn."})
        if self.department_id and self.department.commune_id != self.commune_id:
            raise ValidationError({"department": "Bộ phận phải thuộc cùng xã."})

    def save(self, *args, **kwargs) -> None:
        # Derived column for accent-insensitive search (code, name and field).
        self.search_key = search_key(f"{self.code} {self.name} {self.field}")
        super().save(*args, **kwargs)

    @property
    def has_usable_time(self) -> bool:
        return bool(self.time_unit) and (self.time_amount is not None or self.time_unit == TimeUnit.SAME_DAY)

    @property
    def time_display(self) -> str:
        if not self.has_usable_time:
            return self.time_text or "Chưa xác định"
        if self.time_unit == TimeUnit.SAME_DAY:
            return "Trong ngày"
        return f"{self.time_amount} {TimeUnit(self.time_unit).label}"

    @property
    def channels_display(self) -> list[str]:
        return [
            label
            for on, label in (
                (self.in_person, "Trực tiếp"),
                (self.online, "Trực tuyến"),
                (self.postal, "Bưu chính"),
            )
            if on
        ]

    @property
    def document_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.documents.splitlines() if line.strip(" -•\t")]
