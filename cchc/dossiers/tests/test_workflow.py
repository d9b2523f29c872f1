"""The dossier move table (`services.WORKFLOW`) and the shared tail of `dossier_act`:
every (action, source status) pair of the table is walked once, and the per-day
counters the tail keeps must equal a recount from the dossiers."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied

from cchc.core.workflow import RESUME, SAME, Conflict
from cchc.dossiers import api
from cchc.dossiers.models import OPEN_STATUSES, Action, DossierDayStat, Status
from cchc.dossiers.services import (
    _HANDLERS,
    WORKFLOW,
    IllegalMove,
    Payment,
    day_counts,
    dossier_submit_online,
)
from cchc.dossiers.stats import rebuild_day_stats
from cchc.testing import BaseTestCase

from .helpers import APPLICANT, act, at, make_procedure, receive


class MoveTableTests(BaseTestCase):
    def test_every_action_has_one_handler_and_the_api_offers_exactly_the_table(self):
        self.assertEqual(set(_HANDLERS), {m.action for m in WORKFLOW})
        self.assertEqual(set(api.ActionName.__args__), {m.action for m in WORKFLOW})
        self.assertLessEqual(WORKFLOW.statuses(), set(Status.values))
        # Entering moves (receive, submit) and the calendar's adjustment are not table moves.
        self.assertEqual(
            set(Action.values) - {m.action for m in WORKFLOW}, {"receive", "submit", "adjust_due"}
        )

    def test_an_illegal_move_is_a_core_conflict(self):
        self.assertTrue(issubclass(IllegalMove, Conflict))

    def test_counters_are_derived_from_the_action_and_the_outcome(self):
        self.assertEqual(
            day_counts("receive", "on_time", "online", online_level="full"),
            {"received": 1, "online": 1, "online_full": 1, "online_partial": 0},
        )
        self.assertEqual(
            day_counts("accept", "", "online", online_level="partial"),
            {"received": 1, "online": 1, "online_full": 0, "online_partial": 1},
        )
        self.assertEqual(
            day_counts("receive", "on_time", "in_person", online_level="full"),  # not an online receipt
            {"received": 1, "online": 0, "online_full": 0, "online_partial": 0},
        )
        self.assertEqual(day_counts("refuse", "late", "in_person"), {"finished": 1, "late": 1, "refused": 1})
        self.assertEqual(day_counts("refuse", "", "online"), {})  # never received
        self.assertEqual(day_counts("stop", "early", "postal"), {"finished": 1, "early": 1, "refused": 0})
        self.assertEqual(day_counts("withdraw", "", "in_person"), {"withdrawn": 1})
        for action in ("transfer", "request_supplement", "apologize", "request_payment"):
            self.assertEqual(day_counts(action, "on_time", "in_person"), {})
        self.assertEqual(
            day_counts("return_result", "", "in_person", return_mode="electronic"),
            {"returned": 1, "returned_electronic": 1},
        )
        self.assertEqual(
            day_counts("return_result", "", "online", return_mode="paper"),
            {"returned": 1, "returned_electronic": 0},
        )
        self.assertEqual(
            day_counts("receive_payment", "", "online", fee_method="online"), {"paid": 1, "paid_online": 1}
        )
        self.assertEqual(
            day_counts("receive_payment", "", "online", fee_method="cash"), {"paid": 1, "paid_online": 0}
        )


class EveryMoveTests(BaseTestCase):
    """Each (action, source) pair of the table, taken by the chairman (both sides)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)  # 3 working days

    def reach(self, status: str, when):
        """A dossier in `status`, built through the services."""
        u = self.chutich
        if status == Status.REGISTERED:
            return dossier_submit_online(
                user=u, procedure=self.proc, applicant=APPLICANT, submitted_at=when, now=when
            )
        d = receive(u, self.proc, when)
        steps = {
            Status.RECEIVED: [],
            Status.PROCESSING: [("transfer", {})],
            Status.SUPPLEMENT: [
                ("transfer", {}),
                ("request_supplement", {"note": "Thiếu", "items": ["Tờ khai"]}),
            ],
            Status.AWAITING_PAYMENT: [("request_payment", {"payment": Payment(amount=Decimal(8000))})],
            Status.PROCESSED: [("transfer", {}), ("finish", {})],
        }[status]
        for minutes, (action, kw) in enumerate(steps, start=1):
            act(d, action, u, when + timedelta(minutes=minutes), **kw)
        d.refresh_from_db()
        return d

    def test_each_pair_lands_where_the_table_says_and_the_day_counters_match_a_recount(self):
        inputs = {
            "request_supplement": {"note": "Thiếu", "items": ["Giấy chứng sinh"]},
            "apologize": {"note": "Chờ xác minh", "new_date": date(2025, 6, 30)},
            "refuse": {"note": "Không đủ điều kiện"},
            "withdraw": {"note": "Xin rút"},
            "request_payment": {"payment": Payment(amount=Decimal(8000))},
            "receive_payment": {"payment": Payment(method="cash", receipt="BL-0001")},
            "stop": {"note": "Người dân đề nghị dừng"},
        }
        pairs = 0
        for day, move in enumerate(WORKFLOW, start=2):
            for source in move.sources:
                when = at(2025, 6, day, 8)  # one day per move
                d = self.reach(source, when)
                kw = dict(inputs.get(move.action, {}))
                if move.action == "transfer" and source == Status.PROCESSING:
                    kw["department"] = self.dept_land
                event = act(d, move.action, self.chutich, when + timedelta(hours=2), **kw)
                d.refresh_from_db()
                expected = {SAME: source, RESUME: event.to_status}.get(move.target, move.target)
                if move.target == RESUME:
                    self.assertIn(expected, (Status.RECEIVED, Status.PROCESSING))
                self.assertEqual((event.from_status, event.to_status, d.status), (source, expected, expected))
                self.assertEqual(d.closed_at is None, d.status in OPEN_STATUSES, (move.action, source))
                if d.finished_at is not None:  # refused or stopped while paused: the pause ends
                    self.assertEqual((d.paused_at, d.paused_remaining_days), (None, None))
                pairs += 1
        self.assertEqual(pairs, sum(len(m.sources) for m in WORKFLOW))
        kept = list(DossierDayStat.objects.order_by("day").values("day", *DossierDayStat.COUNTERS))
        rebuild_day_stats([self.commune.pk])
        recount = list(DossierDayStat.objects.order_by("day").values("day", *DossierDayStat.COUNTERS))
        self.assertEqual(kept, recount)
        totals = {c: sum(r[c] for r in kept) for c in DossierDayStat.COUNTERS}
        self.assertGreater(totals["refused"], 0)
        self.assertGreater(totals["withdrawn"], 0)
        self.assertGreater(totals["online"], 0)
        self.assertGreater(totals["returned"], 0)
        self.assertGreater(totals["paid"], 0)

    def test_who_may_act_is_answered_before_what_the_status_allows(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        act(d, "transfer", self.motcua, at(2025, 6, 2, 10))
        # Return the result is the counter's; the status does not allow it either.
        with self.assertRaisesMessage(PermissionDenied, "do Bộ phận Một cửa thực hiện"):
            act(d, "return_result", self.tuphap, at(2025, 6, 3))
        with self.assertRaisesMessage(IllegalMove, "đang ở trạng thái “đang giải quyết”"):
            act(d, "return_result", self.motcua, at(2025, 6, 3))

    def test_an_online_submission_is_the_counters_alone_until_accepted(self):
        d = dossier_submit_online(
            user=self.motcua,
            procedure=self.proc,
            applicant=APPLICANT,
            submitted_at=at(2025, 6, 2),
            now=at(2025, 6, 2),
        )
        # A department officer of the one-stop department sees it routed there, but
        # the check before acceptance is the counter's.
        from cchc.dossiers.services import allowed_actions
        from cchc.org.models import Role
        from cchc.testing import make_user

        clerk = make_user("vanthu", Role.DEPARTMENT_OFFICER, self.commune, self.dept_one_stop)
        self.assertEqual(allowed_actions(clerk, d), [])
        self.assertEqual(allowed_actions(self.motcua, d), ["accept", "refuse"])
        with self.assertRaises(PermissionDenied):
            act(d, "refuse", clerk, at(2025, 6, 2, 10), note="x")
