from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from cchc.plans import services
from cchc.plans.models import AreaKind, Evidence, PlanStatus, Task, TaskStatus, TaskUpdate

from .helpers import PlanTestCase, pdf_file


class WorkflowTests(PlanTestCase):
    def test_it_moves_draft_submitted_approved_in_effect_closed_with_history(self):
        plan = self.make_plan(in_effect=False)
        with self.assertRaises(PermissionDenied):
            services.plan_transition(user=self.tuphap, plan=plan, to=PlanStatus.SUBMITTED)
        services.plan_transition(user=self.vanphong, plan=plan, to=PlanStatus.SUBMITTED)
        with self.assertRaises(PermissionDenied):
            services.plan_transition(user=self.vanphong, plan=plan, to=PlanStatus.APPROVED)
        with self.assertRaises(ValidationError):  # returning needs a reason
            services.plan_transition(user=self.chutich, plan=plan, to=PlanStatus.DRAFT)
        services.plan_transition(user=self.chutich, plan=plan, to=PlanStatus.DRAFT, note="Bổ sung chỉ tiêu.")
        services.plan_transition(user=self.vanphong, plan=plan, to=PlanStatus.SUBMITTED)
        plan = services.plan_transition(user=self.chutich, plan=plan, to=PlanStatus.APPROVED)
        self.assertEqual((plan.signer, plan.signer_title), (self.chutich, "CHỦ TỊCH"))
        with self.assertRaises(ValidationError):  # issuing needs a number
            services.plan_transition(
                user=self.vanphong, plan=plan, to=PlanStatus.IN_EFFECT, issued_on=date(2024, 1, 5)
            )
        services.plan_transition(
            user=self.vanphong, plan=plan, to=PlanStatus.IN_EFFECT, number="152", issued_on=date(2024, 1, 5)
        )
        with self.assertRaises(services.Conflict):
            services.plan_transition(user=self.chutich, plan=plan, to=PlanStatus.APPROVED)
        services.plan_transition(user=self.chutich, plan=plan, to=PlanStatus.CLOSED)
        moves = [(e.from_status, e.to_status, e.actor) for e in plan.events.all()]
        self.assertEqual(
            moves,
            [
                ("", "draft", self.vanphong),
                ("draft", "submitted", self.vanphong),
                ("submitted", "draft", self.chutich),
                ("draft", "submitted", self.vanphong),
                ("submitted", "approved", self.chutich),
                ("approved", "in_effect", self.vanphong),
                ("in_effect", "closed", self.chutich),
            ],
        )

    def test_the_move_table_names_each_step_and_the_buttons_follow_it(self):
        # Pages and the API name the target status: one move per (status, target).
        for move in services.WORKFLOW:
            for source in move.sources:
                self.assertIs(services.move_to(source, move.target), move)
        plan = self.make_plan(in_effect=False)
        self.assertEqual(services.allowed_transitions(self.vanphong, plan), ["submitted"])
        self.assertEqual(services.allowed_transitions(self.chutich, plan), [])
        plan = services.plan_transition(user=self.vanphong, plan=plan, to=PlanStatus.SUBMITTED)
        self.assertEqual(
            [m.label for m in services.available_moves(self.chutich, plan)], ["Trả lại dự thảo", "Phê duyệt"]
        )
        self.assertEqual(services.allowed_transitions(self.vanphong, plan), ["draft"])
        with self.assertRaisesMessage(services.Conflict, "từ “Trình phê duyệt” sang “Đang thực hiện”"):
            services.plan_transition(user=self.chutich, plan=plan, to=PlanStatus.IN_EFFECT)
        with self.assertRaisesMessage(PermissionDenied, "Chỉ Chủ tịch, Phó Chủ tịch UBND được phê duyệt"):
            services.plan_transition(user=self.vanphong, plan=plan, to=PlanStatus.APPROVED)
        self.login(self.chutich)
        page = self.client.get(reverse("plans:plan_detail", args=[plan.pk]))
        self.assertContains(page, ">Phê duyệt</button>")
        self.assertContains(page, ">Trả lại dự thảo</button>")
        self.assertNotContains(page, "Trình phê duyệt</button>")

    def test_it_refuses_to_submit_a_plan_with_an_empty_area_or_a_task_without_lead(self):
        plan = self.make_plan(in_effect=False)
        services.area_add(user=self.vanphong, plan=plan, kind=AreaKind.DIGITAL)
        with self.assertRaises(ValidationError) as ctx:
            services.plan_transition(user=self.vanphong, plan=plan, to=PlanStatus.SUBMITTED)
        self.assertIn("chưa có nhiệm vụ", " ".join(ctx.exception.messages))
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.DRAFT)

    def test_only_the_office_edits_and_only_a_draft(self):
        plan = self.make_plan(in_effect=False)
        area = plan.areas.get(kind=AreaKind.PROCEDURES)
        for user in (self.tuphap, self.chutich, self.motcua):
            with self.assertRaises(PermissionDenied):
                services.plan_update(user=user, plan=plan, title="Khác")
            with self.assertRaises(PermissionDenied):
                services.task_create(user=user, area=area, title="Khác", lead_department=self.dept_one_stop)
        with self.assertRaises(PermissionDenied):  # superior viewers read, never write
            services.plan_update(user=self.captren, plan=plan, title="Khác")
        with self.assertRaises(Http404):  # another commune's staff do not even see it
            services.plan_update(user=self.other, plan=plan, title="Khác")
        self.put_in_effect(plan)
        with self.assertRaises(services.Conflict):
            services.plan_update(user=self.vanphong, plan=plan, title="Khác")
        plan.refresh_from_db()
        self.assertEqual(plan.title, "Cải cách hành chính nhà nước ducxuong năm 2024")


