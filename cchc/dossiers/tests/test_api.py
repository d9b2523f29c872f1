import json
from datetime import date, datetime, timedelta
from unittest import mock

from django.core.exceptions import ValidationError
from django.utils import timezone

from cchc.core.models import AuditLog
from cchc.core.workcal import TZ
from cchc.dossiers.models import Dossier
from cchc.testing import BaseTestCase

from .helpers import at, make_procedure, receive


class ApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_procedure(cls.commune, department=cls.dept_justice)

    def post(self, url, body, user):
        return self.client.post(url, json.dumps(body), content_type="application/json", **self._h(user))

    def get(self, url, user):
        return self.client.get(url, **self._h(user))

    def _h(self, user):
        h = self.api_headers(user)
        return {"HTTP_AUTHORIZATION": h["Authorization"]}

    BODY = {
        "procedure": "1.001193",
        "channel": "online",
        "applicant": {
            "name": "Trần Thị Bình",
            "id_number": "034195000111",
            "phone": "0987654321",
            "address": "Thôn Tây",
        },
    }

    def test_it_receives_a_dossier_and_answers_201(self):
        # Friday 26/04/2024 10:00 + 3 working days: 27–28 weekend, 29/4 swapped off,
        # 30/4 and 1/5 holidays; Thursday 2/5, Friday 3/5, make-up Saturday 4/5.
        moment = datetime(2024, 4, 26, 10, 0, tzinfo=TZ)
        with mock.patch("django.utils.timezone.now", return_value=moment):
            r = self.post("/api/v1/dossiers", self.BODY, self.motcua)
        self.assertEqual(r.status_code, 201, r.content)
        data = r.json()
        self.assertEqual((data["status"], data["status_code"], data["channel"]), ("received", 2, "online"))
        self.assertEqual(data["code"], "000.21.31.H26-240426-0001")
        self.assertEqual(data["due_date"], "2024-05-04")
        self.assertEqual(datetime.fromisoformat(data["received_at"]), moment)
        self.assertEqual(Dossier.objects.get(code=data["code"]).due_date, date(2024, 5, 4))

    def test_a_past_received_at_needs_the_historical_permission(self):
        body = dict(self.BODY, received_at=(timezone.now() - timedelta(days=30)).isoformat())
        r = self.post("/api/v1/dossiers", body, self.motcua)
        self.assertEqual(r.status_code, 403)
        self.assertIn("hệ thống cũ", r.json()["detail"])
        r = self.post("/api/v1/dossiers", dict(body, commune="ducxuong"), self.admin)
        self.assertEqual(r.status_code, 201, r.content)
        self.assertTrue(r.json()["is_historical"])

    def test_the_typed_response_carries_every_field_the_api_writes(self):
        from cchc.dossiers.api import DossierOut, dossier_out

        d = receive(self.motcua, self.proc, at(2025, 6, 2))
        written = set(dossier_out(d, self.motcua, full=True, record_view=False))
        self.assertEqual(written - set(DossierOut.model_fields), set())  # nothing dropped silently
        body = self.get(f"/api/v1/dossiers/{d.code}", self.motcua).json()
        self.assertEqual(
            set(body) - {"next_step", "supplement_request", "events"},
            written - {"next_step", "supplement_request", "events"},
        )

    def test_huge_page_numbers_and_sizes_are_refused_with_a_message_not_a_server_error(self):
        receive(self.motcua, self.proc, at(2025, 6, 2))
        receive(self.other, make_procedure(self.other_commune), at(2025, 6, 2))
        r = self.get("/api/v1/dossiers?page=9223372036854775807", self.motcua)
        self.assertEqual(r.status_code, 422)
        self.assertIn("page: phải nhỏ hơn hoặc bằng 100000", r.json()["detail"])
        r = self.get("/api/v1/dossiers?page=100000", self.motcua)  # the last page allowed: empty
        self.assertEqual((r.status_code, r.json()["items"]), (200, []))
        r = self.get("/api/v1/dossiers?page_size=201", self.motcua)
        self.assertIn("page_size: phải nhỏ hơn hoặc bằng 200", r.json()["detail"])
        r = self.get("/api/v1/dossiers?page_size=200", self.motcua)
        self.assertEqual(r.json()["count"], 1)  # own commune only
        r = self.get("/api/v1/procedures?page=9223372036854775807", self.motcua)
        self.assertEqual(r.status_code, 422)
        self.login(self.motcua)
        page = self.client.get("/ho-so/?page=9223372036854775807")
        self.assertEqual(page.status_code, 200)  # the pages show the last page

    def test_long_inputs_are_refused_with_a_message_never_cut(self):
        before = Dossier.objects.count()
        body = dict(self.BODY, applicant=dict(self.BODY["applicant"], address="Thôn Tây " + "x" * 292))
        r = self.post("/api/v1/dossiers", body, self.motcua)
        self.assertEqual(r.status_code, 422)
        self.assertIn("address: không được dài quá 300 ký tự", r.json()["detail"])
        body = dict(self.BODY, applicant=dict(self.BODY["applicant"], address="Thôn Tây " + "x" * 291))
        self.assertEqual(self.post("/api/v1/dossiers", body, self.motcua).status_code, 201)
        self.assertEqual(Dossier.objects.latest("pk").applicant_address, "Thôn Tây " + "x" * 291)
        r = self.post("/api/v1/dossiers", dict(self.BODY, request="y" * 20_001), self.motcua)
        self.assertEqual(r.status_code, 422)
        self.assertIn("tối đa 20.000 ký tự", r.json()["detail"])
        self.assertEqual(Dossier.objects.count(), before + 1)
        # The services refuse too (the pages and the import go through them).
        from cchc.dossiers.services import Applicant

        with self.assertRaises(ValidationError) as refused:
            receive(
                self.motcua,
                self.proc,
                at(2025, 6, 2),
                applicant=Applicant("An", "034095001234", "0912345678", "x" * 301),
            )
        self.assertEqual(
            refused.exception.message_dict["applicant_address"], ["Địa chỉ quá dài (tối đa 300 ký tự)."]
        )

    def test_it_validates_input_with_422(self):
        body = dict(self.BODY, applicant=dict(self.BODY["applicant"], phone="12"))
        r = self.post("/api/v1/dossiers", body, self.motcua)
        self.assertEqual(r.status_code, 422)
        self.assertIn("điện thoại", r.json()["detail"])
        r = self.post("/api/v1/dossiers", dict(self.BODY, channel="fax"), self.motcua)
        self.assertEqual(r.status_code, 422)
        self.assertFalse(Dossier.objects.exists())

    def test_actions_move_the_dossier_and_illegal_ones_answer_409(self):
        code = self.post("/api/v1/dossiers", self.BODY, self.motcua).json()["code"]
        url = f"/api/v1/dossiers/{code}/actions"
        r = self.post(url, {"action": "return_result"}, self.motcua)
        self.assertEqual(r.status_code, 409)
        self.assertIn("không thể", r.json()["detail"].lower())
        r = self.post(url, {"action": "transfer", "department": "tu-phap-ho-tich"}, self.motcua)
        self.assertEqual(
            (r.status_code, r.json()["status_code"], r.json()["department"]), (200, 4, "tu-phap-ho-tich")
        )
        r = self.post(url, {"action": "finish"}, self.diachinh)
        self.assertEqual(r.status_code, 403)
        r = self.post(
            url, {"action": "request_supplement", "note": "Thiếu", "items": ["Giấy chứng sinh"]}, self.tuphap
        )
        self.assertEqual(r.json()["status_code"], 5)
        self.assertEqual(r.json()["supplement_request"], {"items": ["Giấy chứng sinh"], "reason": "Thiếu"})
        r = self.post(url, {"action": "dance"}, self.tuphap)
        self.assertEqual(r.status_code, 422)

    def test_lists_filter_and_other_communes_see_nothing(self):
        code = self.post("/api/v1/dossiers", self.BODY, self.motcua).json()["code"]
        r = self.get("/api/v1/dossiers?status=received", self.chutich)
        self.assertEqual([d["code"] for d in r.json()["items"]], [code])
        self.assertEqual(self.get("/api/v1/dossiers?overdue=true", self.chutich).json()["count"], 0)
        self.assertEqual(self.get("/api/v1/dossiers", self.other).json()["count"], 0)
        self.assertEqual(self.get(f"/api/v1/dossiers/{code}", self.other).status_code, 404)

    def test_personal_data_is_masked_for_others_and_views_are_recorded(self):
        code = self.post("/api/v1/dossiers", self.BODY, self.motcua).json()["code"]
        masked = self.get(f"/api/v1/dossiers/{code}", self.diachinh).json()
        self.assertTrue(masked["personal_data_masked"])
        self.assertEqual(masked["applicant"]["phone"], "*******321")
        before = AuditLog.objects.filter(action="view").count()
        full = self.get(f"/api/v1/dossiers/{code}", self.motcua).json()
        self.assertEqual(full["applicant"]["id_number"], "034195000111")
        self.assertEqual(AuditLog.objects.filter(action="view").count(), before + 1)

    def test_stats_endpoint_returns_the_issue_fields(self):
        self.post("/api/v1/dossiers", self.BODY, self.motcua)
        today = timezone.localdate()
        r = self.get(f"/api/v1/stats/dossiers?from={today:%Y-%m-%d}&to={today:%Y-%m-%d}", self.captren)
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(
            set(r.json()),
            {
                "received",
                "finished",
                "early",
                "on_time",
                "late",
                "open",
                "open_late",
                "open_waiting",  # additive: waiting for the supplement, never late (issue 8)
                "refused",
                "withdrawn",
                "on_time_rate",
                "online",  # additive: the online share (item 4)
                "online_rate",
                "window",  # additive: the window computed over (issue 9)
            },
        )
        self.assertEqual(r.json()["window"]["date_from"], f"{today:%Y-%m-%d}")
        self.assertEqual((r.json()["received"], r.json()["open"], r.json()["on_time_rate"]), (1, 1, None))
        self.assertEqual((r.json()["online"], r.json()["online_rate"]), (1, 100.0))
        self.assertEqual(
            self.get(f"/api/v1/stats/dossiers?from={today}&to={today}", self.tuphap).status_code, 403
        )

    def test_stats_take_a_reporting_period(self):
        from cchc.core.periods import containing

        self.post("/api/v1/dossiers", self.BODY, self.motcua)
        month = containing(timezone.localdate())
        r = self.get(f"/api/v1/stats/dossiers?period={month.code}", self.captren).json()
        self.assertEqual(r["received"], 1)
        self.assertEqual(
            r["window"],
            {
                "period": month.code,
                "label": month.label,
                "date_from": f"{month.date_from:%Y-%m-%d}",
                "date_to": f"{month.date_to:%Y-%m-%d}",
            },
        )
        previous = month.previous()
        self.assertEqual(
            self.get(f"/api/v1/stats/dossiers?period={previous.code}", self.captren).json()["received"], 0
        )
        bad = self.get("/api/v1/stats/dossiers?period=2024-Q5", self.captren)
        self.assertEqual(bad.status_code, 422)
        self.assertIn("không hợp lệ", bad.json()["detail"])
        backwards = self.get("/api/v1/stats/dossiers?from=2024-02-01&to=2024-01-01", self.captren)
        self.assertEqual(backwards.status_code, 422)
