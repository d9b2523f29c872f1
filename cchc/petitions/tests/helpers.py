"""Shared set-up for the petition tests: a fixed clock, a temporary media folder,
a clean rate-limit cache, and a helper that walks a petition through the workflow."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import datetime

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cchc.core.workcal import TZ
from cchc.petitions import services
from cchc.petitions.models import Petition
from cchc.testing import BaseTestCase

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def at(day: str, hour: int = 9, minute: int = 0) -> datetime:
    """'2026-04-29' → 09:00 that day, Vietnam time."""
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=TZ)


def pdf(name: str = "don.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# One temporary media folder for the whole run, removed at exit.
MEDIA_ROOT = tempfile.mkdtemp(prefix="cchc-petitions-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)


# A fast password hasher: the named users are re-created for every test class.
@override_settings(MEDIA_ROOT=MEDIA_ROOT, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class PetitionTestCase(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()

    def submit(self, *, at_: datetime | None = None, **overrides) -> Petition:
        data = {
            "commune": self.commune,
            "name": "Nguyễn Văn Bình",
            "address": "Thôn Phú Thọ, xã Đức Xương",
            "phone": "0912 345 678",
            "email": "binh@example.com",
            "subject": "Thời gian chờ chứng thực quá lâu",
            "content": "Sáng thứ Hai tôi phải chờ hơn hai tiếng để chứng thực bản sao.",
            "at": at_ or at("2026-04-29", 10),
        }
        data.update(overrides)
        return services.petition_submit(**data)

    def act(self, petition: Petition, user, action: str, when: datetime, **kwargs) -> Petition:
        return services.petition_act(petition=petition, user=user, action=action, at=when, **kwargs)

    def walk_to(self, status: str, petition: Petition | None = None) -> Petition:
        """Move a petition through the usual path up to `status`."""
        p = petition or self.submit()
        path = [
            ("accepted", self.motcua, "accept", {}),
            ("assigned", self.motcua, "assign", {"department": self.dept_justice}),
            ("answered", self.tuphap, "answer", {"answer": "Xã đã bố trí thêm người chứng thực."}),
            ("approved", self.chutich, "approve", {}),
            (
                "published",
                self.motcua,
                "publish",
                {
                    "public_title": "Thời gian chờ chứng thực",
                    "public_summary": "Phản ánh thời gian chờ chứng thực bản sao vào đầu tuần.",
                },
            ),
        ]
        days = ["2026-05-04", "2026-05-05", "2026-05-12", "2026-05-13", "2026-05-14"]
        for (target, user, action, kwargs), day in zip(path, days, strict=True):
            p = self.act(p, user, action, at(day), **kwargs)
            if target == status:
                return p
        raise AssertionError(f"unknown status {status}")
