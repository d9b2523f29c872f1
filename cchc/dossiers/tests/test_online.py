"""Online submissions: national code 1 (registered), accepted (2) or refused before
acceptance (3); the online share in the statistics and the plans metric."""

import json
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from cchc.dossiers.models import Dossier, DossierDayStat, Status
from cchc.dossiers.services import IllegalMove, dossier_submit_online
from cchc.dossiers.stats import dossier_stats, rebuild_day_stats
from cchc.testing import BaseTestCase

from .helpers import APPLICANT, act, at, make_procedure, receive


def submit(user, procedure, when, **kw):
    return dossier_submit_online(
        user=user, procedure=procedure, applicant=APPLICANT, submitted_at=when, now=when, **kw
    )


class OnlineLifecycleTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)  # 3 working days

    def test_a_submission_gets_its_code_but_no_receipt_or_due_date(self):
        d = submit(self.motcua, self.proc, at(2025, 6, 6, 20))  # Friday evening
        self.assertEqual((d.status, d.status_code, d.channel), (Status.REGISTERED, 1, "online"))
        self.assertTrue(d.code.endswith("-250606-0001"))
        self.assertIsNone(d.received_at)
        self.assertIsNone(d.due_date)
        self.assertEqual(d.outcome(), "")
        self.assertEqual(d.events.get().action, "submit")
        self.assertIn("chờ Bộ phận Một cửa", d.next_step_text())
        # The daily serial is shared with counter receipts: gap-free, no duplicate.
        other = receive(self.motcua, self.proc, at(2025, 6, 6, 21))
        self.assertTrue(other.code.endswith("-250606-0002"))

    def test_accepting_computes_the_due_date_from_the_acceptance(self):
        d = submit(self.motcua, self.proc, at(2025, 6, 6, 20))
        act(d, "accept", self.motcua, at(2025, 6, 9, 8))  # Monday: +3 working days → Thu 12/6
        d.refresh_from_db()
        self.assertEqual((d.status, d.status_code), (Status.RECEIVED, 2))
        self.assertEqual(d.received_at, at(2025, 6, 9, 8))
        self.assertEqual(d.received_by, self.motcua)
        self.assertTrue(d.is_open)
        self.assertEqual((d.due_date, d.original_due_date), (date(2025, 6, 12), date(2025, 6, 12)))
        self.assertEqual(d.rules_version, "nd61-2018")  # NĐ 118 applies from 1/7/2025
        act(d, "transfer", self.motcua, at(2025, 6, 9, 9))
        self.assertEqual(d.events.order_by("-at").first().outcome, "on_time")

    def test_refusing_before_acceptance_closes_it_with_code_3_and_form_03(self):
        from cchc.dossiers.documents import available_forms, build_form

        d = submit(self.motcua, self.proc, at(2025, 6, 6, 20))
        with self.assertRaises(ValidationError):
            act(d, "refuse", self.motcua, at(2025, 6, 9, 8))  # a reason is required
        act(d, "refuse", self.motcua, at(2025, 6, 9, 8), note="Ảnh giấy tờ không đọc được")
        d.refresh_from_db()
        self.assertEqual((d.status, d.status_code), (Status.REFUSED, 3))
        self.assertIsNotNone(d.closed_at)
        self.assertIsNone(d.finished_at)
        self.assertEqual(d.finish_outcome, "")
        self.assertEqual(available_forms(d), ["03", "06"])
        self.assertIn("Ảnh giấy tờ không đọc được", build_form(d, "03").closing)
        self.assertIn("không được tiếp nhận", d.next_step_text())

    def test_only_the_counter_accepts_and_illegal_moves_are_refused(self):
        d = submit(self.motcua, self.proc, at(2025, 6, 6, 20))
        with self.assertRaises(PermissionDenied):
            act(d, "accept", self.tuphap, at(2025, 6, 9, 8))
        with self.assertRaises(IllegalMove):
            act(d, "transfer", self.motcua, at(2025, 6, 9, 8))
        act(d, "accept", self.chutich, at(2025, 6, 9, 8))
        with self.assertRaises(IllegalMove):
            act(d, "accept", self.motcua, at(2025, 6, 9, 9))

    def test_the_counter_queue_lists_submissions_waiting_for_acceptance(self):
        d = submit(self.motcua, self.proc, at(2025, 6, 6, 20))
        receive(self.motcua, self.proc, at(2025, 6, 6, 21))
        self.login(self.motcua)
        r = self.client.get("/ho-so/?hang=online")
        self.assertContains(r, "Hồ sơ trực tuyến chờ tiếp nhận")
        self.assertContains(r, d.code)
        self.assertEqual(len(r.context["rows"]), 1)
        r = self.client.get(f"/ho-so/{d.code}/")
        self.assertContains(r, "Tiếp nhận hồ sơ trực tuyến")
        self.assertContains(r, "Mã trạng thái 1")
        self.assertEqual(self.client.get(f"/ho-so/{d.code}/mau-01/").status_code, 404)
        r = self.client.post(f"/ho-so/{d.code}/thao-tac/", {"action": "accept"}, follow=True)
        self.assertContains(r, "Mã trạng thái 2")
        home = self.client.get("/")
        self.assertContains(home, "Hồ sơ trực tuyến chờ tiếp nhận")

    def test_the_public_look_up_explains_a_waiting_submission(self):
        from cchc.portal.services import public_view

        d = submit(self.motcua, self.proc, at(2025, 6, 6, 20))
        view = public_view(Dossier.objects.get(pk=d.pk), today=date(2025, 6, 7))
        self.assertIn("chờ Bộ phận Một cửa", view.status_text)
        self.assertTrue(any("ngày hẹn trả" in s for s in view.next_steps))


