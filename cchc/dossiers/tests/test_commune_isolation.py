"""Every staff list of dossiers shows the user's communes only: each queue, a search
(by code, name, phone, ID number), the register (form 07) on screen and in .xlsx,
the statistics page, its .xlsx and the API. Xã Gia Lộc's dossiers carry the same
procedure code and a look-alike applicant, so only the commune filter keeps them out."""

import io

from openpyxl import load_workbook

from cchc.dossiers import figures as F
from cchc.dossiers.access import QUEUES
from cchc.dossiers.services import Applicant
from cchc.testing import BaseTestCase

from .helpers import act, at, make_procedure, receive

OURS = Applicant(name="Nguyễn Văn An", id_number="034095001234", phone="0912345678", address="Đức Xương")
THEIRS = Applicant(name="Nguyễn Văn Ân", id_number="034095009999", phone="0987654321", address="Gia Lộc")
WINDOW = {"date_from": "01/06/2025", "date_to": "30/06/2025"}


def cells(response) -> list:
    book = load_workbook(io.BytesIO(response.content))
    return [
        c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None
    ]


class CommuneIsolationTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ours = make_procedure(cls.commune, department=cls.dept_justice)
        theirs = make_procedure(cls.other_commune, department=cls.other_dept)
        # Ours: one at the counter, one finished; theirs: the same, plus one overdue.
        cls.mine_open = receive(cls.motcua, ours, at(2025, 6, 2), applicant=OURS)
        cls.mine_done = receive(cls.motcua, ours, at(2025, 6, 2, 10), applicant=OURS)
        act(cls.mine_done, "transfer", cls.motcua, at(2025, 6, 2, 11))
        act(cls.mine_done, "finish", cls.tuphap, at(2025, 6, 3))
        cls.theirs = []
        for hour in (9, 10, 11):
            d = receive(cls.other, theirs, at(2025, 6, 2, hour), applicant=THEIRS)
            cls.theirs.append(d)
        act(cls.theirs[1], "transfer", cls.other, at(2025, 6, 2, 14))
        act(cls.theirs[2], "transfer", cls.other, at(2025, 6, 2, 14))
        cls.ours_codes = {cls.mine_open.code, cls.mine_done.code}
        cls.their_codes = {d.code for d in cls.theirs}

    def assert_only_ours(self, text: str, *, expect_ours: bool = True):
        for code in self.their_codes:
            self.assertNotIn(code, text)
        self.assertNotIn(THEIRS.name, text)
        if expect_ours:
            self.assertTrue(self.ours_codes & {c for c in self.ours_codes if c in text})

    def listed(self, params) -> set[str]:
        page = self.client.get("/ho-so/", params)
        self.assertEqual(page.status_code, 200)
        return {d.code for d in page.context["page"].object_list}

    def test_every_queue_and_every_search(self):
        for user in (self.motcua, self.chutich, self.tuphap):
            self.login(user)
            for name in QUEUES:
                self.assertEqual(self.listed({"hang": name}) & self.their_codes, set(), (user, name))
            for query in [*self.their_codes, THEIRS.name, THEIRS.phone, THEIRS.id_number, "Ân"]:
                self.assertEqual(self.listed({"q": query}) & self.their_codes, set(), (user, query))
        # Our own dossiers are listed and found the same way (the test can fail).
        self.login(self.motcua)
        self.assertEqual(self.listed({"hang": "all"}), self.ours_codes)
        self.assertEqual(self.listed({"q": OURS.phone}), self.ours_codes)
        self.login(self.other)
        self.assertEqual(self.listed({"hang": "all"}), self.their_codes)

    def test_the_register_on_screen_and_in_xlsx(self):
        self.login(self.chutich)
        page = self.client.get("/ho-so/so-theo-doi/", WINDOW).content.decode()
        self.assert_only_ours(page)
        self.assertTrue(all(code in page for code in self.ours_codes))
        book = cells(self.client.get("/ho-so/so-theo-doi/", {**WINDOW, "xuat": "xlsx"}))
        text = " ".join(str(c) for c in book)
        self.assert_only_ours(text)
        self.assertTrue(all(code in text for code in self.ours_codes))

    def test_the_statistics_page_its_xlsx_and_the_api(self):
        self.login(self.chutich)
        page = self.client.get("/ho-so/thong-ke/", WINDOW)
        values = dict(page.context["cards"])
        self.assertEqual((values[F.RECEIVED], values[F.FINISHED]), (2, 1))
        book = cells(self.client.get("/ho-so/thong-ke/", {**WINDOW, "xuat": "xlsx"}))
        received = book[book.index(F.RECEIVED.label) + 1]
        self.assertEqual(received, 2)
        api = self.client.get(
            "/api/v1/stats/dossiers",
            {"from": "2025-06-01", "to": "2025-06-30"},
            headers=self.api_headers(self.chutich),
        ).json()
        self.assertEqual(api["received"], 2)
        listed = self.client.get("/api/v1/dossiers", headers=self.api_headers(self.chutich)).json()
        self.assertEqual({d["code"] for d in listed["items"]}, self.ours_codes)
        # The other commune's officer sees theirs only: the filter works both ways.
        theirs = self.client.get("/api/v1/dossiers", headers=self.api_headers(self.other)).json()
        self.assertEqual({d["code"] for d in theirs["items"]}, self.their_codes)
