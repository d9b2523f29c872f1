"""The register of the reform budget (seed plan IV: "kinh phí thực hiện các nhiệm vụ
CCHC do ngân sách xã bảo đảm"): for each task of the commune's CCHC plan, the
estimate allotted (and its adjustments) and the amounts actually spent, each with
its date, voucher and note. The plan's page and appendix show the totals per task,
per reform area and for the plan (`cchc.plans.extensions`)."""

from __future__ import annotations

from django.db import models

from ..common.models import RegisterRecord


class ExpenseKind(models.TextChoices):
    ESTIMATE = "estimate", "Dự toán (giao, điều chỉnh)"
    SPENT = "spent", "Thực chi"


class Expense(RegisterRecord):
    """One amount for one plan task. An estimate may be negative (an adjustment
    down); an amount spent is positive."""

    task = models.ForeignKey(
        "plans.Task", verbose_name="nhiệm vụ", on_delete=models.PROTECT, related_name="expenses"
    )
    kind = models.CharField("loại", max_length=8, choices=ExpenseKind.choices)
    amount = models.DecimalField("số tiền (đồng)", max_digits=16, decimal_places=0)
    on = models.DateField("ngày")
    voucher = models.CharField("số chứng từ, quyết định", max_length=100, blank=True)
    note = models.CharField("nội dung", max_length=300, blank=True)

    class Meta:
        verbose_name = "khoản kinh phí CCHC"
        verbose_name_plural = "sổ theo dõi kinh phí CCHC"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["commune", "on"], name="expense_commune_on")]
        permissions = [("manage_spending", "Ghi sổ theo dõi kinh phí thực hiện nhiệm vụ CCHC")]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_kind_display()} {self.amount} đ – {self.task.title[:60]}"

    def search_text(self) -> str:
        return f"{self.task.title} {self.note} {self.voucher}"