@override_settings(DEBUG=False)
class OnlineApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)

    BODY = {
        "procedure": "1.001193",
        "channel": "online",
        "submitted_only": True,
        "applicant": {
            "name": "Trần Thị Bình",
            "id_number": "034195000111",
            "phone": "0987654321",
            "address": "Thôn Tây",
        },
    }

    def post(self, url, body, user):
        h = self.api_headers(user)
        return self.client.post(
            url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=h["Authorization"]
        )

    def test_it_registers_then_accepts_or_refuses_through_the_api(self):
        r = self.post("/api/v1/dossiers", self.BODY, self.motcua)
        self.assertEqual(r.status_code, 201, r.content)
        body = r.json()
        self.assertEqual((body["status"], body["status_code"]), ("registered", 1))
        self.assertIsNone(body["received_at"])
        self.assertIsNone(body["due_date"])
        self.assertIsNotNone(body["submitted_at"])
        r = self.post(f"/api/v1/dossiers/{body['code']}/actions", {"action": "accept"}, self.motcua)
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual((r.json()["status_code"], r.json()["channel_code"]), (2, 2))
        self.assertIsNotNone(r.json()["due_date"])
        r = self.post(f"/api/v1/dossiers/{body['code']}/actions", {"action": "accept"}, self.motcua)
        self.assertEqual(r.status_code, 409)
        second = self.post("/api/v1/dossiers", self.BODY, self.motcua).json()
        r = self.post(
            f"/api/v1/dossiers/{second['code']}/actions",
            {"action": "refuse", "note": "Sai thủ tục"},
            self.motcua,
        )
        self.assertEqual(r.json()["status_code"], 3)

    def test_submitted_only_is_for_the_online_channel(self):
        r = self.post("/api/v1/dossiers", dict(self.BODY, channel="in_person"), self.motcua)
        self.assertEqual(r.status_code, 422)
        self.assertFalse(Dossier.objects.exists())

    def test_without_the_flag_an_online_dossier_is_received_at_once(self):
        body = dict(self.BODY)
        del body["submitted_only"]
        r = self.post("/api/v1/dossiers", body, self.motcua)
        self.assertEqual((r.json()["status_code"], r.json()["channel"]), (2, "online"))


class OnlineStatsTests(BaseTestCase):
    """June 2025: two counter receipts, one online receipt at once, one submission
    accepted the next working day, one still waiting, one refused before acceptance."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)
        m = cls.motcua
        receive(m, cls.proc, at(2025, 6, 2))
        receive(m, cls.proc, at(2025, 6, 2), channel="postal")
        receive(m, cls.proc, at(2025, 6, 3), channel="online")
        cls.accepted = submit(m, cls.proc, at(2025, 6, 5, 22))
        act(cls.accepted, "accept", m, at(2025, 6, 6, 8))
        cls.waiting = submit(m, cls.proc, at(2025, 6, 6, 9))
        cls.refused = submit(m, cls.proc, at(2025, 6, 6, 10))
        act(cls.refused, "refuse", m, at(2025, 6, 6, 11), note="Không thuộc thẩm quyền")

    def stats(self, start, end, **kw):
        return dossier_stats(
            commune_ids=[self.commune.pk], date_from=start, date_to=end, now=at(2025, 6, 20), **kw
        )

    def test_a_submission_is_received_when_accepted_and_counts_as_online(self):
        s = self.stats(date(2025, 6, 1), date(2025, 6, 30))
        self.assertEqual((s["received"], s["online"], s["online_rate"]), (4, 2, 50.0))
        self.assertEqual((s["refused"], s["finished"], s["open"]), (0, 0, 4))
        # The submission of Thursday 5/6 counts on Friday 6/6, the day it was accepted.
        s = self.stats(date(2025, 6, 5), date(2025, 6, 5))
        self.assertEqual((s["received"], s["online"], s["online_rate"]), (0, 0, None))
        s = self.stats(date(2025, 6, 6), date(2025, 6, 6))
        self.assertEqual((s["received"], s["online"]), (1, 1))

    def test_the_summary_the_rows_and_a_rebuild_agree(self):
        for start, end in [(date(2025, 6, 1), date(2025, 6, 30)), (date(2025, 6, 3), date(2025, 6, 6))]:
            self.assertEqual(self.stats(start, end), self.stats(start, end, use_summary=False))
        filtered = self.stats(date(2025, 6, 1), date(2025, 6, 30), procedure="1.001193")
        self.assertEqual((filtered["online"], filtered["online_rate"]), (2, 50.0))
        before = list(DossierDayStat.objects.order_by("day").values("day", *DossierDayStat.COUNTERS))
        rebuild_day_stats([self.commune.pk])
        after = list(DossierDayStat.objects.order_by("day").values("day", *DossierDayStat.COUNTERS))
        self.assertEqual(before, after)

    def test_the_statistics_page_shows_the_online_share(self):
        self.login(self.motcua)
        r = self.client.get("/ho-so/thong-ke/?date_from=01/06/2025&date_to=30/06/2025")
        self.assertContains(r, "Tỷ lệ hồ sơ tiếp nhận trực tuyến")
        self.assertContains(r, 'data-key="dossiers.online_rate">50,00%<')

    def test_the_catalogue_reads_the_online_share(self):
        from cchc.dossiers.figures import ONLINE_RATE

        june = ONLINE_RATE.value(
            commune_ids=[self.commune.pk], date_from=date(2025, 6, 1), date_to=date(2025, 6, 30)
        )
        self.assertEqual(june, Decimal("50.00"))
        january = ONLINE_RATE.value(
            commune_ids=[self.commune.pk], date_from=date(2025, 1, 1), date_to=date(2025, 1, 31)
        )
        self.assertIsNone(january)
