"""Small factories for satisfaction and portal tests: a procedure and dossiers in
any state, written directly so that each test states exactly the dates and
outcomes it is about (the dossier services have their own tests)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count

from django.test import override_settings

from cchc.core.workcal import TZ
from cchc.dossiers.models import Action, Channel, Dossier, DossierEvent, Outcome, Status, SupplementRequest
from cchc.dossiers.stats import rebuild_day_stats
from cchc.procedures.models import Procedure
from cchc.testing import BaseTestCase

_serial = count(1)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def make_procedure(
    commune, code: str = "1.001193", name: str = "Thủ tục đăng ký khai sinh", **kw
) -> Procedure:
    defaults = dict(
        field="Hộ tịch",
        time_amount=3,
        time_unit="working_days",
        fee_amount=0,
        documents="Tờ khai đăng ký khai sinh\nGiấy chứng sinh",
        in_person=True,
        online=True,
        online_level="full",
    )
    defaults.update(kw)
    return Procedure.objects.create(commune=commune, code=code, name=name, **defaults)


def make_dossier(
    commune,
    procedure,
    *,
    received: date,
    status: str = Status.RETURNED,
    finished: date | None = None,
    outcome: str = Outcome.ON_TIME,
    due: date | None = None,
    department=None,
    phone: str = "0912345678",
    name: str = "Nguyễn Văn An",
    id_number: str = "001088012345",
    address: str = "Số 12 đường Lê Lợi, thôn Đông",
    received_by=None,
    handled_by=None,
    returned_by=None,
) -> Dossier:
    """A dossier received on `received`; finished on `finished` (default: two
    days later) when `status` is a finished one, with its events."""
    serial = next(_serial)
    due = due or received + timedelta(days=5)
    finished_states = (Status.PROCESSED, Status.RETURNED, Status.REFUSED, Status.STOPPED)
    is_finished = status in finished_states
    finished = (finished or received + timedelta(days=2)) if is_finished else None
    dossier = Dossier.objects.create(
        commune=commune,
        code=f"{commune.agency_code}-{received:%y%m%d}-{serial:04d}",
        serial=serial,
        procedure=procedure,
        department=department,
        channel=Channel.IN_PERSON,
        status=status,
        applicant_name=name,
        applicant_id_number=id_number,
        applicant_phone=phone,
        applicant_address=address,
        received_at=at(received, 8),
        received_by=received_by,
        rules_version="nd118-2025",
        time_amount=3,
        time_unit="working_days",
        due_date=due,
        original_due_date=due,
        finished_at=at(finished, 10) if finished else None,
        finish_outcome=outcome if finished else "",
        returned_at=at(finished, 15) if status == Status.RETURNED else None,
        closed_at=at(finished, 10) if finished else None,
    )
    _event(dossier, Action.RECEIVE, at(received, 8), received_by, "", Status.RECEIVED, dept_to=department)
    if status == Status.SUPPLEMENT:
        event = _event(
            dossier,
            Action.REQUEST_SUPPLEMENT,
            at(received, 9),
            received_by,
            Status.RECEIVED,
            Status.SUPPLEMENT,
            note="Giấy chứng sinh là bản chụp, không rõ chữ",
        )
        SupplementRequest.objects.create(
            dossier=dossier,
            event=event,
            number=1,
            items=["Giấy chứng sinh (bản chính)"],
            reason="Giấy chứng sinh là bản chụp, không rõ chữ",
            requested_at=event.at,
        )
    if status in (Status.PROCESSING, Status.PROCESSED, Status.RETURNED):
        _event(
            dossier,
            Action.TRANSFER,
            at(received, 9),
            received_by,
            Status.RECEIVED,
            Status.PROCESSING,
            dept_to=department,
            note="Chuyển xử lý (ghi chú nội bộ)",
        )
    if status in (Status.PROCESSED, Status.RETURNED):
        _event(dossier, Action.FINISH, at(finished, 10), handled_by, Status.PROCESSING, Status.PROCESSED)
    if status == Status.RETURNED:
        _event(
            dossier, Action.RETURN_RESULT, at(finished, 15), returned_by, Status.PROCESSED, Status.RETURNED
        )
    if status == Status.REFUSED:
        _event(
            dossier,
            Action.REFUSE,
            at(finished, 10),
            handled_by,
            Status.RECEIVED,
            Status.REFUSED,
            note="Không thuộc thẩm quyền giải quyết của xã",
        )
    # Rows written directly bypass the services that keep the per-day summary.
    rebuild_day_stats([commune.pk])
    return dossier


def _event(dossier, action, when, actor, from_status, to_status, *, dept_to=None, note="") -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        at=when,
        actor=actor,
        actor_label=str(actor or ""),
        action=action,
        from_status=from_status,
        to_status=to_status,
        department_to=dept_to,
        note=note,
    )


SCORES = {"access": 5, "procedure": 4, "officials": 5, "result": 5, "feedback": 4}


def rating_post(satisfied: bool = True, comment: str = "", **overrides) -> dict:
    data = {f"score_{k}": str(v) for k, v in SCORES.items()}
    data.update({"satisfied": "yes" if satisfied else "no", "comment": comment, "website": ""})
    data.update(overrides)
    return data


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class FastTestCase(BaseTestCase):
    """`BaseTestCase` with a fast password hasher: its named users are created for
    every test class, and the default hasher makes that take seconds."""
