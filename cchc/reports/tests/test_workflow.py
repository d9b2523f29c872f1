"""The report and section state machines: outline, assignment, writing, quotes,
lateness, consolidation, approval, numbering, sending and freezing."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings

from cchc.core.models import Notification
from cchc.core.periods import Period
from cchc.core.workcal import TZ
from cchc.core.workflow import Conflict, IllegalMove
from cchc.dossiers.tests.helpers import at, make_procedure, receive
from cchc.reports import services, tables
from cchc.reports.models import Report, ReportStatus, SectionKind, SectionStatus

from .helpers import ReportTestCase


class CreateTests(ReportTestCase):
    def test_it_builds_the_outline_from_the_plan_and_assigns_lead_departments(self):
        report = self.make_report()
        rows = list(report.sections.values_list("kind", "title", "department__code"))
        self.assertEqual(
            rows,
            [
                (SectionKind.GENERAL, "Tình hình chung", "vp-dang-uy-noi-vu"),
                (SectionKind.AREA, "Cải cách thể chế", "tu-phap-ho-tich"),
                (SectionKind.AREA, "Cải cách thủ tục hành chính", "vp-hdnd-ubnd"),
                (SectionKind.LIMITATIONS, "Tồn tại, hạn chế và nguyên nhân", "vp-dang-uy-noi-vu"),
                (SectionKind.NEXT_TASKS, "Nhiệm vụ trọng tâm kỳ tới", "vp-dang-uy-noi-vu"),
                (SectionKind.PROPOSALS, "Đề xuất, kiến nghị", "vp-dang-uy-noi-vu"),
            ],
        )
        self.assertEqual((report.date_from, report.date_to), (date(2023, 12, 15), date(2024, 12, 14)))
        self.assertEqual(report.deadline, date(2024, 12, 15))
        # 15/12/2024 is a Sunday: the three working days before it are 13, 12, 11/12 → due Wed 11/12.
        self.assertEqual({s.due_date for s in report.sections.all()}, {date(2024, 12, 11)})
        self.assertEqual(report.subject, "Kết quả thực hiện công tác cải cách hành chính năm 2024")
        self.assertEqual(report.signer_name, "Chutich")
        self.assertEqual(list(report.events.values_list("action", flat=True)), ["create"])
        self.assertEqual(
            Notification.objects.filter(user=self.tuphap, url__contains=f"/bao-cao/{report.pk}/").count(), 1
        )

    @override_settings(REPORT_DEADLINE_DAY=20, REPORT_SECTION_LEAD_DAYS=0)
    def test_the_deadline_uses_the_provinces_day(self):
        report = self.make_report(Period.quarter(2024, 1))
        self.assertEqual(report.deadline, date(2024, 3, 20))
        self.assertEqual(report.sections.first().due_date, date(2024, 3, 20))

    def test_quarter_subject_and_no_plan_gives_standard_areas_to_the_office(self):
        report = self.make_report(Period.quarter(2025, 3), plan=False)
        self.assertEqual(report.subject, "Kết quả thực hiện công tác cải cách hành chính quý III năm 2025")
        areas = report.sections.filter(kind=SectionKind.AREA)
        self.assertEqual(areas.count(), 7)
        self.assertEqual(set(areas.values_list("department", flat=True)), {self.dept_office.pk})

    def test_a_period_is_reported_once(self):
        self.make_report()
        with self.assertRaisesMessage(Conflict, "đã có báo cáo CCHC năm 2024"):
            self.make_report()
        self.assertEqual(Report.objects.count(), 1)

    def test_only_the_office_creates_and_only_in_its_commune(self):
        with self.assertRaises(PermissionDenied):
            services.report_create(user=self.tuphap, commune=self.commune, period=Period.year_of(2024))
        with self.assertRaises(Http404):
            services.report_create(
                user=self.vanphong, commune=self.other_commune, period=Period.year_of(2024)
            )
        self.assertFalse(Report.objects.exists())

    def test_a_free_range_is_not_a_periodic_report(self):
        with self.assertRaises(ValidationError):
            services.report_create(
                user=self.vanphong,
                commune=self.commune,
                period=Period.between(date(2024, 1, 1), date(2024, 2, 1)),
            )


class SectionTests(ReportTestCase):
    def setUp(self):
        super().setUp()
        self.report = self.make_report()
        self.institutions = self.section(self.report, "thể chế")
        self.procedures = self.section(self.report, "thủ tục")

    def test_a_department_writes_only_its_own_section(self):
        services.section_save(user=self.tuphap, section=self.institutions, body="Đã rà soát 12 văn bản.")
        self.institutions.refresh_from_db()
        self.assertEqual(self.institutions.body, "Đã rà soát 12 văn bản.")
        self.assertEqual(self.institutions.version, 1)
        with self.assertRaises(PermissionDenied):
            services.section_save(user=self.tuphap, section=self.procedures, body="Không phải phần của tôi.")
        self.procedures.refresh_from_db()
        self.assertEqual(self.procedures.body, "")

    def test_unknown_figure_keys_are_refused_and_nothing_is_saved(self):
        with self.assertRaises(ValidationError) as ctx:
            services.section_save(
                user=self.tuphap,
                section=self.institutions,
                body="Tỷ lệ {{test_reports.on_time_rate}}, số {{ho_so.khong_co}} và {{sai}}.",
            )
        message = " ".join(ctx.exception.messages)
        self.assertIn("“ho_so.khong_co”", message)
        self.assertIn("“sai”", message)
        self.assertIn("không có trong danh mục số liệu", message)
        self.assertNotIn("test_reports.on_time_rate", message)
        self.institutions.refresh_from_db()
        self.assertEqual(self.institutions.body, "")

    def test_quoted_figures_render_with_the_windows_values(self):
        procedure = make_procedure(self.commune, field="Hộ tịch")
        receive(self.motcua, procedure, at(2024, 3, 1))
        receive(self.motcua, procedure, at(2023, 12, 14))  # the day before the window: not counted
        receive(self.motcua, procedure, at(2023, 12, 15, 7, 31))  # the window's first day
        receive(self.motcua, procedure, at(2024, 12, 14, 16, 59))  # its last day
        receive(self.motcua, procedure, at(2024, 12, 15, 8))  # next year's window
        services.section_save(
            user=self.tuphap, section=self.institutions, body="Tiếp nhận {{test_reports.received}}.\n- Ý một"
        )
        self.institutions.refresh_from_db()
        cells = tables.quote_cells(self.report, [self.institutions.body])
        self.assertEqual(tables.render_quotes(self.institutions.body, cells), "Tiếp nhận 3 hồ sơ.\n- Ý một")

    def test_submit_return_resubmit_accept_with_history(self):
        with self.assertRaisesMessage(ValidationError, "Chưa có nội dung"):
            services.section_act(user=self.tuphap, section=self.institutions, action="submit")
        services.section_save(user=self.tuphap, section=self.institutions, body="Bản đầu.")
        services.section_act(user=self.tuphap, section=self.institutions, action="submit")
        # Submitted: the department can no longer change it, the office can.
        with self.assertRaises(Conflict):
            services.section_save(user=self.tuphap, section=self.institutions, body="Sửa lén.")
        with self.assertRaises(PermissionDenied):
            services.section_act(user=self.tuphap, section=self.institutions, action="accept")
        with self.assertRaisesMessage(ValidationError, "Cần ghi lý do"):
            services.section_act(user=self.vanphong, section=self.institutions, action="return")
        services.section_act(
            user=self.vanphong, section=self.institutions, action="return", note="Bổ sung số liệu."
        )
        services.section_save(user=self.tuphap, section=self.institutions, body="Bản hai, có số liệu.")
        services.section_act(user=self.tuphap, section=self.institutions, action="submit")
        services.section_save(user=self.vanphong, section=self.institutions, body="Bản hai, đã biên tập.")
        services.section_act(user=self.vanphong, section=self.institutions, action="accept")
        self.institutions.refresh_from_db()
        self.assertEqual(self.institutions.status, SectionStatus.ACCEPTED)
        self.assertEqual(self.institutions.body, "Bản hai, đã biên tập.")
        self.assertEqual(
            list(self.institutions.events.values_list("action", "from_status", "to_status")),
            [
                ("assign", "", "assigned"),
                ("submit", "assigned", "submitted"),
                ("return", "submitted", "returned"),
                ("submit", "returned", "submitted"),
                ("accept", "submitted", "accepted"),
            ],
        )
        with self.assertRaises(IllegalMove):
            services.section_act(user=self.vanphong, section=self.institutions, action="accept")
        # The office was told of each submission, the department of the return.
        self.assertTrue(
            Notification.objects.filter(user=self.vanphong, title__contains="đã nộp phần báo cáo").exists()
        )
        self.assertTrue(Notification.objects.filter(user=self.tuphap, title__contains="bị trả lại").exists())

    def test_a_stale_version_is_refused_and_the_other_text_kept(self):
        services.section_save(user=self.tuphap, section=self.institutions, body="Bản A.", version=0)
        with self.assertRaisesMessage(Conflict, "vừa được"):
            services.section_save(user=self.vanphong, section=self.institutions, body="Bản B.", version=0)
        self.institutions.refresh_from_db()
        self.assertEqual((self.institutions.body, self.institutions.version), ("Bản A.", 1))

    def test_lateness_is_judged_on_the_first_submission_at_the_due_day_boundary(self):
        due = self.institutions.due_date  # 11/12/2024
        services.section_save(user=self.tuphap, section=self.institutions, body="Đúng hạn.")
        services.section_act(
            user=self.tuphap,
            section=self.institutions,
            action="submit",
            at=datetime(2024, 12, 11, 23, 59, tzinfo=TZ),
        )
        services.section_save(user=self.motcua, section=self.procedures, body="Muộn.")
        services.section_act(
            user=self.motcua,
            section=self.procedures,
            action="submit",
            at=datetime(2024, 12, 12, 0, 0, tzinfo=TZ),
        )
        self.institutions.refresh_from_db()
        self.procedures.refresh_from_db()
        self.assertFalse(self.institutions.is_late(date(2024, 12, 20)))
        self.assertEqual(self.institutions.lateness_label(date(2024, 12, 20)), "Nộp đúng hạn")
        self.assertTrue(self.procedures.is_late(date(2024, 12, 20)))
        self.assertEqual(self.procedures.lateness_label(date(2024, 12, 20)), "Nộp muộn")
        # A return and a later resubmission does not make an on-time section late.
        services.section_act(user=self.vanphong, section=self.institutions, action="return", note="Sửa.")
        services.section_act(
            user=self.tuphap, section=self.institutions, action="submit", at=datetime(2024, 12, 13, tzinfo=TZ)
        )
        self.institutions.refresh_from_db()
        self.assertFalse(self.institutions.is_late(date(2024, 12, 20)))
        general = self.section(self.report, "Tình hình chung")
        self.assertFalse(general.is_late(due))
        self.assertTrue(general.is_late(date(2024, 12, 12)))
        self.assertEqual(general.lateness_label(date(2024, 12, 12)), "Quá hạn, chưa nộp")

    def test_reassigning_a_section(self):
        services.section_assign(
            user=self.vanphong,
            section=self.procedures,
            department=self.dept_land,
            due_date=date(2024, 12, 12),
        )
        self.procedures.refresh_from_db()
        self.assertEqual(
            (self.procedures.department, self.procedures.due_date), (self.dept_land, date(2024, 12, 12))
        )
        self.assertEqual(self.procedures.events.last().action, "assign")
        with self.assertRaises(ValidationError):
            services.section_assign(
                user=self.vanphong,
                section=self.procedures,
                department=self.other_dept,
                due_date=date(2024, 12, 12),
            )
        with self.assertRaises(ValidationError):
            services.section_assign(
                user=self.vanphong,
                section=self.procedures,
                department=self.dept_land,
                due_date=date(2024, 12, 16),
            )
        with self.assertRaises(PermissionDenied):
            services.section_assign(
                user=self.tuphap,
                section=self.procedures,
                department=self.dept_justice,
                due_date=date(2024, 12, 12),
            )


class ReportMoveTests(ReportTestCase):
    def setUp(self):
        super().setUp()
        self.report = self.make_report()

    def test_submitting_needs_every_section_accepted(self):
        with self.assertRaisesMessage(ValidationError, "Còn 6 phần chưa được tiếp nhận"):
            services.report_act(user=self.vanphong, report=self.report, action="submit")
        self.fill_and_accept_all(self.report)
        services.report_act(user=self.vanphong, report=self.report, action="submit")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.SUBMITTED)
        # Submitted: sections are frozen for writers and the office alike.
        section = self.section(self.report, "thể chế")
        with self.assertRaises(Conflict):
            services.section_save(user=self.vanphong, section=section, body="Sửa sau khi trình.")
        with self.assertRaises(Conflict):
            services.section_act(user=self.vanphong, section=section, action="return", note="x")
        self.assertTrue(
            Notification.objects.filter(user=self.chutich, title__contains="trình duyệt").exists()
        )

    def test_only_leaders_approve_and_a_return_needs_a_reason(self):
        self.fill_and_accept_all(self.report)
        services.report_act(user=self.vanphong, report=self.report, action="submit")
        with self.assertRaises(PermissionDenied):
            services.report_act(user=self.vanphong, report=self.report, action="approve")
        with self.assertRaises(ValidationError):
            services.report_act(user=self.chutich, report=self.report, action="return")
        services.report_act(
            user=self.chutich, report=self.report, action="return", note="Thêm số liệu quý IV."
        )
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.DRAFTING)
        services.report_act(user=self.vanphong, report=self.report, action="submit")
        services.report_act(user=self.chutich, report=self.report, action="approve")
        with self.assertRaises(IllegalMove):
            services.report_act(user=self.chutich, report=self.report, action="approve")

    def test_sending_numbers_the_report_and_checks_the_number(self):
        with self.assertRaises(IllegalMove):
            services.report_act(user=self.vanphong, report=self.report, action="send", number="1")
        self.fill_and_accept_all(self.report)
        services.report_act(user=self.vanphong, report=self.report, action="submit")
        services.report_act(user=self.chutich, report=self.report, action="approve")
        for bad in ("", "12a", "1/BC"):
            with self.assertRaises(ValidationError):
                services.report_act(user=self.vanphong, report=self.report, action="send", number=bad)
        other = self.make_report(Period.quarter(2024, 3))
        self.send(other, number="12", issued_on=date(2024, 9, 13))
        with self.assertRaisesMessage(ValidationError, "Số 12/BC-UBND năm 2024 đã dùng"):
            services.report_act(
                user=self.vanphong,
                report=self.report,
                action="send",
                number="12",
                issued_on=date(2024, 12, 13),
            )
        self.assertEqual(services.next_number(self.report, 2024), "13")
        sent_at = datetime(2024, 12, 13, 15, 0, tzinfo=TZ)
        services.report_act(
            user=self.vanphong,
            report=self.report,
            action="send",
            number="13",
            issued_on=date(2024, 12, 13),
            at=sent_at,
        )
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.SENT)
        self.assertEqual(self.report.number_display, "13/BC-UBND")
        self.assertTrue(self.report.sent_on_time)
        self.assertEqual(
            list(self.report.events.order_by("id").values_list("action", flat=True)),
            ["create", "submit", "approve", "send"],
        )
        self.assertTrue(Notification.objects.filter(user=self.captren, title__contains="đã gửi").exists())

    def test_sent_on_the_deadline_is_on_time_the_day_after_is_late(self):
        on_deadline = self.send(
            self.report, at=datetime(2024, 12, 15, 23, 59, tzinfo=TZ), issued_on=date(2024, 12, 15)
        )
        self.assertTrue(on_deadline.sent_on_time)
        late = self.make_report(Period.quarter(2024, 3))
        late = self.send(
            late, number="20", at=datetime(2024, 9, 16, 0, 1, tzinfo=TZ), issued_on=date(2024, 9, 16)
        )
        self.assertFalse(late.sent_on_time)


class FreezeTests(ReportTestCase):
    def test_a_sent_report_keeps_its_figures_after_new_dossiers_arrive(self):
        procedure = make_procedure(self.commune, field="Hộ tịch")
        other_field = make_procedure(self.commune, code="1.000001", field="Chứng thực")
        for day in (2, 3):
            receive(self.motcua, procedure, at(2024, 5, day))
        receive(self.motcua, other_field, at(2024, 6, 3))
        report = self.make_report()
        section = self.section(report, "thể chế")
        services.section_save(
            user=self.tuphap, section=section, body="Đã tiếp nhận {{test_reports.received}}."
        )
        report = self.send(report, at=datetime(2024, 12, 13, 10, tzinfo=TZ))

        def snapshot():
            report.refresh_from_db()
            return [
                (t.code, [(r.label, [c.text if c else None for c in r.cells]) for r in t.rows])
                for t in tables.report_tables(report)
            ]

        before = snapshot()
        self.assertEqual(
            before[0],
            (
                "t_field",
                [
                    ("Chứng thực", ["1 hồ sơ", "0 hồ sơ"]),
                    ("Hộ tịch", ["2 hồ sơ", "0 hồ sơ"]),
                    ("Tổng cộng", ["3 hồ sơ", "0 hồ sơ"]),
                ],
            ),
        )
        self.assertEqual(before[1][1][0], ("Tỷ lệ giải quyết đúng hạn (thử)", ["chưa có dữ liệu"]))
        # New dossiers inside the window, after sending.
        receive(self.motcua, procedure, at(2024, 7, 1))
        receive(self.motcua, procedure, at(2024, 7, 2))
        self.assertEqual(snapshot(), before)
        cells = tables.quote_cells(report, [report.sections.get(pk=section.pk).body])
        self.assertEqual(cells["test_reports.received"].text, "3 hồ sơ")
        diffs = tables.differences(report)
        self.assertIn(
            ("Hộ tịch", "Số hồ sơ tiếp nhận (thử)", "2 hồ sơ", "4 hồ sơ"),
            [(d.row, d.label, d.sent, d.now) for d in diffs],
        )
        self.assertIn(
            ("Tổng cộng", "Số hồ sơ tiếp nhận (thử)", "3 hồ sơ", "5 hồ sơ"),
            [(d.row, d.label, d.sent, d.now) for d in diffs],
        )
        self.assertIn(
            ("", "Số hồ sơ tiếp nhận (thử)", "3 hồ sơ", "5 hồ sơ"),
            [(d.row, d.label, d.sent, d.now) for d in diffs],
        )
        frozen = report.frozen_figures.get(table="quotes", key="test_reports.received")
        self.assertEqual(
            (frozen.date_from, frozen.date_to, frozen.unit), (date(2023, 12, 15), date(2024, 12, 14), "hồ sơ")
        )
        self.assertEqual(frozen.definition, "Hồ sơ tiếp nhận trong kỳ.")

    def test_a_table_names_the_keys_the_catalogue_lacks(self):
        report = self.make_report()
        head = [t for t in tables.live_tables(report) if t.code == "t_head"][0]
        self.assertEqual(head.missing, ["khong.co"])
        self.assertEqual([r.key for r in head.rows], ["test_reports.on_time_rate", "reports.sent"])
