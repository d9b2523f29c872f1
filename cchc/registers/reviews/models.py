"""The register of procedure reviews (rà soát, đánh giá thủ tục hành chính;
kiến nghị đơn giản hóa — seed plan II.3b): which procedures of the commune's
catalogue were reviewed, what was proposed (keep, simplify, abolish, merge), the
compliance cost before and after where the review estimated it, to whom the
proposal was sent, and what became of it. Status moves follow `services.WORKFLOW`
and are written as `ProcedureReviewEvent`s."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from cchc.core.figures import percent

from ..common.models import RegisterRecord


class Proposal(models.TextChoices):
    KEEP = "keep", "Giữ nguyên"
    SIMPLIFY = "simplify", "Đơn giản hóa (sửa đổi, bổ sung)"
    ABOLISH = "abolish", "Bãi bỏ"
    MERGE = "merge", "Gộp, hợp nhất"


class ReviewStatus(models.TextChoices):
    REVIEWED = "reviewed", "Đã rà soát, chưa gửi kiến nghị"
    SENT = "sent", "Đã gửi kiến nghị"
    ACCEPTED = "accepted", "Được chấp nhận"
    PARTLY = "partly", "Được chấp nhận một phần"
    REJECTED = "rejected", "Không được chấp nhận"


DECIDED = (ReviewStatus.ACCEPTED, ReviewStatus.PARTLY, ReviewStatus.REJECTED)
ACCEPTED = (ReviewStatus.ACCEPTED, ReviewStatus.PARTLY)


class ProcedureReview(RegisterRecord):
    """One procedure reviewed on one day. The proposal is what the commune
    recommends; `status` where that recommendation stands."""

    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name="thủ tục", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField("ngày rà soát")
    round = models.CharField(
        "đợt, kế hoạch rà soát",
        max_length=200,
        blank=True,
        help_text="Ví dụ: Kế hoạch rà soát TTHC năm 2024.",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận rà soát",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    findings = models.TextField("nội dung rà soát (vướng mắc, bất cập)", blank=True)
    proposal = models.CharField("phương án", max_length=10, choices=Proposal.choices)
    proposal_text = models.TextField("nội dung kiến nghị", blank=True)
    cost_before = models.DecimalField(
        "chi phí tuân thủ trước (đồng/năm)", max_digits=16, decimal_places=0, null=True, blank=True
    )
    cost_after = models.DecimalField(
        "chi phí tuân thủ sau (đồng/năm)", max_digits=16, decimal_places=0, null=True, blank=True
    )
    sent_to = models.CharField("gửi cơ quan", max_length=200, blank=True)
    sent_on = models.DateField("ngày gửi", null=True, blank=True)
    sent_ref = models.CharField("số văn bản kiến nghị", max_length=100, blank=True)
    status = models.CharField(
        "kết quả", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.REVIEWED
    )
    outcome_on = models.DateField("ngày có kết quả", null=True, blank=True)
    outcome_ref = models.CharField("văn bản trả lời, quyết định", max_length=200, blank=True)
    outcome_note = models.TextField("ghi chú kết quả", blank=True)

    class Meta:
        verbose_name = "thủ tục được rà soát"
        verbose_name_plural = "sổ theo dõi rà soát, kiến nghị đơn giản hóa TTHC"
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["commune", "reviewed_on"], name="review_commune_on")]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "reviewed_on"], name="review_once_per_procedure_day")
        ]
        permissions = [("manage_procedure_review", "Ghi sổ rà soát, kiến nghị đơn giản hóa TTHC")]

    def __str__(self) -> str:
        return f"{self.reviewed_on:%d/%m/%Y} {self.procedure.code}: {self.get_proposal_display()}"

    def search_text(self) -> str:
        return f"{self.procedure.code} {self.procedure.name} {self.round} {self.findings} {self.proposal_text} {self.sent_to}"

    @property
    def saving(self) -> Decimal | None:
        """Estimated yearly saving of compliance cost, when both costs are stated."""
        if self.cost_before is None or self.cost_after is None:
            return None
        return self.cost_before - self.cost_after

    @property
    def saving_rate(self) -> Decimal | None:
        return percent(self.saving, self.cost_before) if self.saving is not None else None

    @property
    def is_proposal(self) -> bool:
        return self.proposal != Proposal.KEEP


class ProcedureReviewEvent(models.Model):
    """One move of a review's status: who, when, from, to, why."""

    review = models.ForeignKey(ProcedureReview, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("lúc", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, on_delete=models.SET_NULL
    )
    action = models.CharField("thao tác", max_length=20)
    from_status = models.CharField("từ", max_length=10, choices=ReviewStatus.choices, blank=True)
    to_status = models.CharField("sang", max_length=10, choices=ReviewStatus.choices)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "lịch sử rà soát TTHC"
        verbose_name_plural = "lịch sử rà soát TTHC"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.review}: {self.from_status or '—'} → {self.to_status}"
