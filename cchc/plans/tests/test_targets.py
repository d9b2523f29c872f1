"""Plan targets are stored bindings to the figures catalogue: measured over the plan
year's annual reporting window, refused when the key is unknown, migrated from the
old metric keys, "chưa đến kỳ" before the window begins."""

import importlib
from datetime import date
from decimal import Decimal
from unittest import mock

from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from cchc.core import figures
from cchc.dossiers import figures as DF
from cchc.plans import services
from cchc.plans.models import PlanStatus, Task
from cchc.plans.services import TargetState
from cchc.procedures import figures as PRF
from cchc.procedures.models import PARTS, Procedure

from .helpers import PlanTestCase

migration = importlib.import_module("cchc.plans.migrations.0004_target_keys_to_figures_catalogue")


class TargetTests(PlanTestCase):
    def publish(self, flags):
        """Procedures whose publication is complete and reviewed (every part) or not
        (the fee part not reviewed yet: "đang cập nhật" on the public page)."""
        for i, complete in enumerate(flags):
            Procedure.objects.create(
                commune=self.commune,
                code=f"1.00{i}",
                name=f"Thủ tục {i}",
                time_amount=3,
                time_unit="working_days",
                reviewed_parts=list(PARTS) if complete else [p for p in PARTS if p != "fee"],
            )

    def test_targets_read_their_figure_over_the_plan_years_window(self):
        plan = self.make_plan(year=2024)
        self.publish([True, True, True, False])  # one with a part still under review: not "published"
        task = Task.objects.get(area__plan=plan, title="Công khai 100% TTHC")
        self.assertEqual(task.target_figure, PRF.PUBLISHED_RATE)
        self.assertEqual(task.target_display, "Tỷ lệ thủ tục được công khai đầy đủ = 100%")
        reading = services.live_targets(plan, today=date(2024, 5, 1))[task.pk]
        self.assertEqual(
            (reading.value, reading.state, reading.met), (Decimal("75.00"), TargetState.NOT_MET, False)
        )
        self.assertEqual(
            (reading.period.date_from, reading.period.date_to), (date(2023, 12, 15), date(2024, 12, 14))
        )
        # The last day before the window: not started; its first day: measured.
        before = services.live_targets(plan, today=date(2023, 12, 14))[task.pk]
        self.assertEqual((before.state, before.value_text), (TargetState.NOT_STARTED, "chưa đến kỳ"))
        first = services.live_targets(plan, today=date(2023, 12, 15))[task.pk]
        self.assertEqual(first.state, TargetState.NOT_MET)

    def test_no_data_is_neither_met_nor_missed(self):
        plan = self.make_plan(year=2024)
        task = Task.objects.get(area__plan=plan, title="Công khai 100% TTHC")
        reading = services.live_targets(plan, today=date(2024, 5, 1))[task.pk]
        self.assertEqual((reading.value, reading.state, reading.met), (None, TargetState.NO_DATA, None))

    def test_a_future_years_plan_shows_not_yet_on_its_page_and_in_the_api(self):
        plan = self.make_plan(year=2027, in_effect=False)
        self.login(self.vanphong)
        with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 6, 1)):
            page = self.client.get(reverse("plans:plan_detail", args=[plan.pk]))
            api = self.client.get(f"/api/v1/plans/{plan.pk}", headers=self.api_headers(self.vanphong))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'data-state="not_started"')
        self.assertContains(page, "chưa đến kỳ")
        self.assertContains(page, "Năm 2027</strong> (15/12/2026 – 14/12/2027)")
        target = next(t["target"] for a in api.json()["areas"] for t in a["tasks"] if t["target"])
        self.assertEqual((target["state"], target["live_value"], target["met"]), ("not_started", None, None))
        self.assertEqual(target["window"]["period"], "2027")

    def test_the_page_and_the_api_measure_another_period_on_request(self):
        plan = self.make_plan(year=2024)
        self.publish([True])
        self.login(self.vanphong)
        page = self.client.get(reverse("plans:plan_detail", args=[plan.pk]), {"period": "2024-Q1"})
        self.assertContains(page, "Quý I/2024</strong> (15/12/2023 – 14/03/2024)")
        api = self.client.get(
            f"/api/v1/plans/{plan.pk}?period=2024-Q1", headers=self.api_headers(self.vanphong)
        )
        target = next(t["target"] for a in api.json()["areas"] for t in a["tasks"] if t["target"])
        self.assertEqual(target["window"]["date_from"], "2023-12-15")
        bad = self.client.get(
            f"/api/v1/plans/{plan.pk}?period=2024-13", headers=self.api_headers(self.vanphong)
        )
        self.assertEqual(bad.status_code, 422)

    def test_an_unknown_key_is_refused_with_a_clear_message(self):
        plan = self.make_plan(year=2024, in_effect=False)
        task = Task.objects.get(area__plan=plan, title="Công khai 100% TTHC")
        with self.assertRaises(ValidationError) as ctx:
            services.task_update(user=self.vanphong, task=task, target_metric="procedures_published")
        self.assertIn("không có trong danh mục số liệu", str(ctx.exception))
        task.refresh_from_db()
        self.assertEqual(task.target_metric, PRF.PUBLISHED_RATE.key)
        services.task_update(
            user=self.vanphong, task=task, target_metric=DF.ON_TIME_RATE.key, target_value=98
        )
        task.refresh_from_db()
        self.assertEqual((task.target_metric, task.target_unit), ("dossiers.on_time_rate", "%"))

    def test_every_stored_key_is_in_the_catalogue_and_old_keys_migrate(self):
        plan = self.make_plan(year=2024)
        self.assertIn((Task, "target_metric"), figures.stored_bindings())
        self.assertEqual(figures.unknown_stored_keys(), [])
        task = Task.objects.get(area__plan=plan, title="Công khai 100% TTHC")
        Task.objects.filter(pk=task.pk).update(target_metric="procedures_published")  # as before the upgrade
        self.assertEqual(figures.unknown_stored_keys(), [("plans.Task", task.pk, "procedures_published")])
        migration.forwards(apps, None)
        task.refresh_from_db()
        self.assertEqual(task.target_metric, "procedures.published_rate")
        self.assertEqual(figures.unknown_stored_keys(), [])
        migration.backwards(apps, None)
        task.refresh_from_db()
        self.assertEqual(task.target_metric, "procedures_published")

    def test_every_old_key_maps_to_a_catalogue_figure(self):
        for new in migration.OLD_TO_NEW.values():
            figures.get(new)
        parsed = {
            "areas": [{"tasks": [{"target_metric": "satisfaction", "targets": [{"metric": "tasks_done"}]}]}]
        }
        self.assertEqual(
            migration._rewrite(parsed, migration.OLD_TO_NEW),
            {
                "areas": [
                    {
                        "tasks": [
                            {
                                "target_metric": "satisfaction.rate",
                                "targets": [{"metric": "plans.tasks_done_rate"}],
                            }
                        ]
                    }
                ]
            },
        )

    def test_the_task_form_offers_the_catalogue(self):
        plan = self.make_plan(year=2025, in_effect=False)
        self.assertEqual(plan.status, PlanStatus.DRAFT)
        self.login(self.vanphong)
        task = Task.objects.filter(area__plan=plan).first()
        page = self.client.get(reverse("plans:task_edit", args=[plan.pk, task.pk]))
        self.assertContains(page, '<option value="dossiers.on_time_rate"')
        self.assertContains(page, '<optgroup label="Hồ sơ một cửa">')
