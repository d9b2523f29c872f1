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
