from datetime import date
from pathlib import Path
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cchc.plans import services
from cchc.plans.checks import check_plan, check_text, find_mentions, shift_years
from cchc.plans.models import AreaKind, Plan, PlanEvent, PlanStatus, ReformArea, Task, TaskStatus

from .helpers import PlanTestCase

SEED = (Path(__file__).parent / "seed_plan.txt").read_text(encoding="utf-8")


class SeedYearCheckTests(PlanTestCase):
    def test_it_finds_exactly_the_seeds_year_slips(self):
        problems = check_text(SEED, 2024, "seed")
        found = [(p.year, p.snippet) for p in problems]
        self.assertEqual([y for y, _ in found], [2023, 2022, 2023, 2023, 2023])
        self.assertIn("Đức Xương năm 2023", found[0][1])  # the title
        self.assertIn("CCHC năm 2022 trên địa bàn", found[1][1])
        self.assertIn("Kế hoạch CCHC năm 2023 của xã", found[2][1])
        self.assertIn("năm2023", found[3][1])  # glued, as extracted from the PDF
        self.assertIn("khung Kế hoạch CCHC nhà nước xã năm 2023", found[4][1])
        self.assertTrue(all("(năm trước) trong kế hoạch năm 2024" in p.reason for p in problems))

    def test_it_accepts_legal_documents_laws_standards_periods_and_cut_off_dates(self):
        text = (
            "Nghị định số 62/2020/NĐ-CP ngày 01 tháng 6 năm 2020; Luật Ngân sách nhà nước năm 2015; "
            "TCVN ISO 9001:2015; giai đoạn 2021-2025; từ ngày 15/12/2023 đến ngày 14/3/2024; "
            "Quyết định số 1847/QĐ-TTg ngày 27/12/2018; Nghị định số 117/2013-NĐ-CP ngày 07/10/2013."
        )
        self.assertEqual(check_text(text, 2024, "x"), [])
        kinds = [m.kind for m in find_mentions(text, 2024)]
        self.assertEqual(
            kinds,
            ["doc_number", "doc_date", "law", "standard", "range", "prev_year_end", "plan_date", "doc_date"]
            + ["doc_number", "doc_date"],
        )

    def test_it_flags_a_period_that_does_not_contain_the_year_and_a_stray_date(self):
        problems = check_text("Đề án giai đoạn 2021-2025; họp ngày 10/3/2023.", 2026, "x")
        self.assertEqual(len(problems), 2)
        self.assertIn("không bao gồm năm kế hoạch 2026", problems[0].reason)
        self.assertIn("10/03/2023", problems[1].reason)

    def test_it_shifts_only_the_plan_years_mentions(self):
        text = (
            "Kế hoạch số 152/KH-UBND ngày 29 tháng 12 năm 2023 về CCHC năm 2024; Nghị định số 01/2024/NĐ-CP; "
            "quý I/2024 từ ngày 15/12/2023 đến ngày 14/3/2024; giai đoạn 2021-2025; CCHC năm 2022."
        )
        self.assertEqual(
            shift_years(text, 2024),
            "Kế hoạch số 152/KH-UBND ngày 29 tháng 12 năm 2024 về CCHC năm 2025; Nghị định số 01/2024/NĐ-CP; "
            "quý I/2025 từ ngày 15/12/2024 đến ngày 14/3/2025; giai đoạn 2021-2025; CCHC năm 2022.",
        )


class RolloverTests(PlanTestCase):
    def test_it_copies_the_plan_to_a_next_year_draft(self):
        plan = self.make_plan()
        task = Task.objects.get(area__plan=plan, title="Rà soát văn bản QPPL")
        services.task_report(
            user=self.tuphap, task=task, text="Xong", percent=100, on=date(2024, 6, 1), today=date(2024, 6, 2)
        )
        new = services.plan_rollover(user=self.vanphong, plan=plan)
        self.assertEqual(
            (new.year, new.status, new.number, new.issued_on), (2025, PlanStatus.DRAFT, "", None)
        )
        self.assertEqual(new.source_plan, plan)
        self.assertIn("ngày 29 tháng 12 năm 2024", new.basis)
        self.assertIn("CCHC năm 2025", new.basis)
        self.assertIn("quý I/2025: số liệu tính từ ngày 15/12/2024 đến ngày 14/3/2025", new.reporting)
        self.assertEqual([a.kind for a in new.areas.all()], [a.kind for a in plan.areas.all()])
        copied = Task.objects.get(area__plan=new, title="Rà soát văn bản QPPL")
        self.assertEqual(copied.end_date, date(2025, 6, 30))
        self.assertEqual(
            (copied.status, copied.percent, copied.updates.count()), (TaskStatus.NOT_STARTED, 0, 0)
        )
        self.assertEqual(list(copied.coordinating.all()), [self.dept_land])
        self.assertIn("năm 2025", copied.content)
        target = Task.objects.get(area__plan=new, title="Công khai 100% TTHC")
        self.assertEqual((target.target_metric, target.target_value), ("procedures.published_rate", 100))
        self.assertEqual(check_plan(new), [])
        self.assertEqual(new.events.get().to_status, PlanStatus.DRAFT)

    def test_it_refuses_a_second_rollover_and_non_office_users(self):
        plan = self.make_plan()
        with self.assertRaises(PermissionDenied):
            services.plan_rollover(user=self.tuphap, plan=plan)
        with self.assertRaises(PermissionDenied):
            services.plan_rollover(user=self.chutich, plan=plan)
        services.plan_rollover(user=self.vanphong, plan=plan)
        with self.assertRaises(services.Conflict):
            services.plan_rollover(user=self.vanphong, plan=plan)
        self.assertEqual(Plan.objects.filter(commune=self.commune).count(), 2)

    def test_the_check_lists_slips_kept_by_a_rollover_with_their_place(self):
        plan = self.make_plan(in_effect=False)
        area = plan.areas.get(kind=AreaKind.PROCEDURES)
        services.task_create(
            user=self.vanphong,
            area=area,
            title="Kiểm soát TTHC",
            content="Xây dựng Kế hoạch kiểm soát TTHC trên địa bàn xã năm2023.",
            lead_department=self.dept_one_stop,
        )
        services.plan_update(user=self.vanphong, plan=plan, requirements="Triển khai công tác CCHC năm 2022.")
        plan.refresh_from_db()
        problems = check_plan(plan)
        self.assertEqual(
            [(p.location, p.year) for p in problems], [("I.2. Yêu cầu", 2022), ("II.2, nhiệm vụ b)", 2023)]
        )
        self.put_in_effect(plan)
        new = services.plan_rollover(user=self.vanphong, plan=plan)
        self.assertEqual([p.year for p in check_plan(new)], [2022, 2023])


