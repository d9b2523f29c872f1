"""Small builders for satisfaction and portal tests: a procedure, and dossiers in any
state built through the dossier services (`dossier_receive`, `dossier_act`) with
the dates each test is about, so that they follow the same lifecycle as real ones."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.test import override_settings

from cchc.core.workcal import TZ
from cchc.dossiers.models import Dossier, Status
from cchc.dossiers.services import Applicant, dossier_act, dossier_receive
from cchc.org.models import LEADER_ROLES, Role, Unit, User
from cchc.procedures.models import Procedure
from cchc.testing import BaseTestCase, make_user


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


def _staff(commune: Unit, roles: tuple[str, ...], role: str) -> User:
    """An active user of the commune with one of `roles` (created when there is none)."""
    user = User.objects.filter(unit=commune, role__in=roles, is_active=True).order_by("pk").first()
    return user or make_user(f"{role}-{commune.slug}", role, commune)


# `make_dossier(department=...)` default: the procedure's department.
FROM_PROCEDURE = object()
FINISHED_STATES = (Status.PROCESSED, Status.RETURNED, Status.REFUSED, Status.STOPPED)
BUILT_STATES = (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.WITHDRAWN, *FINISHED_STATES)


def make_dossier(
    commune: Unit,
    procedure: Procedure,
    *,
    received: date,
    status: str = Status.RETURNED,
    finished: date | None = None,
    outcome: str | None = None,
    department=FROM_PROCEDURE,
    phone: str = "0912345678",
    name: str = "Nguyễn Văn An",
    id_number: str = "001088012345",
    address: str = "Số 12 đường Lê Lợi, thôn Đông",
    received_by: User | None = None,
    handled_by: User | None = None,
    returned_by: User | None = None,
) -> Dossier:
    """A dossier of `procedure` received at 08:00 on `received` and moved to `status`
    through the services, each step at the time it names:

    - received by `received_by` (default: the commune's one-stop officer);
    - processing and later states: transferred at 09:00 on `received` to
      `department` (default: the procedure's; `None`: kept at the counter);
    - supplement: a supplement requested at 09:00 on `received`;
    - withdrawn: withdrawn at the applicant's request at 10:00 on `finished`;
    - processed / returned / refused / stopped: finished (refused, stopped) at 10:00
      on `finished` (default: two days after `received`) by `handled_by` (default:
      the commune's leader); returned at 15:00 by `returned_by` (default: the
      receiver).

    The due date is the services' (the procedure's time from the receipt);
    `outcome`, when given, is checked against the outcome the services derived, so
    a test states a lateness its dates really produce."""
    if status not in BUILT_STATES:
        raise ValueError(f"make_dossier builds {', '.join(BUILT_STATES)}, not {status!r}.")
    receiver = received_by or _staff(commune, (Role.ONE_STOP_OFFICER,), Role.ONE_STOP_OFFICER)
    start = at(received, 8)
    dossier = dossier_receive(
        user=receiver,
        procedure=procedure,
        channel="in_person",
        applicant=Applicant(name=name, id_number=id_number, phone=phone, address=address),
        received_at=start,
        now=start,
    )

    def act(action: str, user: User, when: datetime, **kw) -> None:
        dossier_act(dossier=dossier, action=action, user=user, at=when, now=when, **kw)

    if department is FROM_PROCEDURE:
        department = procedure.department
    if status == Status.SUPPLEMENT:
        act(
            "request_supplement",
            receiver,
            at(received, 9),
            items=["Giấy chứng sinh (bản chính)"],
            note="Giấy chứng sinh là bản chụp, không rõ chữ",
        )
    if status in (Status.PROCESSING, *FINISHED_STATES) and department is not None:
        act(
            "transfer", receiver, at(received, 9), department=department, note="Chuyển xử lý (ghi chú nội bộ)"
        )
    done = at(finished or received + timedelta(days=2), 10)
    if status == Status.WITHDRAWN:
        act("withdraw", receiver, done, note="Người nộp xin rút hồ sơ")
    if status in FINISHED_STATES:
        handler = handled_by or _staff(commune, LEADER_ROLES, Role.CHAIRMAN)
        if status == Status.REFUSED:
            act("refuse", handler, done, note="Không thuộc thẩm quyền giải quyết của xã")
        elif status == Status.STOPPED:
            act("stop", handler, done, note="Người nộp không bổ sung hồ sơ")
        else:
            act("finish", handler, done)
        if status == Status.RETURNED:
            act("return_result", returned_by or receiver, done.replace(hour=15))
    dossier.refresh_from_db()
    if outcome is not None and dossier.finish_outcome != outcome:
        raise AssertionError(
            f"make_dossier: finished {dossier.finished_at:%d/%m/%Y} against the due date "
            f"{dossier.due_date:%d/%m/%Y} is {dossier.finish_outcome!r}, not {outcome!r}; "
            "choose `finished` (or the procedure's time) for the outcome wanted."
        )
    return dossier


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
