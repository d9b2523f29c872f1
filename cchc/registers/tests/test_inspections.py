"""The inspection register: the year's plan, inspections conducted or cancelled,
recommendations followed up by the department responsible, import, scoping, and
figures (planned vs done, recommendations handled on time)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from cchc.core.figures import Scope, evaluate
from cchc.core.workflow import IllegalMove
from cchc.registers.common.models import SheetImport
from cchc.registers.inspections import figures as F
from cchc.registers.inspections import services
from cchc.registers.inspections.models import Inspection, InspectionPlan, Kind, Recommendation

from .helpers import RegisterTestCase, sheet_rows, workbook, xlsx_upload

URL = "/so-theo-doi/kiem-tra/"


class InspectionTestCase(RegisterTestCase):
    def planned(self, planned_on=date(2024, 5, 15), commune=None, department=None, **values) -> Inspection:
        commune = commune or self.commune
        plan = InspectionPlan.objects.filter(
            commune=commune, year=planned_on.year
        ).first() or services.plan_save(user=None, commune=commune, year=planned_on.year)
        return services.inspection_plan_add(
            user=None,
            plan=plan,
            kind=values.pop("kind", Kind.PROCEDURES),
            department=department
            if department is not None
            else (self.dept_one_stop if commune == self.commune else None),
            subject=values.pop("subject", "" if commune == self.commune else "Bộ phận Một cửa"),
            planned_on=planned_on,
            **values,
        )

    def conduct(self, inspection, on=date(2024, 5, 16)) -> Inspection:
        return services.inspection_act(
            user=None,
            inspection=inspection,
            action="conduct",
            conducted_on=on,
            findings="Tiếp nhận đúng quy trình.",
        )

    def recommend(self, inspection, due=date(2024, 6, 15), department=None, text="Niêm yết lại TTHC hộ tịch"):
        return services.recommendation_save(
            user=None, inspection=inspection, text=text, department=department or self.dept_land, due_on=due
        )


class FlowTests(InspectionTestCase):
    def test_a_planned_inspection_is_conducted_or_cancelled_with_what_it_needs(self):
        inspection = self.planned()
        assert inspection.subject == "Văn phòng HĐND – UBND"
        with self.assertRaises(ValidationError) as exc:
            services.inspection_plan_add(
                user=None, plan=inspection.plan, kind=Kind.CCHC, subject="x", planned_on=date(2025, 1, 1)
            )
        assert exc.exception.message_dict == {
            "planned_on": ["Thời gian dự kiến phải thuộc năm 2024 của kế hoạch."]
        }
        with self.assertRaises(ValidationError) as exc:
            services.inspection_act(
                user=self.vanphong, inspection=inspection, action="conduct", conducted_on=date(2024, 5, 16)
            )
        assert exc.exception.message_dict == {
            "findings": ["Ghi kết quả kiểm tra (ưu điểm, tồn tại, hạn chế)."]
        }
        with self.assertRaises(ValidationError):
            services.recommendation_save(user=None, inspection=inspection, text="x", due_on=date(2024, 6, 1))
        with self.assertRaises(ValidationError):
            services.inspection_act(user=self.vanphong, inspection=inspection, action="cancel")
        inspection = services.inspection_act(
            user=self.vanphong, inspection=inspection, action="cancel", note="Hoãn"
        )
        with self.assertRaises(IllegalMove):
            services.inspection_act(user=self.vanphong, inspection=inspection, action="conduct")
        with self.assertRaises(PermissionDenied):
            services.inspection_act(user=self.tuphap, inspection=inspection, action="reinstate")

    def test_only_the_department_responsible_or_the_office_follows_a_recommendation_up(self):
        recommendation = self.recommend(self.conduct(self.planned()))
        with self.assertRaises(PermissionDenied):
            services.recommendation_act(
                user=self.tuphap, recommendation=recommendation, action="report", note="x"
            )
        with self.assertRaises(PermissionDenied):
            services.recommendation_act(
                user=self.chutich, recommendation=recommendation, action="report", note="x"
            )
        services.recommendation_act(
            user=self.diachinh, recommendation=recommendation, action="report", note="Đang làm"
        )
        with self.assertRaises(ValidationError):
            services.recommendation_act(
                user=self.diachinh, recommendation=recommendation, action="complete", note="Xong"
            )
        recommendation = services.recommendation_act(
            user=self.diachinh,
            recommendation=recommendation,
            action="complete",
            on=date(2024, 6, 15),
            note="Xong",
        )
        assert (recommendation.status, recommendation.handled_on, recommendation.on_time) == (
            "done",
            date(2024, 6, 15),
            True,
        )
        with self.assertRaises(PermissionDenied):
            services.recommendation_act(
                user=self.diachinh, recommendation=recommendation, action="reopen", note="x"
            )
        recommendation = services.recommendation_act(
            user=self.vanphong, recommendation=recommendation, action="reopen", note="Chưa niêm yết đủ"
        )
        assert recommendation.handled_on is None
        assert [e.action for e in recommendation.events.all()] == ["create", "report", "complete", "reopen"]

    def test_the_follow_up_works_from_the_page(self):
        recommendation = self.recommend(self.conduct(self.planned()))
        self.login(self.diachinh)
        response = self.client.post(
            f"{URL}kien-nghi/{recommendation.pk}/",
            {
                "action": "complete",
                "version": recommendation.version,
                "on": "2024-06-16",
                "note": "Đã niêm yết",
            },
        )
        self.assertRedirects(response, f"{URL}kien-nghi/{recommendation.pk}/")
        recommendation.refresh_from_db()
        assert (recommendation.status, recommendation.on_time) == ("done", False)
        page = self.client.get(f"{URL}kien-nghi/", {"state": "done"}).content.decode()
        assert "Niêm yết lại TTHC hộ tịch" in page and "(quá hạn)" in page


class ScopingTests(InspectionTestCase):
    def test_another_communes_inspections_and_recommendations_are_absent(self):
        ours = self.recommend(self.conduct(self.planned()), text="Kiến nghị của xã Đức Xương")
        theirs = self.recommend(
            self.conduct(self.planned(commune=self.other_commune)),
            department=self.other_dept,
            text="Kiến nghị của xã Gia Lộc",
        )
        self.login(self.vanphong)
        assert "Gia Lộc" not in self.client.get(f"{URL}kien-nghi/").content.decode()
        assert "Kiến nghị của xã Đức Xương" in self.client.get(f"{URL}kien-nghi/").content.decode()
        assert self.client.get(f"{URL}kien-nghi/{theirs.pk}/").status_code == 404
        assert self.client.get(f"{URL}{theirs.inspection_id}/").status_code == 404
        rows = sheet_rows(self.client.get(URL, {"format": "xlsx"}).content)
        texts = [c for r in rows for c in r if isinstance(c, str)]
        assert "Kiến nghị của xã Đức Xương" in texts and "Kiến nghị của xã Gia Lộc" not in texts
        assert ours.commune == self.commune
        self.login(self.captren)
        assert "Kiến nghị của xã Gia Lộc" in self.client.get(f"{URL}kien-nghi/").content.decode()


HEADER = [
    "Đơn vị được kiểm tra",
    "Hình thức",
    "Theo kế hoạch",
    "Thời gian dự kiến",
    "Ngày kiểm tra",
    "Kết quả kiểm tra",
]
HEADER += ["Kiến nghị", "Bộ phận thực hiện", "Hạn thực hiện", "Ngày hoàn thành"]


class ImportTests(InspectionTestCase):
    def test_a_list_of_recommendations_imports_inspection_by_inspection(self):
        content = workbook(
            ["SỔ THEO DÕI KIỂM TRA CCHC NĂM 2024"],
            HEADER,
            [
                "Bộ phận Một cửa",
                "TTHC",
                "Có",
                "15/05/2024",
                "16/05/2024",
                "Đúng quy trình",
                "Niêm yết lại TTHC",
                "Văn phòng HĐND – UBND",
                "15/06/2024",
                "10/06/2024",
            ],
            [
                "Bộ phận Một cửa",
                "TTHC",
                "Có",
                "15/05/2024",
                "16/05/2024",
                "Đúng quy trình",
                "Cập nhật sổ theo dõi",
                "Văn phòng HĐND – UBND",
                "30/06/2024",
                "",
            ],
            ["Giờ làm việc", "Công vụ", "Không", "", "05/03/2024", "Đúng giờ", "", "", "", ""],
        )
        self.login(self.vanphong)
        self.client.post(f"{URL}nhap-excel/", {"file": xlsx_upload(content)})
        upload = SheetImport.objects.get()
        assert upload.summary["counts"] == {"create": 2, "update": 0, "unchanged": 0}
        self.client.post(f"{URL}nhap-excel/{upload.pk}/xac-nhan/")
        planned = Inspection.objects.get(subject="Bộ phận Một cửa")
        assert (planned.plan.year, planned.status, planned.recommendations.count()) == (2024, "done", 2)
        done = planned.recommendations.get(text="Niêm yết lại TTHC")
        assert (done.status, done.handled_on) == ("done", date(2024, 6, 10))
        assert Inspection.objects.get(subject="Giờ làm việc").plan is None
        self.client.post(
            f"{URL}nhap-excel/", {"file": xlsx_upload(self.client.get(URL, {"format": "xlsx"}).content)}
        )
        assert SheetImport.objects.filter(status="preview").get().summary["counts"]["unchanged"] == 2

    def test_rows_are_named_when_they_cannot_be_imported(self):
        content = workbook(
            HEADER,
            [
                "Bộ phận Một cửa",
                "TTHC",
                "Có",
                "15/05/2024",
                "",
                "",
                "Niêm yết lại TTHC",
                "",
                "15/06/2024",
                "",
            ],
            ["Giờ làm việc", "Công vụ", "Không", "", "", "", "", "", "", ""],
            ["Tư pháp", "CCHC", "Có", "10/08/2024", "12/08/2024", "", "", "", "", ""],
        )
        self.login(self.vanphong)
        page = self.client.post(f"{URL}nhap-excel/", {"file": xlsx_upload(content)}).content.decode()
        assert "Dòng 2: kiến nghị chỉ có ở cuộc kiểm tra đã thực hiện (ghi ngày kiểm tra)." in page
        assert "Dòng 3: cần thời gian dự kiến (kiểm tra theo kế hoạch) hoặc ngày kiểm tra." in page
        assert "Dòng 4: đã kiểm tra thì cần ghi kết quả kiểm tra." in page
        assert Inspection.objects.count() == 0


class FigureTests(InspectionTestCase):
    def scope(self, date_from=date(2023, 12, 15), date_to=date(2024, 12, 14)):
        return Scope.of(commune_ids=[self.commune.pk], date_from=date_from, date_to=date_to)

    def test_planned_vs_done_and_recommendations_handled_on_time(self):
        first = self.conduct(self.planned(date(2024, 1, 10)), on=date(2024, 1, 10))
        self.planned(date(2024, 12, 14))  # planned on the last day, not done
        cancelled = self.planned(date(2024, 6, 1))
        services.inspection_act(user=None, inspection=cancelled, action="cancel", note="Hoãn")
        self.conduct(self.planned(date(2024, 12, 15)), on=date(2024, 12, 15))  # next window
        services.inspection_record(
            user=None,
            commune=self.commune,
            kind=Kind.DISCIPLINE,
            subject="Giờ làm việc",
            conducted_on=date(2024, 3, 5),
            findings="Đúng giờ",
        )
        on_due_day = self.recommend(first, due=date(2024, 2, 1), text="A")
        late = self.recommend(first, due=date(2024, 2, 1), text="B")
        open_ = self.recommend(first, due=date(2024, 12, 14), text="C")
        answered_after_cutoff = self.recommend(first, due=date(2024, 12, 14), text="D")
        self.recommend(first, due=date(2024, 12, 15), text="E")  # due in the next window
        services.recommendation_act(
            user=None, recommendation=on_due_day, action="complete", on=date(2024, 2, 1), note="x"
        )
        services.recommendation_act(
            user=None, recommendation=late, action="complete", on=date(2024, 2, 2), note="x"
        )
        services.recommendation_act(
            user=None,
            recommendation=answered_after_cutoff,
            action="complete",
            on=date(2024, 12, 14),
            note="x",
        )
        values = evaluate(F.FIGURES, self.scope())
        assert (values[F.PLANNED], values[F.PLANNED_DONE], values[F.PLAN_RATE]) == (3, 1, Decimal("33.33"))
        assert (values[F.DONE], values[F.UNPLANNED]) == (2, 1)
        assert values[F.RECOMMENDATIONS] == 5
        assert (values[F.DUE], values[F.ON_TIME]) == (4, 2)
        assert values[F.ON_TIME_RATE] == Decimal("50.00")
        assert {r.text for r in F.ON_TIME.records(self.scope())} == {"A", "D"}
        assert open_.status == "open"
        # A window ending on 13/12: only A and B are due, and A was on time.
        earlier = evaluate([F.DUE, F.ON_TIME], self.scope(date_to=date(2024, 12, 13)))
        assert earlier == {F.DUE: 2, F.ON_TIME: 1}
        assert {r.text for r in F.ON_TIME.records(self.scope(date_to=date(2024, 12, 13)))} == {"A"}

    def test_the_demo_register_gives_the_figures_counted_by_hand(self):
        from cchc.core.demo import DemoLog
        from cchc.org import demo as org_demo
        from cchc.registers.inspections import demo

        org_demo.load(DemoLog(write=lambda s: None))
        today = date(2026, 11, 30)
        demo.load(DemoLog(write=lambda s: None), today)
        again = DemoLog(write=lambda s: None)
        demo.load(again, today)
        assert again.created == 0
        items = demo.PLANS[2024][2]
        values = evaluate(F.FIGURES, self.scope())
        assert values[F.PLANNED] == len(items) == 3
        assert values[F.PLANNED_DONE] == sum(isinstance(i[4], date) for i in items) == 2
        assert values[F.DONE] == 3  # two planned, one unplanned
        recs = [r for i in items for r in i[6]]
        assert values[F.DUE] == len(recs) == 3
        assert values[F.ON_TIME] == sum(1 for r in recs if r[3] and r[3] <= r[2]) == 2
        assert values[F.ON_TIME_RATE] == Decimal("66.67")
        year_2025 = evaluate(F.FIGURES, self.scope(date(2024, 12, 15), date(2025, 12, 14)))
        assert (year_2025[F.DUE], year_2025[F.ON_TIME]) == (2, 1)  # one still open
        assert Recommendation.objects.filter(status="open").count() == 2
