"""The plan form pages: a service's success redirects with a message, its refusal
(invalid value or wrong state) is shown on the form and changes nothing."""

from django.urls import reverse

from cchc.plans.models import Evidence, Plan, ReformArea, Task, TaskUpdate

from .helpers import PlanTestCase, pdf_file


class PlanFormPageTests(PlanTestCase):
    def test_it_creates_a_plan_and_refuses_a_second_one_for_the_year(self):
        self.login(self.vanphong)
        url = reverse("plans:plan_create")
        response = self.client.post(url, {"year": 2030, "title": ""}, follow=True)
        plan = Plan.objects.get(commune=self.commune, year=2030)
        self.assertRedirects(response, reverse("plans:plan_detail", args=[plan.pk]))
        self.assertContains(response, "Đã lập dự thảo kế hoạch năm 2030.")
        again = self.client.post(url, {"year": 2030, "title": "Kế hoạch khác"})
        self.assertEqual(again.status_code, 400)
        self.assertIn("đã có kế hoạch CCHC năm 2030", again.context["create_form"].errors["year"][0])
        self.assertEqual(Plan.objects.filter(year=2030).count(), 1)

    def test_it_edits_a_draft_and_shows_the_services_refusals(self):
        draft = self.make_plan(year=2025, in_effect=False)
        self.login(self.vanphong)
        url = reverse("plans:plan_edit", args=[draft.pk])
        data = {"title": "Kế hoạch CCHC năm 2025", "symbol": "KH-UBND", "number": "15a"}
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Số văn bản chỉ gồm chữ số", response.context["form"].errors["number"][0])
        draft.refresh_from_db()
        self.assertNotEqual(draft.title, "Kế hoạch CCHC năm 2025")
        response = self.client.post(url, {**data, "number": "15"}, follow=True)
        self.assertRedirects(response, reverse("plans:plan_detail", args=[draft.pk]))
        self.assertContains(response, "Đã lưu kế hoạch.")
        draft.refresh_from_db()
        self.assertEqual((draft.title, draft.number), ("Kế hoạch CCHC năm 2025", "15"))

    def test_a_plan_in_effect_is_not_edited_through_the_pages(self):
        plan = self.make_plan()
        area = plan.areas.first()
        task = Task.objects.filter(area__plan=plan).first()
        self.login(self.vanphong)
        posts = [
            (reverse("plans:plan_edit", args=[plan.pk]), {"title": "Đổi tên", "symbol": "KH-UBND"}),
            (reverse("plans:area_edit", args=[plan.pk, area.pk]), {"title": "Đổi tên"}),
            (
                reverse("plans:task_edit", args=[plan.pk, task.pk]),
                {
                    "title": "Đổi tên",
                    "lead_department": task.lead_department_id,
                    "time_frame": "deadline",
                    "end_date": "30/06/2024",
                },
            ),
        ]
        for url, data in posts:
            with self.subTest(url=url):
                response = self.client.post(url, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("chỉ sửa được bản dự thảo", response.context["form"].non_field_errors()[0])
        plan.refresh_from_db()
        area.refresh_from_db()
        task.refresh_from_db()
        self.assertNotIn("Đổi tên", (plan.title, area.title, task.title))

    def test_it_adds_and_edits_areas_and_tasks_of_a_draft(self):
        draft = self.make_plan(year=2025, in_effect=False)
        area = ReformArea.objects.filter(plan=draft).first()
        self.login(self.vanphong)
        add = reverse("plans:task_add", args=[draft.pk, area.pk])
        data = {
            "title": "Tập huấn nghiệp vụ",
            "lead_department": self.dept_justice.pk,
            "coordinating": [self.dept_justice.pk],
            "time_frame": "deadline",
            "end_date": "30/09/2025",
        }
        refused = self.client.post(add, data)
        self.assertEqual(refused.status_code, 200)
        self.assertIn("không đồng thời là đơn vị phối hợp", refused.context["form"].errors["coordinating"][0])
        self.assertFalse(Task.objects.filter(title="Tập huấn nghiệp vụ").exists())
        response = self.client.post(add, {**data, "coordinating": [self.dept_land.pk]}, follow=True)
        self.assertContains(response, "Đã thêm nhiệm vụ.")
        task = Task.objects.get(title="Tập huấn nghiệp vụ")
        self.assertEqual(list(task.coordinating.all()), [self.dept_land])

        edit = reverse("plans:task_edit", args=[draft.pk, task.pk])
        response = self.client.post(
            edit, {**data, "title": "Tập huấn một cửa", "coordinating": []}, follow=True
        )
        self.assertContains(response, "Đã lưu nhiệm vụ.")
        task.refresh_from_db()
        self.assertEqual((task.title, task.coordinating.count()), ("Tập huấn một cửa", 0))

        response = self.client.post(
            reverse("plans:area_edit", args=[draft.pk, area.pk]),
            {"title": "Thể chế", "intro": ""},
            follow=True,
        )
        self.assertContains(response, "Đã lưu lĩnh vực.")
        area.refresh_from_db()
        self.assertEqual(area.title, "Thể chế")


class LostUpdateTests(PlanTestCase):
    def test_the_second_of_two_officers_editing_a_task_is_told_and_loses_nothing(self):
        draft = self.make_plan(year=2025, in_effect=False)
        task = Task.objects.filter(area__plan=draft).first()
        edit = reverse("plans:task_edit", args=[draft.pk, task.pk])
        self.login(self.vanphong)
        # Both officers open the form: each carries the version it was opened at.
        first = self.client.get(edit).context["form"]
        second = self.client.get(edit).context["form"]
        self.assertEqual(first["version"].value(), second["version"].value())

        def data(form, **changes):
            values = {name: form[name].value() for name in form.fields}
            values["coordinating"] = [d for d in values["coordinating"] or []]
            values = {k: ("" if v is None else v) for k, v in values.items()}
            return {**values, **changes}

        saved = self.client.post(edit, data(first, title="Bản của người thứ nhất"), follow=True)
        self.assertContains(saved, "Đã lưu nhiệm vụ.")
        stale = self.client.post(edit, data(second, title="Bản của người thứ hai"))
        self.assertEqual(stale.status_code, 200)
        self.assertContains(stale, "Trong lúc bạn sửa, vanphong")
        self.assertContains(stale, "Thay đổi của bạn chưa được lưu")
        task.refresh_from_db()
        self.assertEqual(task.title, "Bản của người thứ nhất")
        # Reopened, the form has the new version and saves.
        fresh = self.client.get(edit).context["form"]
        self.assertEqual(fresh["version"].value(), task.version)
        saved = self.client.post(edit, data(fresh, title="Bản của người thứ hai"), follow=True)
        self.assertContains(saved, "Đã lưu nhiệm vụ.")
        task.refresh_from_db()
        self.assertEqual(task.title, "Bản của người thứ hai")


class ProgressPageTests(PlanTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.task = Task.objects.get(area__plan=self.plan, title="Rà soát văn bản QPPL")
        self.url = reverse("plans:task_detail", args=[self.plan.pk, self.task.pk])
        self.data = {
            "text": "Đã rà soát 12 văn bản.",
            "percent": 40,
            "status": "in_progress",
            "on": "02/05/2024",
        }
        self.login(self.tuphap)

    def test_the_form_lists_every_bad_file_and_saves_nothing(self):
        files = [pdf_file("virus.exe", b"MZ\x90\x00"), pdf_file("gia.pdf", b"MZ not a pdf"), pdf_file()]
        response = self.client.post(self.url, {**self.data, "files": files})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "“virus.exe” không đúng loại cho phép", status_code=400)
        self.assertContains(response, "“gia.pdf” không phải tệp PDF hợp lệ", status_code=400)
        self.assertNotContains(response, "“bien-ban.pdf”", status_code=400)
        self.assertEqual((TaskUpdate.objects.count(), Evidence.objects.count()), (0, 0))

    def test_the_form_states_what_it_accepts(self):
        page = self.client.get(self.url)
        self.assertContains(page, 'accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.zip"')
        self.assertContains(page, "PDF, DOCX, XLSX, JPG, PNG, ZIP; tối đa 10 tệp")

    def test_a_good_update_is_saved_with_its_evidence(self):
        response = self.client.post(self.url, {**self.data, "files": [pdf_file()]}, follow=True)
        self.assertRedirects(response, self.url)
        self.assertContains(response, "Đã ghi nhận cập nhật tiến độ.")
        update = TaskUpdate.objects.get()
        self.assertEqual((update.percent, update.evidence.get().original_name), (40, "bien-ban.pdf"))