class ProgressTests(PlanTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.task = Task.objects.get(area__plan=self.plan, title="Rà soát văn bản QPPL")

    def test_the_lead_department_reports_progress_with_evidence(self):
        update = services.task_report(
            user=self.tuphap,
            task=self.task,
            text="Đã rà soát 12 văn bản.",
            percent=60,
            on=date(2024, 5, 2),
            today=date(2024, 5, 3),
            files=[pdf_file()],
        )
        self.task.refresh_from_db()
        self.assertEqual((self.task.status, self.task.percent), (TaskStatus.IN_PROGRESS, 60))
        evidence = update.evidence.get()
        self.assertEqual(evidence.original_name, "bien-ban.pdf")
        self.assertNotIn("bien-ban", evidence.file.name)  # stored under a random name
        self.assertTrue(evidence.file.name.endswith(".pdf"))
        self.assertEqual(evidence.file.read(), pdf_file().read())

    def test_others_cannot_report_on_a_department_task(self):
        # diachinh coordinates this task: it reads it but does not report on it.
        for user in (self.diachinh, self.motcua, self.chutich, self.captren):
            with self.assertRaises(PermissionDenied):
                services.task_report(user=user, task=self.task, text="x", percent=10, today=date(2024, 5, 3))
        with self.assertRaises(Http404):
            services.task_report(
                user=self.other, task=self.task, text="x", percent=10, today=date(2024, 5, 3)
            )
        # The standing office may report on any task.
        services.task_report(
            user=self.vanphong, task=self.task, text="Đôn đốc", percent=10, today=date(2024, 5, 3)
        )
        self.assertEqual(TaskUpdate.objects.count(), 1)

    def test_it_rejects_bad_files_and_values_without_saving_anything(self):
        cases = [
            dict(files=[pdf_file("virus.exe")]),
            dict(files=[pdf_file("gia.pdf", b"MZ not a pdf")]),
            dict(files=[pdf_file("rong.pdf", b"")]),
            dict(percent=120),
            dict(percent=50, status=TaskStatus.DONE),
            dict(text="   "),
            dict(on=date(2024, 6, 1)),  # after "today"
        ]
        for case in cases:
            kwargs = dict(
                user=self.tuphap, task=self.task, text="Kết quả", percent=50, today=date(2024, 5, 3)
            )
            kwargs.update(case)
            with self.subTest(case=case), self.assertRaises(ValidationError):
                services.task_report(**kwargs)
        with self.settings(UPLOAD_MAX_BYTES=10):
            with self.assertRaises(ValidationError) as ctx:
                services.task_report(
                    user=self.tuphap,
                    task=self.task,
                    text="x",
                    percent=5,
                    today=date(2024, 5, 3),
                    files=[pdf_file()],
                )
        self.assertIn("vượt giới hạn", str(ctx.exception))
        self.assertEqual((TaskUpdate.objects.count(), Evidence.objects.count()), (0, 0))
        self.task.refresh_from_db()
        self.assertEqual(self.task.percent, 0)

    def test_progress_is_refused_before_the_plan_is_in_effect(self):
        draft = self.make_plan(year=2025, in_effect=False)
        task = Task.objects.get(area__plan=draft, title="Rà soát văn bản QPPL")
        with self.assertRaises(services.Conflict):
            services.task_report(user=self.tuphap, task=task, text="x", percent=10, today=date(2025, 5, 3))

    def test_evidence_downloads_only_for_those_who_see_the_plan(self):
        update = services.task_report(
            user=self.tuphap, task=self.task, text="x", percent=10, today=date(2024, 5, 3), files=[pdf_file()]
        )
        url = reverse("plans:evidence_download", args=[self.plan.pk, update.evidence.get().pk])
        for user, expected in ((self.diachinh, 200), (self.captren, 200), (self.other, 404)):
            self.login(user)
            response = self.client.get(url)
            self.assertEqual(response.status_code, expected, user)
            if expected == 200:
                self.assertEqual(b"".join(response.streaming_content), pdf_file().read())
                self.assertIn("bien-ban.pdf", response["Content-Disposition"])
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)


