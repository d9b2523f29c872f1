"""Who may see and act on which dossier. Used by views, the API and the services.

- Seeing a dossier: anyone who may read its commune (`User.commune_ids()`).
- Its personal data (ID number, phone, address, e-mail): only the staff who handle
  it — the commune's one-stop officers, the department it is routed to, the
  commune's leaders — and global administrators. Others see masked values.
- Acting on it: the "counter" side (one-stop officers: receive, hand over, return)
  and the "department" side (the department it is routed to: process, finish,
  refuse, apologise). Leaders and administrators act on both sides.
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.http import Http404

from cchc.core.text import filter_by_search, mask_digits, mask_name
from cchc.org.models import Role

from .models import Dossier, Status

COUNTER = "counter"
DEPARTMENT = "department"
# The applicant acting through the public follow-up link (code + phone check): the
# few moves a citizen takes themselves (answer a supplement request, withdraw).
APPLICANT = "applicant"


def visible_dossiers(user) -> QuerySet[Dossier]:
    return Dossier.objects.filter(commune_id__in=user.commune_ids())


def dossier_for(user, code: str) -> Dossier:
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


def _is_commune_staff(user, dossier: Dossier) -> bool:
    return user.is_active and user.unit_id == dossier.commune_id


def sides(user, dossier: Dossier) -> set[str]:
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


def capabilities(user, dossier: Dossier) -> set[str]:
    """The sides the user may act on now — the capabilities of the dossier's move
    table (`services.WORKFLOW`). An online submission not yet accepted is checked by
    the counter alone (accept it, or refuse to accept it)."""
    result = sides(user, dossier)
    if dossier.status == Status.REGISTERED:
        return result & {COUNTER}
    return result


def can_see_personal(user, dossier: Dossier) -> bool:
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


def personal_data_dossiers(user) -> QuerySet[Dossier]:
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


def search_dossiers(user, query: str) -> tuple[QuerySet[Dossier], bool]:
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
