"""The register of the commune's legal documents (seed plan II.2): its legal
normative documents (văn bản quy phạm pháp luật — resolutions of the People's
Council, decisions of the People's Committee) and its main administrative
decisions, with their status over time (in force, amended, replaced, expired,
annulled — and the document that changed it); the review and self-check rounds
(rà soát, tự kiểm tra) with a finding per document and how it was handled; and,
from these, the annual systematisation lists (hệ thống hóa). Status moves follow
`services.WORKFLOW` and are written as `LegalDocumentEvent`s."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from cchc.core.text import search_key

from ..common.models import RegisterRecord


class DocKind(models.TextChoices):
    RESOLUTION = "resolution", "Nghị quyết"
    DECISION = "decision", "Quyết định"
    DIRECTIVE = "directive", "Chỉ thị"
    PLAN = "plan", "Kế hoạch"
    OTHER = "other", "Văn bản khác"


class Issuer(models.TextChoices):
    COUNCIL = "council", "Hội đồng nhân dân xã"
    COMMITTEE = "committee", "Ủy ban nhân dân xã"
    CHAIRMAN = "chairman", "Chủ tịch Ủy ban nhân dân xã"


class DocStatus(models.TextChoices):
    IN_FORCE = "in_force", "Còn hiệu lực"
    AMENDED = "amended", "Còn hiệu lực, được sửa đổi, bổ sung một phần"
    REPLACED = "replaced", "Hết hiệu lực: bị thay thế"
    EXPIRED = "expired", "Hết hiệu lực: hết thời hạn"
    ANNULLED = "annulled", "Hết hiệu lực: bị bãi bỏ"


IN_FORCE = (DocStatus.IN_FORCE, DocStatus.AMENDED)
ENDED = (DocStatus.REPLACED, DocStatus.EXPIRED, DocStatus.ANNULLED)


def number_key(number: str) -> str:
    """'05/2024/QĐ-UBND' and '05/2024/QD-UBND ' are the same number."""
    return re.sub(r"\s+", "", search_key(number))


_NORMATIVE_NUMBER = re.compile(r"^\s*\d+\s*/\s*\d{4}\s*/")


def looks_normative(number: str) -> bool:
    """Legal normative documents carry their year in the number ('05/2024/QĐ-UBND');
    administrative decisions do not ('125/QĐ-UBND')."""
    return bool(_NORMATIVE_NUMBER.match(number or ""))


class LegalDocumentQuerySet(models.QuerySet):
    def normative(self):
        return self.filter(is_normative=True)

    def in_force_on(self, day: date):
        """In force on `day`: effective by then, and not ended on or before it."""
        effective = models.Q(effective_from__lte=day) | models.Q(
            effective_from__isnull=True, issued_on__lte=day
        )
        return self.filter(effective).filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day))


class LegalDocument(RegisterRecord):
    number = models.CharField("số, ký hiệu", max_length=60)
    number_key = models.CharField(max_length=60, editable=False)
    kind = models.CharField("loại văn bản", max_length=12, choices=DocKind.choices)
    is_normative = models.BooleanField("văn bản quy phạm pháp luật", default=True)
    issuer = models.CharField("cơ quan ban hành", max_length=10, choices=Issuer.choices)
    issued_on = models.DateField("ngày ban hành")
    subject = models.CharField("trích yếu", max_length=500)
    signer = models.CharField("người ký", max_length=150, blank=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận soạn thảo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    effective_from = models.DateField("ngày có hiệu lực", null=True, blank=True)
    status = models.CharField(
        "tình trạng", max_length=10, choices=DocStatus.choices, default=DocStatus.IN_FORCE
    )
    ended_on = models.DateField("ngày hết hiệu lực", null=True, blank=True)
    changed_by = models.ForeignKey(
        "self",
        verbose_name="văn bản sửa đổi, thay thế, bãi bỏ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    change_ref = models.CharField(
        "số văn bản sửa đổi, thay thế, bãi bỏ",
        max_length=120,
        blank=True,
        help_text="Khi văn bản đó không có trong sổ (ví dụ văn bản của cấp trên).",
    )
    status_note = models.CharField("ghi chú tình trạng", max_length=300, blank=True)
    note = models.TextField("ghi chú", blank=True)

    objects = LegalDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "văn bản của xã"
        verbose_name_plural = "sổ theo dõi văn bản QPPL, quyết định hành chính của xã"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["commune", "issued_on"], name="legaldoc_commune_issued")]
        constraints = [models.UniqueConstraint(fields=["commune", "number_key"], name="legaldoc_number_once")]
        permissions = [("manage_legal", "Ghi sổ văn bản, rà soát, hệ thống hóa văn bản của xã")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def search_text(self) -> str:
        return f"{self.number} {self.subject} {self.get_kind_display()} {self.signer}"

    def save(self, *args, **kwargs) -> None:
        self.number_key = number_key(self.number)
        super().save(*args, **kwargs)

    @property
    def is_in_force(self) -> bool:
        return self.status in IN_FORCE

    @property
    def changed_by_display(self) -> str:
        if self.changed_by_id:
            return str(self.changed_by)
        return self.change_ref


class LegalDocumentEvent(models.Model):
    """One change of a document's status, with the date it took effect and the
    document that made it."""

    document = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("lúc", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, on_delete=models.SET_NULL
    )
    action = models.CharField("thao tác", max_length=20)
    from_status = models.CharField("từ", max_length=10, choices=DocStatus.choices, blank=True)
    to_status = models.CharField("sang", max_length=10, choices=DocStatus.choices)
    on = models.DateField("có hiệu lực từ ngày", null=True, blank=True)
    changed_by = models.ForeignKey(
        LegalDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_ref = models.CharField(max_length=120, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "lịch sử tình trạng văn bản"
        verbose_name_plural = "lịch sử tình trạng văn bản"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.document}: {self.from_status or '—'} → {self.to_status}"

    @property
    def changed_by_display(self) -> str:
        return str(self.changed_by) if self.changed_by_id else self.change_ref


class RoundKind(models.TextChoices):
    SELF_CHECK = "self_check", "Tự kiểm tra văn bản"
    REGULAR = "regular", "Rà soát thường xuyên"
    TOPICAL = "topical", "Rà soát theo chuyên đề, lĩnh vực"
    SYSTEMATISATION = "systematisation", "Rà soát phục vụ hệ thống hóa định kỳ"


class ReviewRound(RegisterRecord):
    kind = models.CharField("hình thức", max_length=16, choices=RoundKind.choices)
    title = models.CharField("tên đợt", max_length=300)
    basis = models.CharField("căn cứ (kế hoạch, văn bản chỉ đạo)", max_length=300, blank=True)
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày", null=True, blank=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận chủ trì",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conclusion = models.TextField("kết quả, kết luận", blank=True)
    report_ref = models.CharField("báo cáo kết quả (số, ngày)", max_length=120, blank=True)

    class Meta:
        verbose_name = "đợt rà soát, tự kiểm tra văn bản"
        verbose_name_plural = "các đợt rà soát, tự kiểm tra văn bản"
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def search_text(self) -> str:
        return f"{self.title} {self.basis} {self.get_kind_display()}"


class Verdict(models.TextChoices):
    SUITABLE = "suitable", "Phù hợp, tiếp tục áp dụng"
    UNLAWFUL = "unlawful", "Trái pháp luật"
    UNSUITABLE = "unsuitable", "Không còn phù hợp với thực tế"
    OVERLAPPING = "overlapping", "Chồng chéo, mâu thuẫn"
    OUTDATED = "outdated", "Đã hết hiệu lực, chưa được công bố"


PROBLEMS = (Verdict.UNLAWFUL, Verdict.UNSUITABLE, Verdict.OVERLAPPING, Verdict.OUTDATED)


class Handling(models.TextChoices):
    NONE = "none", "Không cần xử lý"
    AMEND = "amend", "Sửa đổi, bổ sung"
    REPLACE = "replace", "Thay thế"
    ANNUL = "annul", "Bãi bỏ"
    PUBLISH_EXPIRED = "publish_expired", "Công bố hết hiệu lực"
    ISSUE_NEW = "issue_new", "Ban hành văn bản mới"


class Finding(RegisterRecord):
    """What a round found about one document, what it proposed, and how that was
    handled (when, by which document)."""

    round = models.ForeignKey(
        ReviewRound, verbose_name="đợt", on_delete=models.CASCADE, related_name="findings"
    )
    document = models.ForeignKey(
        LegalDocument, verbose_name="văn bản", on_delete=models.PROTECT, related_name="findings"
    )
    reviewed_on = models.DateField("ngày rà soát")
    verdict = models.CharField("kết quả rà soát", max_length=12, choices=Verdict.choices)
    description = models.TextField("nội dung phát hiện", blank=True)
    proposed = models.CharField("hướng xử lý", max_length=16, choices=Handling.choices, default=Handling.NONE)
    handled_on = models.DateField("ngày xử lý xong", null=True, blank=True)
    handled_by = models.ForeignKey(
        LegalDocument,
        verbose_name="văn bản xử lý",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handling_ref = models.CharField("số văn bản xử lý (ngoài sổ)", max_length=120, blank=True)
    handling_note = models.CharField("ghi chú xử lý", max_length=300, blank=True)

    class Meta:
        verbose_name = "kết quả rà soát một văn bản"
        verbose_name_plural = "kết quả rà soát văn bản"
        ordering = ["round", "document__issued_on", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "document"], name="finding_once_per_round")]

    def __str__(self) -> str:
        return f"{self.document}: {self.get_verdict_display()}"

    def search_text(self) -> str:
        return f"{self.document.number} {self.document.subject} {self.description}"

    @property
    def needs_handling(self) -> bool:
        return self.verdict in PROBLEMS

    @property
    def is_handled(self) -> bool:
        return self.handled_on is not None
