"""The register of reform communication (tuyên truyền CCHC, seed plan II.1c and
V.6): every news item, radio broadcast, conference, poster or post the commune
puts out about administrative reform. Items marked public appear on the commune's
public page (portal)."""

from __future__ import annotations

from django.db import models

from ..common.models import RegisterRecord


class Channel(models.TextChoices):
    NEWS = "news", "Tin, bài trên trang thông tin điện tử"
    RADIO = "radio", "Phát thanh trên Đài truyền thanh"
    CONFERENCE = "conference", "Hội nghị, tọa đàm, tập huấn"
    VISUAL = "visual", "Pano, áp phích, băng rôn"
    PRINT = "print", "Tờ rơi, tài liệu"
    SOCIAL = "social", "Mạng xã hội, nhóm Zalo"
    OTHER = "other", "Hình thức khác"


class Topic(models.TextChoices):
    GENERAL = "general", "Cải cách hành chính nói chung"
    PROCEDURES = "procedures", "Thủ tục hành chính, một cửa, dịch vụ công trực tuyến"
    DIGITAL = "digital", "Chính quyền số, chuyển đổi số"
    CIVIL_SERVICE = "civil_service", "Văn hóa công vụ, đạo đức công vụ"
    LAW = "law", "Phổ biến, giáo dục pháp luật"
    OTHER = "other", "Nội dung khác"


class CommunicationItemQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class CommunicationItem(RegisterRecord):
    """One communication item. A radio piece broadcast several times is one row
    with its number of broadcasts (`times`); its airtime is duration × times."""

    channel = models.CharField("hình thức", max_length=12, choices=Channel.choices)
    topic = models.CharField("chủ đề", max_length=15, choices=Topic.choices, default=Topic.GENERAL)
    title = models.CharField("tiêu đề", max_length=300)
    on = models.DateField("ngày thực hiện")
    summary = models.TextField("tóm tắt", blank=True)
    body = models.TextField(
        "nội dung", blank=True, help_text="Nội dung tin, bài (hiện trên trang công khai)."
    )
    duration_minutes = models.PositiveIntegerField("thời lượng (phút)", null=True, blank=True)
    times = models.PositiveIntegerField("số lần phát, đăng", default=1)
    audience = models.PositiveIntegerField("số người tham dự", null=True, blank=True)
    quantity = models.PositiveIntegerField("số lượng (bản, chiếc)", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=200, blank=True)
    link = models.URLField("đường dẫn", max_length=500, blank=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_public = models.BooleanField("đăng trên trang công khai của xã", default=False)

    objects = CommunicationItemQuerySet.as_manager()

    class Meta:
        verbose_name = "tin, hoạt động tuyên truyền CCHC"
        verbose_name_plural = "sổ theo dõi tuyên truyền CCHC"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["commune", "on"], name="communication_commune_on")]
        permissions = [("manage_communication", "Ghi sổ theo dõi tuyên truyền CCHC")]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_channel_display()}: {self.title}"

    def search_text(self) -> str:
        return f"{self.title} {self.summary} {self.place} {self.get_channel_display()}"

    @property
    def airtime_minutes(self) -> int | None:
        if self.duration_minutes is None:
            return None
        return self.duration_minutes * self.times