class RolloverIntoTheFutureTests(PlanTestCase):
    """Rolling this year's plan over gives a plan whose reporting window starts after
    today: its page and the API show "chưa đến kỳ" (no error), and the roll-over is
    all or nothing."""

    TODAY = date(2026, 11, 30)

    def setUp(self):
        self.plan = self.make_plan(year=2026)
        patcher = mock.patch("django.utils.timezone.localdate", return_value=self.TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def next_year_plans(self):
        return Plan.objects.filter(commune=self.commune, year=2027)

    def test_the_page_rolls_over_and_the_new_plan_shows_not_yet(self):
        self.login(self.vanphong)
        response = self.client.post(reverse("plans:plan_rollover", args=[self.plan.pk]), follow=True)
        new = self.next_year_plans().get()
        self.assertEqual(response.redirect_chain[-1][0], reverse("plans:plan_check", args=[new.pk]))
        self.assertContains(response, "Đã tạo dự thảo kế hoạch năm 2027.")
        page = self.client.get(reverse("plans:plan_detail", args=[new.pk]))
        self.assertContains(page, 'data-state="not_started"')
        self.assertContains(page, "chưa đến kỳ")
        self.assertContains(page, "Năm 2027</strong> (15/12/2026 – 14/12/2027)")
        again = self.client.post(reverse("plans:plan_rollover", args=[self.plan.pk]), follow=True)
        self.assertContains(again, "Đã có kế hoạch CCHC năm 2027 của")
        self.assertEqual(self.next_year_plans().count(), 1)

    def test_the_api_answers_201_with_the_new_plan_then_409(self):
        url = f"/api/v1/plans/{self.plan.pk}/rollover"
        response = self.client.post(url, headers=self.api_headers(self.vanphong))
        self.assertEqual(response.status_code, 201)
        new = response.json()
        self.assertEqual(new["id"], self.next_year_plans().get().pk)
        self.assertEqual((new["year"], new["status"], new["task_count"]), (2027, "draft", 2))
        target = next(t["target"] for a in new["areas"] for t in a["tasks"] if t["target"])
        self.assertEqual((target["state"], target["state_label"]), ("not_started", "Chưa đến kỳ"))
        self.assertEqual(target["window"]["date_from"], "2026-12-15")
        again = self.client.post(url, headers=self.api_headers(self.vanphong))
        self.assertEqual(again.status_code, 409)
        self.assertEqual(again.json()["detail"], f"Đã có kế hoạch CCHC năm 2027 của {self.commune}.")

    def assert_nothing_left(self):
        self.assertFalse(self.next_year_plans().exists())
        self.assertEqual(Task.objects.filter(area__plan__year=2027).count(), 0)
        self.assertEqual(ReformArea.objects.filter(plan__year=2027).count(), 0)
        self.assertEqual(PlanEvent.objects.filter(plan__year=2027).count(), 0)

    def test_a_failure_while_copying_leaves_nothing_and_the_call_can_be_repeated(self):
        url = f"/api/v1/plans/{self.plan.pk}/rollover"
        real_create = Task.objects.create
        calls = []

        def fail_on_the_second_task(**kwargs):
            calls.append(kwargs["title"])
            if len(calls) == 2:
                raise ValidationError("Nhiệm vụ không hợp lệ.")
            return real_create(**kwargs)

        with mock.patch.object(Task.objects, "create", side_effect=fail_on_the_second_task):
            failed = self.client.post(url, headers=self.api_headers(self.vanphong))
        self.assertEqual((failed.status_code, failed.json()["detail"]), (422, "Nhiệm vụ không hợp lệ."))
        self.assertEqual(len(calls), 2)  # the first task and the area were written, then undone
        self.assert_nothing_left()
        calls.clear()
        with mock.patch.object(Task.objects, "create", side_effect=fail_on_the_second_task):
            with self.assertRaises(ValidationError):  # the service alone (the page's path) too
                services.plan_rollover(user=self.vanphong, plan=self.plan)
        self.assert_nothing_left()
        retried = self.client.post(url, headers=self.api_headers(self.vanphong))
        self.assertEqual((retried.status_code, retried.json()["task_count"]), (201, 2))

    def test_a_failure_while_answering_leaves_nothing(self):
        url = f"/api/v1/plans/{self.plan.pk}/rollover"
        with mock.patch(
            "cchc.plans.api.services.live_targets", side_effect=ValidationError("Kỳ báo cáo không hợp lệ.")
        ):
            failed = self.client.post(url, headers=self.api_headers(self.vanphong))
        self.assertEqual(failed.status_code, 422)
        self.assert_nothing_left()
        self.assertEqual(self.client.post(url, headers=self.api_headers(self.vanphong)).status_code, 201)
