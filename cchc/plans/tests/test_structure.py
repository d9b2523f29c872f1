from datetime import date

from django.core.exceptions import ValidationError

from cchc.plans import services
from cchc.plans.models import LETTERS, AreaKind, Task, letter_for

from .helpers import PlanTestCase


class LetterSequenceTests(PlanTestCase):
    def test_it_uses_the_vietnamese_letter_order_without_f_j_w_z(self):
        self.assertEqual("".join(LETTERS), "abcdđeghiklmnopqrstuvxy")
        self.assertEqual(letter_for(4), "đ")
        self.assertEqual(letter_for(5), "e")
        self.assertEqual(letter_for(6), "g")
        for missing in "fjwz":
            self.assertNotIn(missing, LETTERS)

    def _letters(self, area):
        return [(t.letter, t.title) for t in area.tasks.order_by("position")]

    def test_it_letters_tasks_and_renumbers_on_insert_delete_and_move(self):
        plan = self.make_plan(in_effect=False)
        area = plan.areas.get(kind=AreaKind.INSTITUTIONS)
        for title in ["B", "C", "D", "Đ", "E"]:
            services.task_create(
                user=self.vanphong, area=area, title=title, lead_department=self.dept_justice
            )
        self.assertEqual([letter for letter, _ in self._letters(area)], ["a", "b", "c", "d", "đ", "e"])
        # Insert before "c": everything after moves on one letter, "g" follows "e".
        services.task_create(
            user=self.vanphong, area=area, title="Chen", position=2, lead_department=self.dept_justice
        )
        self.assertEqual(
            self._letters(area),
            [
                ("a", "Rà soát văn bản QPPL"),
                ("b", "B"),
                ("c", "Chen"),
                ("d", "C"),
                ("đ", "D"),
                ("e", "Đ"),
                ("g", "E"),
            ],
        )
        services.task_delete(user=self.vanphong, task=area.tasks.get(title="B"))
        self.assertEqual([t for _, t in self._letters(area)][:3], ["Rà soát văn bản QPPL", "Chen", "C"])
        self.assertEqual([letter for letter, _ in self._letters(area)], ["a", "b", "c", "d", "đ", "e"])
        services.task_move(user=self.vanphong, task=area.tasks.get(title="E"), position=0)
        self.assertEqual(self._letters(area)[0], ("a", "E"))
        # Moving to another area closes the gap here and takes a letter there.
        other = plan.areas.get(kind=AreaKind.PROCEDURES)
        services.task_move(user=self.vanphong, task=area.tasks.get(title="Chen"), position=0, area=other)
        self.assertEqual(self._letters(other), [("a", "Chen"), ("b", "Công khai 100% TTHC")])
        self.assertEqual([letter for letter, _ in self._letters(area)], ["a", "b", "c", "d", "đ"])

    def test_it_refuses_a_24th_task_in_an_area(self):
        plan = self.make_plan(in_effect=False)
        area = plan.areas.get(kind=AreaKind.INSTITUTIONS)
        for i in range(len(LETTERS) - 1):
            services.task_create(
                user=None, area=area, title=f"Nhiệm vụ {i}", lead_department=self.dept_justice
            )
        self.assertEqual(area.tasks.order_by("-position").first().letter, "y")
        with self.assertRaises(ValidationError):
            services.task_create(user=None, area=area, title="Thừa", lead_department=self.dept_justice)
        self.assertEqual(area.tasks.count(), len(LETTERS))


class AreaOrderTests(PlanTestCase):
    def test_it_orders_standard_areas_legally_and_numbers_local_programmes_after(self):
        plan = self.make_plan(in_effect=False)
        services.area_add(user=self.vanphong, plan=plan, kind=AreaKind.LOCAL, title="Chính quyền thân thiện")
        services.area_add(user=self.vanphong, plan=plan, kind=AreaKind.DIGITAL)
        services.area_add(user=self.vanphong, plan=plan, kind=AreaKind.DIRECTION)
        kinds = [a.kind for a in plan.areas.all()]
        self.assertEqual(kinds, ["direction", "institutions", "procedures", "digital", "local"])
        local = plan.areas.get(kind=AreaKind.LOCAL)
        self.assertEqual(local.number, 5)

    def test_it_refuses_a_standard_area_twice_and_a_nameless_local_programme(self):
        plan = self.make_plan(in_effect=False)
        with self.assertRaises(ValidationError):
            services.area_add(user=self.vanphong, plan=plan, kind=AreaKind.PROCEDURES)
        with self.assertRaises(ValidationError):
            services.area_add(user=self.vanphong, plan=plan, kind=AreaKind.LOCAL, title="  ")
        self.assertEqual(plan.areas.count(), 2)


class TaskValidationTests(PlanTestCase):
    def test_it_rejects_incomplete_targets_and_reversed_dates_without_saving(self):
        plan = self.make_plan(in_effect=False)
        area = plan.areas.get(kind=AreaKind.PROCEDURES)
        with self.assertRaises(ValidationError) as ctx:
            services.task_create(
                user=self.vanphong,
                area=area,
                title="X",
                lead_department=self.dept_one_stop,
                target_metric="satisfaction.rate",
            )
        self.assertIn("target_metric", ctx.exception.message_dict)
        with self.assertRaises(ValidationError):
            services.task_create(
                user=self.vanphong,
                area=area,
                title="Y",
                lead_department=self.dept_one_stop,
                start_date=date(2024, 6, 1),
                end_date=date(2024, 3, 1),
            )
        with self.assertRaises(ValidationError):
            services.task_create(user=self.vanphong, area=area, title="Z", lead_department=self.other_dept)
        self.assertEqual(area.tasks.count(), 1)

    def test_it_computes_overdue_from_dates_and_recurring_periods(self):
        plan = self.make_plan()
        task = Task.objects.get(area__plan=plan, title="Rà soát văn bản QPPL")
        self.assertEqual(task.effective_status(date(2024, 6, 30)), "not_started")
        self.assertEqual(task.effective_status(date(2024, 7, 1)), "overdue")
        quarterly = Task(
            area=task.area,
            title="Báo cáo quý",
            time_frame="recurring",
            recurrence="quarterly",
            recurrence_day=15,
            start_date=date(2024, 1, 1),
            end_date=date(2024, 12, 31),
        )
        self.assertEqual(
            quarterly.occurrences(),
            [date(2024, 3, 15), date(2024, 6, 15), date(2024, 9, 15), date(2024, 12, 15)],
        )
        self.assertEqual(quarterly.next_due(date(2024, 3, 16)), date(2024, 6, 15))
        self.assertEqual(quarterly.missed_due(date(2024, 3, 16), update_dates=[]), date(2024, 3, 15))
        self.assertIsNone(quarterly.missed_due(date(2024, 3, 16), update_dates=[date(2024, 3, 14)]))
        # A report for Q1 does not cover Q2.
        self.assertEqual(
            quarterly.missed_due(date(2024, 6, 20), update_dates=[date(2024, 3, 14)]), date(2024, 6, 15)
        )
