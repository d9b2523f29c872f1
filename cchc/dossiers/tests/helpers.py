"""Small builders for the dossier tests (procedures are created directly: the
catalogue app is someone else's)."""

from __future__ import annotations

from datetime import datetime

from cchc.core.workcal import TZ
from cchc.dossiers.services import Applicant, dossier_act, dossier_receive
from cchc.procedures.models import Procedure


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def make_procedure(
    commune, code="1.001193", *, department=None, amount=3, unit="working_days", **kw
) -> Procedure:
    defaults = dict(
        name=kw.pop("name", "Thủ tục đăng ký khai sinh"),
        field=kw.pop("field", "Hộ tịch"),
        time_amount=amount,
        time_unit=unit,
        department=department,
        online=True,
        postal=True,
    )
    defaults.update(kw)
    return Procedure.objects.create(commune=commune, code=code, **defaults)


APPLICANT = Applicant(
    name="Nguyễn Văn An", id_number="034095001234", phone="0912345678", address="Thôn Đông, xã Đức Xương"
)


def receive(user, procedure, when: datetime, channel="in_person", **kw):
    return dossier_receive(
        user=user,
        procedure=procedure,
        channel=channel,
        applicant=kw.pop("applicant", APPLICANT),
        received_at=when,
        now=when,
        **kw,
    )


def act(dossier, action, user, when: datetime, **kw):
    return dossier_act(dossier=dossier, action=action, user=user, at=when, now=when, **kw)


# --- online submissions with documents -------------------------------------------------
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="to-khai.pdf", content=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_online_procedure(commune, code="1.001193", *, department=None, level="full", **kw):
    """A birth registration offered online with a checklist: two required lines, an
    optional one, and a case (by proxy) with its own required line."""
    from cchc.procedures.models import HeadingKind, RequiredDocument, Requirement

    proc = make_procedure(commune, code, department=department, online=True, online_level=level, **kw)
    rows = [
        ("Tờ khai đăng ký khai sinh", "", HeadingKind.SUBMIT, Requirement.REQUIRED),
        ("Giấy chứng sinh", "", HeadingKind.SUBMIT, Requirement.REQUIRED),
        ("Giấy tờ chứng minh nơi cư trú", "", HeadingKind.SUBMIT, Requirement.OPTIONAL),
        ("Văn bản ủy quyền", "Trường hợp ủy quyền", HeadingKind.CASE, Requirement.REQUIRED),
        ("Người nộp xuất trình CCCD khi nhận kết quả", "Lưu ý", HeadingKind.NOTE, Requirement.NOTE),
    ]
    for seq, (label, heading, kind, req) in enumerate(rows, start=1):
        RequiredDocument.objects.create(
            procedure=proc,
            seq=seq,
            text=label,
            label=label,
            heading=heading,
            heading_kind=kind,
            requirement=req,
        )
    return proc
