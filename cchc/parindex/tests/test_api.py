"""The JSON API: import and export sets, create and score an assessment, move it,
appraise, read results; another commune's assessments never listed or readable."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.parindex.models import Assessment

from .helpers import EXAMPLE, VALUES, ParTestCase


class ApiTests(ParTestCase):
    def test_import_list_and_export_sets(self):
        headers = self.api_headers(self.captren)
        bad = EXAMPLE.read_bytes().replace(b'"max": 3', b'"max": 4', 1)
        response = self.client.post(
            "/api/v1/par-index/sets",
            {"file": SimpleUploadedFile("bo.json", bad), "year": 2025},
            headers=headers,
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn(
            "Lĩnh vực 1 (tiêu chí 1): tổng điểm tối đa các tiêu chí con 13 khác điểm tối đa 12.",
            response.json()["detail"],
        )
        response = self.client.post(
            "/api/v1/par-index/sets",
            {"file": SimpleUploadedFile("bo.json", EXAMPLE.read_bytes()), "year": 2025},
            headers=headers,
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()["criteria_set"]
        self.assertEqual(
            (body["owner"], body["version"], body["is_example"], body["status"]),
            ("haiphong", 1, True, "draft"),
        )
        self.assertEqual(len(body["criteria"]), 31)
        c35 = next(c for c in body["criteria"] if c["code"] == "3.5")
        self.assertEqual(
            (c35["rule_kind"], c35["rule"], c35["is_leaf"]), ("ratio_threshold", {"threshold": "90.0"}, True)
        )
        set_id = body["id"]
        # Commune staff do not see a draft set; the province does.
        self.assertEqual(
            self.client.get("/api/v1/par-index/sets", headers=self.api_headers(self.vanphong)).json(), []
        )
        self.assertEqual(
            self.client.post(f"/api/v1/par-index/sets/{set_id}/open", headers=headers).json()["status"],
            "open",
        )
        listed = self.client.get("/api/v1/par-index/sets", headers=self.api_headers(self.vanphong)).json()
        self.assertEqual([s["id"] for s in listed], [set_id])
        exported = self.client.get(f"/api/v1/par-index/sets/{set_id}/export.json", headers=headers)
        self.assertEqual(json.loads(exported.content)["format"], "cchc-par-index-criteria")
        xlsx = self.client.get(f"/api/v1/par-index/sets/{set_id}/export.xlsx", headers=headers)
        self.assertEqual(xlsx.content[:2], b"PK")
        self.assertEqual(
            self.client.post(
                "/api/v1/par-index/sets",
                {"file": SimpleUploadedFile("bo.json", EXAMPLE.read_bytes()), "year": 2025},
                headers=self.api_headers(self.vanphong),
            ).status_code,
            403,
        )

    def test_an_assessment_through_the_api(self):
        criteria_set = self.make_set()
        VALUES[self.commune.pk] = {"on_time": 949, "received": 1000, "online": 60, "violations": 0}
        office = self.api_headers(self.vanphong)
        response = self.client.post(
            "/api/v1/par-index/assessments",
            {"criteria_set_id": criteria_set.pk},
            content_type="application/json",
            headers=office,
        )
        self.assertEqual(response.status_code, 201, response.content)
        a = response.json()
        s32 = next(s for s in a["scores"] if s["code"] == "3.2")
        self.assertEqual(
            (s32["suggestion_now"]["points"], s32["suggestion_now"]["value"]), ("9.49", "949/1.000 = 94,90%")
        )
        url = f"/api/v1/par-index/assessments/{a['id']}"
        response = self.client.put(
            f"{url}/criteria/3.2/self-score",
            {"accept_suggestion": True},
            content_type="application/json",
            headers=office,
        )
        self.assertEqual(
            (response.status_code, response.json()["self_points"], response.json()["self_origin"]),
            (200, "9.49", "suggested"),
        )
        response = self.client.put(
            f"{url}/criteria/1.1/self-score", {"points": "5"}, content_type="application/json", headers=office
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("Điểm phải từ 0 đến 3", response.json()["detail"])
        response = self.client.post(
            f"{url}/actions/submit", {}, content_type="application/json", headers=office
        )
        self.assertEqual(response.status_code, 409)
        self.score_all(Assessment.objects.get(pk=a["id"]))
        self.assertEqual(
            self.client.post(
                f"{url}/actions/self_assess", {}, content_type="application/json", headers=office
            ).json()["status"],
            "self_assessed",
        )
        boss = self.api_headers(self.chutich)
        self.assertEqual(
            self.client.post(
                f"{url}/actions/approve", {}, content_type="application/json", headers=office
            ).status_code,
            403,
        )
        self.client.post(f"{url}/actions/approve", {}, content_type="application/json", headers=boss)
        self.assertEqual(
            self.client.post(
                f"{url}/actions/submit", {}, content_type="application/json", headers=boss
            ).json()["status"],
            "submitted",
        )
        appraiser = self.api_headers(self.captren)
        self.client.post(
            f"{url}/actions/start_appraisal", {}, content_type="application/json", headers=appraiser
        )
        response = self.client.put(
            f"{url}/criteria/1.1/appraisal",
            {"points": "2", "comment": "Muộn."},
            content_type="application/json",
            headers=appraiser,
        )
        self.assertEqual(
            (response.json()["self_points"], response.json()["appraised_points"]), ("3.00", "2.00")
        )
        results = self.client.get(f"{url}/results", headers=appraiser).json()
        self.assertEqual(results["self_assessed"]["points"], "94.00")
        self.assertEqual(results["appraised"]["points"], "2.00")
        self.assertFalse(results["appraised"]["complete"])
        # Another commune's user: not listed, not readable.
        other = self.api_headers(self.other)
        self.assertEqual(self.client.get("/api/v1/par-index/assessments", headers=other).json(), [])
        self.assertEqual(self.client.get(url, headers=other).status_code, 404)
        self.assertEqual(self.client.get(f"{url}/results", headers=other).status_code, 404)
        listed = self.client.get("/api/v1/par-index/assessments", headers=appraiser).json()
        self.assertEqual([x["commune"] for x in listed], ["ducxuong"])
        ranking = self.client.get(
            f"/api/v1/par-index/sets/{criteria_set.pk}/ranking", headers=appraiser
        ).json()
        self.assertEqual(
            [(r["commune"], r["rank"]) for r in ranking["rows"]], [("ducxuong", 1), ("gialoc", None)]
        )
        self.assertEqual(ranking["not_sent"], ["gialoc"])
