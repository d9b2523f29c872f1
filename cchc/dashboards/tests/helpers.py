"""Data of two communes for the dashboard tests: dossiers with known outcomes in
May 2025 (reporting month 2025-05: 15/04 → 14/05)."""

from __future__ import annotations

from cchc.dossiers.tests.helpers import act, at, make_procedure, receive
from cchc.org.models import Role
from cchc.testing import make_user


def two_communes(case) -> None:
    """Đức Xương: 3 received on 5/5/2025 (1 online), 2 finished early by tuphap, 1 still
    open and overdue at the end of May; Gia Lộc: 1 received and finished late."""
    case.proc = make_procedure(case.commune, department=case.dept_justice)  # 3 working days
    case.other_proc = make_procedure(case.other_commune, department=case.other_dept)
    m, t = case.motcua, case.tuphap
    case.d1 = receive(m, case.proc, at(2025, 5, 5), channel="online")
    act(case.d1, "transfer", m, at(2025, 5, 5, 10))
    act(case.d1, "finish", t, at(2025, 5, 6))
    case.d2 = receive(m, case.proc, at(2025, 5, 5))
    act(case.d2, "transfer", m, at(2025, 5, 5, 10))
    act(case.d2, "finish", t, at(2025, 5, 6, 11))
    case.d3 = receive(m, case.proc, at(2025, 5, 5))  # due 8/5, never finished
    act(case.d3, "transfer", m, at(2025, 5, 5, 10))
    case.other_officer = make_user("gl_tuphap", Role.DEPARTMENT_OFFICER, case.other_commune, case.other_dept)
    case.g1 = receive(case.other, case.other_proc, at(2025, 5, 5))
    act(case.g1, "transfer", case.other, at(2025, 5, 5, 10))
    act(case.g1, "finish", case.other_officer, at(2025, 5, 13))  # after 8/5: late
