"""Brute-force protection of staff sign-in and of API tokens (docs/operations.md,
"Security").

Every password check goes through `ThrottledModelBackend` — the login page, the
Django admin's login and anything else calling `authenticate(request=…)` — so a
lock-out cannot be walked around by another login form. After
`CCHC_LOGIN_FAILURES_PER_ACCOUNT` wrong passwords for one account, or
`CCHC_LOGIN_FAILURES_PER_ADDRESS` from one address, within `CCHC_LOGIN_LOCK_SECONDS`,
that account (or address) is refused for `CCHC_LOGIN_LOCK_SECONDS` without the
password being checked, even the right one. Each lock-out writes an audit row.
Bearer tokens: `CCHC_API_TOKEN_FAILURES_PER_ADDRESS` unknown tokens from one address
lock that address out of token authentication the same way (429).
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from . import audit, ratelimit
from .models import AuditLog

LOGIN = "login"
API_TOKEN = "api-token"


def lock_message(lock: ratelimit.Lock) -> str:
    who = "Tài khoản này" if lock.scope == "account" else "Máy của bạn"
    return (
        f"{who} đã nhập sai mật khẩu quá nhiều lần nên tạm thời bị khóa đăng nhập. "
        f"Vui lòng thử lại sau {lock.minutes_left} phút, hoặc liên hệ quản trị viên."
    )


def token_lock_message(lock: ratelimit.Lock) -> str:
    return (
        "Quá nhiều lần dùng khóa API không hợp lệ từ địa chỉ này; tạm thời bị từ chối. "
        f"Vui lòng thử lại sau {lock.minutes_left} phút."
    )


def _record_lockout(kind: str, request: HttpRequest, username: str | None, scopes: list[str]) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first() if username else None
    what = "đăng nhập" if kind == LOGIN else "khóa API"
    for scope in scopes:
        target = f"tài khoản {username}" if scope == "account" else f"địa chỉ {ratelimit.client_ip(request)}"
        audit.record(
            None,
            AuditLog.Action.LOCKOUT,
            {
                "kind": kind,
                "scope": scope,
                "username": username or "",
                "address": ratelimit.client_ip(request),
            },
            model_label=("org", "user"),
            object_id=str(user.pk) if user else "",
            object_repr=f"Tạm khóa {what} sau nhiều lần sai: {target}",
            commune_id=user.audit_commune_id if user else None,
        )


def login_lock(request: HttpRequest | None, username: str | None) -> ratelimit.Lock | None:
    return ratelimit.locked(LOGIN, request, username) if request is not None else None


class ThrottledModelBackend(ModelBackend):
    """`ModelBackend` that refuses locked accounts and addresses before checking the
    password and counts wrong passwords (only when the request is known: scripts
    and tests calling `authenticate()` without one are not throttled)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            from django.contrib.auth import get_user_model

            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is not None and login_lock(request, username):
            raise PermissionDenied  # stops every backend: the password is not even checked
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if request is not None:
            if user is None:
                scopes = ratelimit.failed(LOGIN, request, username)
                if scopes:
                    _record_lockout(LOGIN, request, username, scopes)
            else:
                ratelimit.succeeded(LOGIN, request, username)
        return user


def token_lock(request: HttpRequest) -> ratelimit.Lock | None:
    return ratelimit.locked(API_TOKEN, request)


def token_failed(request: HttpRequest) -> None:
    scopes = ratelimit.failed(API_TOKEN, request)
    if scopes:
        _record_lockout(API_TOKEN, request, None, scopes)
