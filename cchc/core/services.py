"""Operations of the core app: calendar overrides, notifications, API tokens."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ApiToken, CalendarOverride, Notification
from .text import clean_text


@transaction.atomic
def calendar_override_add(
    *, user: AbstractUser | None, date: date, kind: str, reason: str, reference: str = ""
) -> CalendarOverride:
    """Make `date` a day off or a working day, taking precedence over the national calendar.

    Open dossiers keep the due date they were given; recomputing them is a
    separate, recorded step of the one-stop app.
    """
    reason = clean_text(reason)
    if not reason:
        raise ValidationError("Cần ghi lý do điều chỉnh.")
    if kind not in CalendarOverride.Kind.values:
        raise ValidationError("Loại điều chỉnh phải là 'off' (ngày nghỉ) hoặc 'workday' (ngày làm việc).")
    if CalendarOverride.objects.filter(date=date).exists():
        raise ValidationError(f"Ngày {date:%d/%m/%Y} đã có điều chỉnh; xóa điều chỉnh cũ trước.")
    return CalendarOverride.objects.create(
        date=date, kind=kind, reason=reason, reference=clean_text(reference), created_by=user
    )


@transaction.atomic
def calendar_override_remove(*, day: date) -> bool:
    override = CalendarOverride.objects.filter(date=day).first()
    if override is None:
        return False
    override.delete()
    return True


def notify(
    *, user: AbstractUser, title: str, body: str = "", url: str = "", dedupe_key: str, email: bool = False
) -> bool:
    """Send an in-app notice (and optionally an e-mail) once per (user, dedupe_key).

    Returns False when the same notice was already sent, so that timers can run
    twice without sending twice.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, title=title[:300], body=body, url=url, dedupe_key=dedupe_key[:200]
            )
    except IntegrityError:
        return False
    if email and user.email:
        link = f"{settings.PUBLIC_BASE_URL}{url}" if url.startswith("/") else url
        send_mail(
            title, f"{body}\n\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


@transaction.atomic
def api_token_create(*, user: AbstractUser, name: str = "") -> tuple[ApiToken, str]:
    """Create a token; returns the row and the plain key, which is never stored."""
    if not user.is_active:
        raise ValidationError("Tài khoản đã bị khóa, không thể tạo khóa API.")
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=clean_text(name), key_hash=ApiToken.hash_key(key), key_prefix=key[:12]
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
