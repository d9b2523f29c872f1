"""Deployment checks added to `cchc check --deploy` (Django's own cover HTTPS, HSTS
and cookies): what cchc itself needs to be run for real."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_public_base_url(app_configs=None, **kwargs) -> list:
    problems = []
    if not settings.PUBLIC_BASE_URL_SET and not settings.DEBUG:
        problems.append(
            Error(
                "CCHC_PUBLIC_BASE_URL chưa được đặt: mã QR đánh giá, đường dẫn tra cứu in trên giấy tiếp nhận "
                f"và trong thư sẽ trỏ về {settings.PUBLIC_BASE_URL}, người dân không mở được.",
                hint="Đặt CCHC_PUBLIC_BASE_URL là địa chỉ người dân truy cập, ví dụ https://dichvucong.xa.gov.vn.",
                id="cchc.E001",
            )
        )
        return problems
    url = urlsplit(settings.PUBLIC_BASE_URL)
    if settings.HTTPS and url.scheme != "https":
        problems.append(
            Warning(
                f"CCHC_HTTPS bật nhưng CCHC_PUBLIC_BASE_URL={settings.PUBLIC_BASE_URL} dùng http://.",
                hint="Dùng https:// trong CCHC_PUBLIC_BASE_URL.",
                id="cchc.W002",
            )
        )
    allowed = settings.ALLOWED_HOSTS
    if (
        url.hostname
        and "*" not in allowed
        and not any(url.hostname == h or (h.startswith(".") and url.hostname.endswith(h)) for h in allowed)
    ):
        problems.append(
            Warning(
                f"Tên miền {url.hostname} của CCHC_PUBLIC_BASE_URL không có trong CCHC_ALLOWED_HOSTS: "
                "mọi đường dẫn in ra sẽ bị từ chối (400).",
                hint=f"Thêm {url.hostname} vào CCHC_ALLOWED_HOSTS.",
                id="cchc.W003",
            )
        )
    if not settings.CSP:
        problems.append(
            Warning(
                "CCHC_CSP rỗng: trang không gửi Content-Security-Policy.",
                hint="Bỏ đặt CCHC_CSP để dùng chính sách mặc định.",
                id="cchc.W004",
            )
        )
    return problems