class PageTests(PlanTestCase):
    def test_pages_render_for_each_role_and_hide_edit_buttons(self):
        plan = self.make_plan()
        task = Task.objects.get(area__plan=plan, title="Rà soát văn bản QPPL")
        self.login(self.tuphap)
        self.assertContains(
            self.client.get(reverse("plans:plan_detail", args=[plan.pk])), "Rà soát văn bản QPPL"
        )
        page = self.client.get(reverse("plans:task_detail", args=[plan.pk, task.pk]))
        self.assertContains(page, "Cập nhật tiến độ")
        self.login(self.diachinh)
        page = self.client.get(reverse("plans:task_detail", args=[plan.pk, task.pk]))
        self.assertNotContains(page, "Gửi cập nhật")
        self.assertEqual(
            self.client.post(reverse("plans:task_detail", args=[plan.pk, task.pk]), {}).status_code, 403
        )
        mine = self.client.get(reverse("plans:my_tasks"))
        self.assertContains(mine, "Rà soát văn bản QPPL")  # in the coordinating list
        self.login(self.captren)
        self.assertContains(self.client.get(reverse("plans:plan_list")), "152/KH-UBND")
        self.login(self.other)
        self.assertEqual(self.client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("plans:plan_list")), "152/KH-UBND")

    def test_my_tasks_sorts_overdue_and_due_soon(self):
        plan = self.make_plan()
        area = plan.areas.get(kind=AreaKind.INSTITUTIONS)
        Task.objects.filter(area=area).update(end_date=date(2024, 1, 10))
        soon = Task.objects.create(
            area=area,
            position=1,
            title="Sắp hạn",
            lead_department=self.dept_justice,
            time_frame="deadline",
            end_date=date(2024, 3, 13),
        )
        tasks = services.department_tasks(department=self.dept_justice, today=date(2024, 3, 11))
        self.assertEqual([t.title for t in tasks.overdue], ["Rà soát văn bản QPPL"])
        self.assertEqual(tasks.due_soon, [soon])
        self.assertEqual(
            services.department_tasks(department=self.dept_land, today=date(2024, 3, 11))
            .coordinating[0]
            .title,
            "Rà soát văn bản QPPL",
        )
