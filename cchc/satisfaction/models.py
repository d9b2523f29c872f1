"""Satisfaction ratings (đánh giá sự hài lòng, SIPAS — docs/rules.md §9) and the
follow-up of "not satisfied" ratings.

Invariants kept by `services.py` (the only writer):
- one rating per dossier, enforced by a unique constraint, so two submissions racing
  each other cannot both be stored;
- a rating is taken only once the dossier is finished (`Dossier.is_finished`);
- `commune`, `procedure`, `department` and `officer` are copied from the dossier
  when the rating is stored, so statistics are plain aggregate queries and do not
  change if the dossier is later re-routed;
- a "not satisfied" rating with a comment has exactly one `FollowUp`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from cchc.core.models import AuditedModel
from cchc.core.workcal import TZ

# SIPAS factors (QĐ 1001/QĐ-BNV): field name → Vietnamese label. The order is the
# order of the survey; statistics and the API use the short keys.
FACTORS: dict[str, str] = {
    "access": "Tiếp cận dịch vụ",
    "procedure": "Thủ tục hành chính",
    "officials": "Công chức giải quyết",
    "result": "Kết quả giải quyết",
    "feedback": "Tiếp nhận, xử lý góp ý, phản ánh",
}
FACTOR_QUESTIONS: dict[str, str] = {
    "access": "Việc tiếp cận dịch vụ (địa điểm, thông tin, cách nộp hồ sơ)",
    "procedure": "Thủ tục hành chính (giấy tờ, thời hạn, phí được công khai và đúng quy định)",
    "officials": "Thái độ, năng lực của công chức giải quyết",
    "result": "Kết quả giải quyết (đúng, đủ, đúng hẹn)",
    "feedback": "Việc tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
}
SCORE_LABELS = {
    1: "Rất không hài lòng",
    2: "Không hài lòng",
    3: "Bình thường",
    4: "Hài lòng",
    5: "Rất hài lòng",
}


def day_range(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[start, end) instants covering the local days `date_from` … `date_to`."""
    start = datetime.combine(date_from, time.min, tzinfo=TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=TZ)
    return start, end


def factor_field(key: str) -> str:
    return f"score_{key}"


class RatingChannel(models.TextChoices):
    LOOKUP = "lookup", "Trang tra cứu hồ sơ"
    QR = "qr", "Mã QR / đường dẫn trên phiếu kết quả"
    KIOSK = "kiosk", "Máy tính bảng tại quầy"


def _score_field(key: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(FACTORS[key])


class RatingQuerySet(models.QuerySet):
    def for_communes(self, commune_ids):
        return self.filter(commune_id__in=list(commune_ids))

    def rated_between(self, date_from, date_to):
        """Ratings given from `date_from` to `date_to` inclusive (local dates)."""
        start, end = day_range(date_from, date_to)
        return self.filter(rated_at__gte=start, rated_at__lt=end)


class Rating(AuditedModel):
    """One applicant's rating of one finished dossier."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="rating"
    )
    commune = models.ForeignKey("org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name="thủ tục", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận giải quyết",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="công chức trả kết quả / giải quyết",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField("kênh đánh giá", max_length=10, choices=RatingChannel.choices)
    score_access = _score_field("access")
    score_procedure = _score_field("procedure")
    score_officials = _score_field("officials")
    score_result = _score_field("result")
    score_feedback = _score_field("feedback")
    satisfied = models.BooleanField("hài lòng chung")
    comment = models.TextField("góp ý", blank=True)
    rated_at = models.DateTimeField("đánh giá lúc", default=timezone.now)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = "đánh giá sự hài lòng"
        verbose_name_plural = "đánh giá sự hài lòng"
        ordering = ["-rated_at", "-id"]
        permissions = [
            ("view_rating_stats", "Xem thống kê đánh giá sự hài lòng"),
            ("open_kiosk", "Mở màn hình đánh giá tại quầy cho một hồ sơ"),
        ]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{factor_field(k)}__gte": 1, f"{factor_field(k)}__lte": 5}),
                    name=f"rating_{k}_1_to_5",
                )
                for k in FACTORS
            ],
        ]
        indexes = [
            models.Index(fields=["commune", "rated_at"], name="rating_commune_idx"),
            models.Index(fields=["department", "rated_at"], name="rating_department_idx"),
        ]

    def __str__(self) -> str:
        return f"Đánh giá hồ sơ {self.dossier_id}"

    @property
    def scores(self) -> dict[str, int]:
        return {k: getattr(self, factor_field(k)) for k in FACTORS}

    @property
    def score_rows(self) -> list[tuple[str, int]]:
        return [(FACTORS[k], v) for k, v in self.scores.items()]


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FollowUp.Status.OPEN)


class FollowUp(AuditedModel):
    """A "not satisfied" rating with a comment, to be handled by the one-stop lead."""

    class Status(models.TextChoices):
        OPEN = "open", "Đang xử lý"
        CLOSED = "closed", "Đã xử lý"

    rating = models.OneToOneField(
        Rating, verbose_name="đánh giá", on_delete=models.CASCADE, related_name="follow_up"
    )
    commune = models.ForeignKey("org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người phụ trách",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.TextField("kết quả xử lý", blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    closed_at = models.DateTimeField("xử lý xong lúc", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xử lý",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = "phản hồi không hài lòng"
        verbose_name_plural = "phản hồi không hài lòng"
        ordering = ["status", "-created_at", "-id"]
        permissions = [("close_followup", "Xử lý, đóng phản hồi không hài lòng")]
        indexes = [models.Index(fields=["commune", "status", "created_at"], name="followup_queue_idx")]

    def __str__(self) -> str:
        return f"Phản hồi về hồ sơ {self.rating.dossier_id}"
