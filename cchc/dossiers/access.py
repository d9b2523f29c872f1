"""Who may see and act on which dossier. Used by views, the API and the services.

- Seeing a dossier: anyone who may read its commune (`User.commune_ids()`).
- Its personal data (ID number, phone, address, e-mail): only the staff who handle
  it — the commune's one-stop officers, the department it is routed to, the
  commune's leaders — and global administrators. Others see masked values.
- Acting on it: the "counter" side (one-stop officers: receive, hand over, return)
  and the "department" side (the department it is routed to: process, finish,
  refuse, apologise). Leaders and administrators act on both sides.
- Work queues (`QUEUES`, `queue_dossiers`): the lists of dossiers waiting for the
  user, for the queue page, the home panel and the API (`?queue=`).
"""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cchc.core.text import filter_by_search, mask_digits, mask_name
from cchc.core.workcal import get_calendar
from cchc.org.models import Role, User

from .models import OPEN_STATUSES, Dossier, Status

COUNTER = "counter"
DEPARTMENT = "department"
# The applicant acting through the public follow-up link (code + phone check): the
# few moves a citizen takes themselves (answer a supplement request, withdraw).
APPLICANT = "applicant"


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    return Dossier.objects.filter(commune_id__in=user.commune_ids())


def dossier_for(user: User, code: str) -> Dossier:
    """The dossier with `code` if the user may see it; 404 otherwise (a guessed code
    must not reveal that a dossier exists in another commune)."""
    dossier = (
        visible_dossiers(user)
        .select_related("procedure", "department", "commune", "received_by")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def _is_commune_staff(user: User, dossier: Dossier) -> bool:
    return user.is_active and user.unit_id == dossier.commune_id


def sides(user: User, dossier: Dossier) -> set[str]:
    """The sides of the flow the user may act on for this dossier."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.sees_all_units:
        return {COUNTER, DEPARTMENT}
    if not _is_commune_staff(user, dossier):
        return set()
    if user.is_leader:
        return {COUNTER, DEPARTMENT}
    result = set()
    if user.role == Role.ONE_STOP_OFFICER and user.has_perm("dossiers.receive_dossier"):
        result.add(COUNTER)
    if (
        dossier.department_id
        and user.department_id == dossier.department_id
        and user.has_perm("dossiers.process_dossier")
    ):
        result.add(DEPARTMENT)
    return result


def capabilities(user: User, dossier: Dossier) -> set[str]:
    """The sides the user may act on now — the capabilities of the dossier's move
    table (`services.WORKFLOW`). An online submission not yet accepted is checked by
    the counter alone (accept it, or refuse to accept it)."""
    result = sides(user, dossier)
    if dossier.status == Status.REGISTERED:
        return result & {COUNTER}
    return result


def can_see_personal(user: User, dossier: Dossier) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.sees_all_units:
        return True
    if not _is_commune_staff(user, dossier):
        return False
    if user.is_leader or user.role == Role.ONE_STOP_OFFICER:
        return True
    return bool(dossier.department_id) and user.department_id == dossier.department_id


def applicant_view(dossier: Dossier, full: bool) -> dict[str, str]:
    """The applicant's data as the user may see it (masked unless `full`)."""
    if full:
        return {
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone,
            "address": dossier.applicant_address,
            "email": dossier.applicant_email,
            "representative": dossier.representative,
        }
    return {
        "name": mask_name(dossier.applicant_name),
        "id_number": mask_digits(dossier.applicant_id_number, 3),
        "phone": mask_digits(dossier.applicant_phone, 3),
        "address": "***",
        "email": "***" if dossier.applicant_email else "",
        "representative": mask_name(dossier.representative) if dossier.representative else "",
    }


def personal_data_dossiers(user: User) -> QuerySet[Dossier]:
    """The dossiers whose personal data the user may see (`can_see_personal` as a
    query): a search by phone or ID number only looks in these, so that it cannot
    be used to learn whose number is in another department's dossier."""
    if not user.is_authenticated or not user.is_active:
        return Dossier.objects.none()
    if user.sees_all_units:
        return Dossier.objects.all()
    if user.unit_id is None or not user.unit or not user.unit.is_commune:
        return Dossier.objects.none()
    qs = Dossier.objects.filter(commune_id=user.unit_id)
    if user.is_leader or user.role == Role.ONE_STOP_OFFICER:
        return qs
    if user.department_id:
        return qs.filter(department_id=user.department_id)
    return Dossier.objects.none()


# A query that is a phone number (0912 345 678, +84912345678) or an ID number
# (CCCD 12 digits, CMND 9, tax code 10 or 10-3, passport letter + 7–8 digits).
_PERSONAL_QUERY = re.compile(r"^(\+?\d{9,13}|\d{10}-\d{3}|[A-Z]\d{7,8})$")


def search_dossiers(user: User, query: str) -> tuple[QuerySet[Dossier], bool]:
    """Every dossier the user may see matching `query`, whatever its status: by code
    or applicant name (accents ignored), or — when the query is a phone or ID
    number — by an exact match of the digits among the dossiers whose personal data
    the user may see. Returns (dossiers, searched by personal data)."""
    compact = re.sub(r"[\s.()]", "", query or "").upper()
    if _PERSONAL_QUERY.match(compact):
        variants = {compact}
        if compact.startswith("+84"):
            variants.add("0" + compact[3:])
        elif compact.startswith("0"):
            variants.add("+84" + compact[1:])
        matches = (
            personal_data_dossiers(user)
            .filter(commune_id__in=user.commune_ids())
            .filter(Q(applicant_phone__in=variants) | Q(applicant_id_number__in=variants))
        )
        return matches, True
    return filter_by_search(visible_dossiers(user), query), False


# The work queues: name (the `?hang=` of the queue page, `?queue=` of the API) → label.
QUEUES = {
    "counter": "Quầy Một cửa",
    "online": "Hồ sơ trực tuyến chờ tiếp nhận",
    "inbox": "Hộp hồ sơ của bộ phận",
    "due": "Đến hạn trong 1 ngày làm việc",
    "overdue": "Quá hạn",
    "all": "Tất cả",
}
# At the counter: received and not yet handed over, back from the department for
# return, or waiting for the applicant's supplement.
COUNTER_STATUSES = (Status.RECEIVED, Status.PROCESSED, Status.SUPPLEMENT)


def works_at_counter(user: User) -> bool:
    """One-stop officers and leaders start from the counter's queues; department
    officers from their department's inbox."""
    return user.role == Role.ONE_STOP_OFFICER or user.is_leader


def default_queue(user: User) -> str:
    """The tab a user lands on: the counter, the department's inbox, or — for the
    province's staff, who work in no commune — every dossier of their communes."""
    if user.home_commune is None:
        return "all"
    return "counter" if works_at_counter(user) else "inbox"


def home_queues(user: User) -> list[str]:
    """The queues counted on the user's home panel."""
    return ["counter", "online", "due", "overdue"] if works_at_counter(user) else ["inbox", "due", "overdue"]


def worked_dossiers(user: User) -> QuerySet[Dossier]:
    """Dossiers the user works on: the whole commune for one-stop officers, leaders
    and administrators, the user's department otherwise."""
    qs = visible_dossiers(user)
    if works_at_counter(user) or user.sees_all_units:
        return qs
    if user.department_id:
        return qs.filter(department_id=user.department_id)
    return qs


def queue_dossiers(user: User, name: str, today: date | None = None) -> QuerySet[Dossier]:
    """The dossiers of queue `name` (a key of `QUEUES`) for the user. "due" and
    "overdue" leave out dossiers waiting for a supplement (status code 5): their
    clock is stopped (`DossierQuerySet.overdue`, `due_within`)."""
    if name not in QUEUES:
        raise ValueError(f"Unknown queue {name!r}")
    today = today or timezone.localdate()
    qs = visible_dossiers(user)
    if name == "counter":
        return qs.filter(status__in=COUNTER_STATUSES)
    if name == "online":
        return qs.filter(status=Status.REGISTERED)
    if name == "inbox":
        return qs.filter(department_id=user.department_id, status__in=OPEN_STATUSES)
    base = worked_dossiers(user)
    if name == "due":
        return base.due_within(today, get_calendar().next_working_day(today))
    if name == "overdue":
        return base.overdue(today)
    return base


def queue_counts(user: User, today: date | None = None) -> list[tuple[str, str, int]]:
    """(name, label, count) of the user's home-panel queues."""
    today = today or timezone.localdate()
    return [(n, QUEUES[n], queue_dossiers(user, n, today).count()) for n in home_queues(user)]
