"""The work queues (`access.queue_dossiers`): one rule for the queue page, the home
panel and the API."""

import json
from datetime import date

from cchc.dossiers.access import QUEUES, default_queue, home_queues, queue_counts, queue_dossiers
from cchc.dossiers.services import dossier_submit_online
from cchc.testing import BaseTestCase

from .helpers import APPLICANT, act, at, make_procedure, receive


def codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


class QueueTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)
        cls.land_proc = make_procedure(cls.commune, "1.000001", department=cls.dept_land)
        # Received Monday 02/06/2025 09:00, 3 working days: due Thursday 05/06/2025.
        cls.justice = receive(cls.motcua, cls.proc, at(2025, 6, 2))
        act(cls.justice, "transfer", cls.motcua, at(2025, 6, 2, 10))
        cls.waiting = receive(cls.motcua, cls.proc, at(2025, 6, 2, 9, 5))
        act(cls.waiting, "transfer", cls.motcua, at(2025, 6, 2, 10))
        act(
            cls.waiting, "request_supplement", cls.tuphap, at(2025, 6, 2, 11), note="Thiếu", items=["Tờ khai"]
        )
        cls.land = receive(cls.motcua, cls.land_proc, at(2025, 6, 2, 9, 10))
        act(cls.land, "transfer", cls.motcua, at(2025, 6, 2, 10))
        cls.at_counter = receive(cls.motcua, cls.proc, at(2025, 6, 2, 9, 15))
        cls.online = dossier_submit_online(
            user=cls.motcua,
            procedure=cls.proc,
            applicant=APPLICANT,
            submitted_at=at(2025, 6, 2, 8),
            now=at(2025, 6, 2, 8),
        )
        other_proc = make_procedure(cls.other_commune, department=cls.other_dept)
        cls.elsewhere = receive(cls.other, other_proc, at(2025, 6, 2))
        act(cls.elsewhere, "transfer", cls.other, at(2025, 6, 2, 10))

    def test_the_waiting_dossiers_are_where_they_belong(self):
        self.waiting.refresh_from_db()
        self.assertEqual(self.waiting.status_code, 5)
        self.assertEqual(
            codes(queue_dossiers(self.motcua, "counter")), {self.at_counter.code, self.waiting.code}
        )
        self.assertEqual(codes(queue_dossiers(self.motcua, "online")), {self.online.code})
        self.assertEqual(codes(queue_dossiers(self.tuphap, "inbox")), {self.justice.code, self.waiting.code})
        self.assertEqual(codes(queue_dossiers(self.diachinh, "inbox")), {self.land.code})
        # Another commune's officer sees only that commune's dossiers.
        self.assertEqual(codes(queue_dossiers(self.other, "all")), {self.elsewhere.code})
        self.assertEqual(codes(queue_dossiers(self.other, "counter")), set())

    def test_due_and_overdue_leave_out_dossiers_waiting_for_a_supplement(self):
        def due(user, y, m, d):
            return codes(queue_dossiers(user, "due", date(y, m, d)))

        def overdue(user, y, m, d):
            return codes(queue_dossiers(user, "overdue", date(y, m, d)))

        open_ones = {self.justice.code, self.land.code, self.at_counter.code}
        # Tuesday: due Thursday is two working days away.
        self.assertEqual(due(self.motcua, 2025, 6, 3), set())
        # Wednesday: the next working day is the due day.
        self.assertEqual(due(self.motcua, 2025, 6, 4), open_ones)
        self.assertEqual(due(self.motcua, 2025, 6, 5), open_ones)
        self.assertEqual(overdue(self.motcua, 2025, 6, 5), set())
        self.assertEqual(overdue(self.motcua, 2025, 6, 6), open_ones)
        self.assertEqual(due(self.motcua, 2025, 6, 6), set())
        # A department officer sees the department's dossiers only.
        self.assertEqual(overdue(self.tuphap, 2025, 6, 6), {self.justice.code})
        self.assertEqual(overdue(self.diachinh, 2025, 6, 6), {self.land.code})
        # The leader sees the commune's, the other commune nothing of ours.
        self.assertEqual(overdue(self.chutich, 2025, 6, 6), open_ones)
        self.assertEqual(overdue(self.other, 2025, 6, 6), {self.elsewhere.code})

    def test_which_queues_a_user_starts_from(self):
        self.assertEqual((default_queue(self.motcua), default_queue(self.chutich)), ("counter", "counter"))
        self.assertEqual(default_queue(self.tuphap), "inbox")
        self.assertEqual(home_queues(self.tuphap), ["inbox", "due", "overdue"])
        counts = queue_counts(self.motcua, date(2025, 6, 6))
        self.assertEqual(
            counts,
            [("counter", QUEUES["counter"], 2), ("online", QUEUES["online"], 1), ("due", QUEUES["due"], 0)]
            + [("overdue", QUEUES["overdue"], 3)],
        )
        with self.assertRaises(ValueError):
            queue_dossiers(self.motcua, "nowhere")

    def test_the_page_and_the_api_list_the_same_queue(self):
        self.login(self.tuphap)
        page = self.client.get("/ho-so/?hang=overdue")
        self.assertContains(page, self.justice.code)
        self.assertNotContains(page, self.waiting.code)
        self.assertNotContains(page, self.land.code)
        headers = {"HTTP_AUTHORIZATION": self.api_headers(self.tuphap)["Authorization"]}
        r = self.client.get("/api/v1/dossiers?queue=overdue", **headers)
        self.assertEqual([d["code"] for d in r.json()["items"]], [self.justice.code])
        r = self.client.get("/api/v1/dossiers?queue=inbox&status=supplement", **headers)
        self.assertEqual([d["code"] for d in r.json()["items"]], [self.waiting.code])
        r = self.client.get("/api/v1/dossiers?queue=nowhere", **headers)
        self.assertEqual(r.status_code, 422)
        self.assertIn("counter, online, inbox", json.loads(r.content)["detail"])
        headers = {"HTTP_AUTHORIZATION": self.api_headers(self.other)["Authorization"]}
        r = self.client.get("/api/v1/dossiers?queue=overdue", **headers)
        self.assertEqual([d["code"] for d in r.json()["items"]], [self.elsewhere.code])
