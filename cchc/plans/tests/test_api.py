import io
from datetime import date

from docx import Document
from openpyxl import load_workbook

from cchc.plans.models import Plan, Task, TaskUpdate

from .helpers import PlanTestCase, pdf_file


class ApiTests(PlanTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.task = Task.objects.get(area__plan=self.plan, title="Rà soát văn bản QPPL")

    def test_it_lists_plans_in_the_users_scope(self):
        self.make_plan(year=2024, commune=self.other_commune, in_effect=False)
        data = self.client.get("/api/v1/plans?year=2024", headers=self.api_headers(self.vanphong)).json()
        self.assertEqual(
            data,
            [
                {
                    "id": self.plan.pk,
                    "year": 2024,
                    "number": "152/KH-UBND",
                    "commune": "ducxuong",
                    "title": self.plan.title,
                    "status": "in_effect",
                    "status_label": "Đang thực hiện",
                    "issued_on": "2024-01-05",
                    "area_count": 2,
                    "task_count": 2,
                }
            ],
        )
        both = self.client.get("/api/v1/plans", headers=self.api_headers(self.captren)).json()
        self.assertEqual(len(both), 2)
        only = self.client.get("/api/v1/plans?commune=gialoc", headers=self.api_headers(self.captren)).json()
        self.assertEqual([p["commune"] for p in only], ["gialoc"])
        self.assertEqual(self.client.get("/api/v1/plans").status_code, 401)

    def test_it_returns_a_plan_with_areas_tasks_and_live_targets(self):
        data = self.client.get(f"/api/v1/plans/{self.plan.pk}", headers=self.api_headers(self.tuphap)).json()
        self.assertEqual([a["number"] for a in data["areas"]], [1, 2])
        task = data["areas"][0]["tasks"][0]
        self.assertEqual(
            (task["letter"], task["lead_department"], task["coordinating"]),
            ("a", "tu-phap-ho-tich", ["dia-chinh-xay-dung"]),
        )
        target = data["areas"][1]["tasks"][0]["target"]
        self.assertEqual(
            (target["metric"], target["comparison"], target["value"]),
            ("procedures.published_rate", "eq", "100.00"),
        )
        self.assertIsNone(target["live_value"])  # no procedures catalogued: no data
        self.assertEqual(
            self.client.get(
                f"/api/v1/plans/{self.plan.pk}", headers=self.api_headers(self.other)
            ).status_code,
            404,
        )

    def test_it_posts_a_progress_update_with_a_file(self):
        url = f"/api/v1/plans/{self.plan.pk}/tasks/{self.task.pk}/updates"
        response = self.client.post(
            url,
            {
                "text": "Đã rà soát 5 văn bản",
                "percent": "40",
                "on": date.today().isoformat(),
                "files": [pdf_file()],
            },
            headers=self.api_headers(self.tuphap),
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(
            (body["percent"], body["status"], body["evidence"][0]["name"]),
            (40, "in_progress", "bien-ban.pdf"),
        )
        forbidden = self.client.post(
            url, {"text": "x", "percent": "10"}, headers=self.api_headers(self.diachinh)
        )
        self.assertEqual(forbidden.status_code, 403)
        invalid = self.client.post(
            url, {"text": "x", "percent": "150"}, headers=self.api_headers(self.tuphap)
        )
        self.assertEqual(invalid.status_code, 422)
        self.assertIn("Tỷ lệ hoàn thành", invalid.json()["detail"])
        self.assertEqual(TaskUpdate.objects.count(), 1)

    def test_it_exports_the_document_and_the_appendix(self):
        headers = self.api_headers(self.captren)
        docx = self.client.get(f"/api/v1/plans/{self.plan.pk}/document.docx", headers=headers)
        self.assertEqual(docx.status_code, 200)
        self.assertIn("KẾ HOẠCH", [p.text for p in Document(io.BytesIO(docx.content)).paragraphs])
        xlsx = self.client.get(f"/api/v1/plans/{self.plan.pk}/appendix.xlsx", headers=headers)
        values = [
            c
            for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
            for c in row
        ]
        self.assertIn("Rà soát văn bản QPPL", values)

    def test_rollover_and_check(self):
        url = f"/api/v1/plans/{self.plan.pk}/rollover"
        self.assertEqual(self.client.post(url, headers=self.api_headers(self.tuphap)).status_code, 403)
        response = self.client.post(url, headers=self.api_headers(self.vanphong))
        self.assertEqual(response.status_code, 201)
        new = response.json()
        self.assertEqual((new["year"], new["status"], new["task_count"]), (2025, "draft", 2))
        again = self.client.post(url, headers=self.api_headers(self.vanphong))
        self.assertEqual(again.status_code, 409)
        self.assertIn("2025", again.json()["detail"])
        Plan.objects.filter(pk=new["id"]).update(purpose="Hoàn thành công tác CCHC năm 2023.")
        problems = self.client.get(
            f"/api/v1/plans/{new['id']}/check", headers=self.api_headers(self.captren)
        ).json()
        self.assertEqual(len(problems), 1)
        self.assertEqual((problems[0]["location"], problems[0]["year"]), ("I.1. Mục đích", 2023))
        self.assertIn("năm 2023", problems[0]["snippet"])
