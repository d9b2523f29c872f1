"""The service index (Bộ chỉ số phục vụ người dân, doanh nghiệp, QĐ 766/QĐ-TTg) as
versioned data: a version (the item list scored from a given day), its groups and
items with their maximum points and scoring rule. The rows are loaded from the JSON
files shipped in `cchc/serviceindex/data/` (`loader.py`); the code never names an
item's points or thresholds. Which catalogue figure measures an item is decided in
`bindings.py`, by the item's code (docs/service-index.md).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models

from cchc.core.models import AuditedModel


class RuleKind(models.TextChoices):
    """How an item's points follow from its measured ratio r (0–1)."""

    RATIO_LINEAR = "ratio_linear", "Tỷ lệ × điểm tối đa"
    RATIO_CAPPED = "ratio_capped", "Tỷ lệ ÷ ngưỡng × điểm tối đa, không quá điểm tối đa"
    EXPRESSION = "expression", "Biểu thức trên các tỷ lệ"
    TRACK_ONLY = "track_only", "Chỉ theo dõi, không tính điểm"
    UNRESOLVED = "unresolved", "Chưa có công thức công bố"


class IfEmpty(models.TextChoices):
    """What the item scores when its ratio has nothing to divide by."""

    NO_DATA = "", "Chưa có dữ liệu (không tính điểm)"
    MAX = "max", "Đạt điểm tối đa"
    ZERO = "zero", "0 điểm"


class IndexVersion(AuditedModel):
    """One item list of the index, scored from `effective_from` on (until the next
    version's). Loaded from `data_file`; reloading the same file updates it in place."""

    code = models.CharField("mã phiên bản", max_length=20, unique=True)
    name = models.CharField("tên", max_length=300)
    year = models.PositiveSmallIntegerField("năm áp dụng")
    effective_from = models.DateField("áp dụng từ ngày")
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    sources = models.TextField("nguồn số liệu", blank=True, help_text="Mỗi nguồn một dòng.")
    caveat = models.TextField("lưu ý", blank=True)
    max_total = models.DecimalField("tổng điểm tối đa", max_digits=6, decimal_places=2)
    data_file = models.CharField("tệp dữ liệu", max_length=200)
    loaded_at = models.DateTimeField("nạp lúc")

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "phiên bản bộ chỉ số phục vụ"
        verbose_name_plural = "phiên bản bộ chỉ số phục vụ"
        permissions = [("view_service_index", "Xem chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)")]

    def __str__(self) -> str:
        return f"{self.name} (từ {self.effective_from:%d/%m/%Y})"

    @classmethod
    def for_day(cls, day: date) -> IndexVersion | None:
        """The version in force on `day`; before the first one, the first one (the
        page says so: `applies_to(day)` is False)."""
        version = cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
        return version or cls.objects.order_by("effective_from").first()

    def applies_to(self, day: date) -> bool:
        return self.effective_from <= day


class IndexGroup(AuditedModel):
    version = models.ForeignKey(IndexVersion, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField("mã nhóm", max_length=20)
    name = models.CharField("tên nhóm", max_length=200)
    max_points = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField("thứ tự")

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="serviceindex_group_code")]
        verbose_name = "nhóm chỉ số"
        verbose_name_plural = "nhóm chỉ số"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndexItem(AuditedModel):
    """One item (chỉ tiêu) with its rule: `threshold` is the ratio (0–1) that earns
    full points for `ratio_capped`; `expression` combines the named ratios of
    `variables` for `expression`; `if_empty` says what an empty denominator scores.
    `level` is the administrative level the item is scored at when it is not the
    commune's (e.g. "Tỉnh": the commune cannot measure it)."""

    group = models.ForeignKey(IndexGroup, on_delete=models.CASCADE, related_name="items")
    code = models.CharField("mã chỉ tiêu", max_length=60)
    name = models.CharField("tên chỉ tiêu", max_length=300)
    max_points = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2)
    rule = models.CharField("cách tính", max_length=20, choices=RuleKind.choices)
    threshold = models.DecimalField(
        "ngưỡng đạt tối đa", max_digits=5, decimal_places=4, null=True, blank=True
    )
    if_empty = models.CharField("khi không có mẫu số", max_length=10, choices=IfEmpty.choices, blank=True)
    expression = models.CharField("biểu thức", max_length=200, blank=True)
    variables = models.JSONField("các tỷ lệ của biểu thức", default=dict, blank=True)
    numerator = models.CharField("tử số (theo nguồn)", max_length=100, blank=True)
    denominator = models.CharField("mẫu số (theo nguồn)", max_length=100, blank=True)
    notes = models.TextField("ghi chú của nguồn", blank=True)
    level = models.CharField("cấp chấm điểm", max_length=20, blank=True)
    confidence = models.CharField("độ tin cậy của nguồn", max_length=20, blank=True)
    position = models.PositiveSmallIntegerField("thứ tự")

    class Meta:
        ordering = ["group__position", "position"]
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="serviceindex_item_code")]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_scored(self) -> bool:
        return self.rule not in (RuleKind.TRACK_ONLY, RuleKind.UNRESOLVED) and self.max_points > 0

    def formula_text(self) -> str:
        """The rule in words, as shown beside the item."""
        m = _num(self.max_points)
        if self.rule == RuleKind.RATIO_LINEAR:
            text = f"Điểm = {m} × tỷ lệ (tỷ lệ 100% đạt {m} điểm)"
        elif self.rule == RuleKind.RATIO_CAPPED:
            t = _pct(self.threshold or Decimal(1))
            text = f"Điểm = {m} × tỷ lệ ÷ {t}, tối đa {m} điểm (đạt tối đa khi tỷ lệ ≥ {t})"
        elif self.rule == RuleKind.EXPRESSION:
            names = "; ".join(f"{k} = {v}" for k, v in self.variables.items())
            text = f"Điểm = {self.expression}, trong đó {names}"
        elif self.rule == RuleKind.TRACK_ONLY:
            text = "Chỉ theo dõi, không tính điểm"
        else:
            text = "Chưa có công thức công bố: hiển thị số liệu, không tính điểm"
        if self.if_empty == IfEmpty.MAX:
            text += "; không có mẫu số: đạt tối đa"
        elif self.if_empty == IfEmpty.ZERO:
            text += "; không có mẫu số: 0 điểm"
        return text


def _num(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _pct(ratio: Decimal) -> str:
    return _num((ratio * 100).quantize(Decimal("0.01"))) + "%"
