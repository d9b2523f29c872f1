"""The JSON API: public submission (rate-limited), staff read and actions
(scoped; illegal moves → 409), figures."""

from __future__ import annotations

import json

from django.test import override_settings

from cchc.petitions.models import Petition

from .helpers import PetitionTestCase

PAYLOAD = {
    "commune": "ducxuong",
    "name": "Phạm Minh Tuấn",
    "address": "Thôn Bình Dân, xã Đức Xương",
    "phone": "0904555218",
    "subject": "Nộp hồ sơ kết hôn qua mạng",
    "content": "Đề nghị cho nộp hồ sơ đăng ký kết hôn trực tuyến.",
}


class PublicApiTests(PetitionTestCase):
    def post(self, **changes):
        return self.client.post("/api/v1/petitions", {**PAYLOAD, **changes}, content_type="application/json")

    def test_it_creates_a_petition_without_log_in(self):
        response = self.post()
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        petition = Petition.objects.get()
        self.assertEqual(body["code"], petition.code)
        self.assertEqual(body["status"], "received")
        self.assertIn(f"?ma={petition.code}", body["follow_url"])
        self.assertNotIn("phone", body)

    def test_bad_input_is_422_and_stores_nothing(self):
        for changes in ({"phone": ""}, {"phone": "abc"}, {"commune": "khong-co"}, {"website": "x"}):
            with self.subTest(changes=changes):
                response = self.post(**changes)
                self.assertEqual(response.status_code, 422)
                self.assertIn("detail", response.json())
        response = self.client.post(
            "/api/v1/petitions",
            {k: v for k, v in PAYLOAD.items() if k != "phone"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(Petition.objects.count(), 0)

    @override_settings(PETITION_SUBMIT_LIMIT=2)
    def test_it_is_rate_limited(self):
        self.assertEqual([self.post().status_code for _ in range(3)], [201, 201, 429])
        self.assertEqual(Petition.objects.count(), 2)
        self.assertIn("quá nhiều", self.post().json()["detail"])


class StaffApiTests(PetitionTestCase):
    def get(self, user, ref):
        return self.client.get(f"/api/v1/petitions/{ref}", headers=self.api_headers(user))

    def api_act(self, user, ref, **payload):
        return self.client.post(
            f"/api/v1/petitions/{ref}/actions",
            json.dumps(payload),
            content_type="application/json",
            headers=self.api_headers(user),
        )

    def test_staff_read_a_petition_with_its_history(self):
        p = self.walk_to("assigned")
        response = self.get(self.vanphong, p.code)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(
            (body["status"], body["department"], body["phone"]), ("assigned", "tu-phap-ho-tich", "0912345678")
        )
        self.assertEqual([e["action"] for e in body["events"]], ["receive", "accept", "assign"])
        self.assertEqual(body["handle_due"], "2026-05-25")
        self.assertEqual(body["allowed_actions"], ["assign"])

    def test_reading_is_scoped(self):
        p = self.walk_to("assigned")
        self.assertEqual(self.get(self.other, p.code).status_code, 404)
        self.assertEqual(self.get(self.diachinh, p.code).status_code, 404)
        self.assertEqual(self.get(self.tuphap, p.code).status_code, 200)
        self.assertEqual(self.client.get(f"/api/v1/petitions/{p.code}").status_code, 401)

    def test_actions_follow_the_state_machine(self):
        p = self.submit()
        response = self.api_act(self.motcua, p.code, action="accept")
        self.assertEqual(response.status_code, 200, response.content)
        response = self.api_act(
            self.motcua, p.code, action="assign", department="dia-chinh-xay-dung", note="Đất đai"
        )
        self.assertEqual(response.json()["department"], "dia-chinh-xay-dung")
        illegal = self.api_act(self.chutich, p.code, action="approve")
        self.assertEqual(illegal.status_code, 409)
        self.assertIn("Không thể", illegal.json()["detail"])
        forbidden = self.api_act(self.tuphap, p.code, action="answer", answer="x")
        self.assertEqual(forbidden.status_code, 404)  # not assigned to Tư pháp: not even visible
        answered = self.api_act(self.diachinh, p.code, action="answer", answer="Trả lời của Địa chính.")
        self.assertEqual(answered.json()["status"], "answered")
        denied = self.api_act(self.motcua, p.code, action="approve")
        self.assertEqual(denied.status_code, 403)
        missing = self.api_act(self.chutich, p.code, action="return")
        self.assertEqual(missing.status_code, 422)
        self.assertEqual(self.api_act(self.chutich, p.code, action="approve").json()["status"], "approved")
        p.refresh_from_db()
        self.assertEqual(p.status, "approved")

    def test_unknown_department_is_422(self):
        p = self.walk_to("accepted")
        response = self.api_act(self.motcua, p.code, action="assign", department="khong-co")
        self.assertEqual(response.status_code, 422)
        response = self.api_act(self.motcua, p.code, action="assign", department=str(self.other_dept.pk))
        self.assertEqual(response.status_code, 422)


class StatsApiTests(PetitionTestCase):
    def test_it_returns_the_figures_for_the_window(self):
        self.walk_to("published")
        self.walk_to("assigned", self.submit(subject="Thứ hai"))
        self.submit(subject="Ngoài khoảng", at_=self.at_june())
        response = self.client.get(
            "/api/v1/stats/petitions",
            {"from": "2026-04-01", "to": "2026-04-30"},
            headers=self.api_headers(self.chutich),
        )
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(
            {k: body[k] for k in ("received", "answered", "answered_on_time", "overdue", "on_time_rate")},
            {"received": 2, "answered": 1, "answered_on_time": 1, "overdue": 1, "on_time_rate": 100.0},
        )

    def test_it_is_scoped_to_the_users_communes(self):
        self.submit()
        headers = self.api_headers(self.other)
        body = self.client.get(
            "/api/v1/stats/petitions", {"from": "2026-04-01", "to": "2026-04-30"}, headers=headers
        ).json()
        self.assertEqual(body["received"], 0)
        response = self.client.get("/api/v1/stats/petitions", {"commune": "ducxuong"}, headers=headers)
        self.assertEqual(response.status_code, 404)
        bad = self.client.get(
            "/api/v1/stats/petitions", {"from": "2026-05-01", "to": "2026-04-01"}, headers=headers
        )
        self.assertEqual(bad.status_code, 422)

    def at_june(self):
        from .helpers import at

        return at("2026-06-02")
