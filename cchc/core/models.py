"""Cross-cutting records: the audit trail, API tokens, calendar overrides, notifications."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditedModel(models.Model):
    """Base for every domain record: its creates, updates and deletes are written to
    `AuditLog` with who, when and what changed (see `cchc.core.audit`).

    Subclasses may define `audit_commune_id` (property) so that the log row can be
    scoped to a commune, and `audit_exclude` (field names never logged, e.g. hashes).
    """

    audit_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._audit_snapshot = dict(zip(field_names, values, strict=False))
        return instance


class AuditLog(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Tạo mới"
        UPDATE = "update", "Sửa"
        DELETE = "delete", "Xóa"
        VIEW = "view", "Xem dữ liệu cá nhân"
        EXPORT = "export", "Xuất dữ liệu"
        LOCKOUT = "lockout", "Tạm khóa đăng nhập"

    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    actor_label = models.CharField("người thực hiện (lúc ghi)", max_length=200, blank=True)
    source = models.CharField("kênh", max_length=40, blank=True)  # ui, api, admin, command:<name>
    action = models.CharField("hành động", max_length=10, choices=Action.choices)
    app_label = models.CharField(max_length=50)
    model = models.CharField("loại bản ghi", max_length=60)
    object_id = models.CharField("mã bản ghi", max_length=64)
    object_repr = models.CharField("bản ghi", max_length=300)
    changes = models.JSONField("thay đổi", default=dict, blank=True)
    commune_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["app_label", "model", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.get_action_display()} {self.object_repr}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(AuditedModel):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token itself
    is shown once, when created."""

    PREFIX = "cchc_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("tên", max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField("đầu mã", max_length=16)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    last_used_at = models.DateTimeField("dùng gần nhất", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    audit_exclude = ("key_hash",)
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class CalendarOverride(AuditedModel):
    """A local correction to the national calendar; takes precedence over it."""

    class Kind(models.TextChoices):
        OFF = "off", "Ngày nghỉ"
        WORKDAY = "workday", "Ngày làm việc"

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    reason = models.CharField("lý do", max_length=300)
    reference = models.CharField("căn cứ pháp lý", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thêm", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("thêm lúc", default=timezone.now)

    class Meta:
        verbose_name = "điều chỉnh lịch làm việc"
        verbose_name_plural = "điều chỉnh lịch làm việc"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.get_kind_display()} ({self.reason})"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notice for one user. `dedupe_key` makes senders idempotent: the same
    notice is never stored twice for a user (e.g. a daily reminder run twice)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField("liên kết", max_length=500, blank=True)
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField("lúc", default=timezone.now)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed_at = models.DateTimeField("đã gửi thư lúc", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_once_per_user")
        ]

    def __str__(self) -> str:
        return self.title
