"""Pages, API, documents, scoping, completeness and reminders of the reports app."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from docx import Document
from openpyxl import load_workbook

from cchc.core import figures
from cchc.core.figures import Scope
from cchc.core.models import Notification
from cchc.core.periods import Period
from cchc.core.workcal import TZ
from cchc.dossiers.tests.helpers import at, make_procedure, receive
from cchc.reports import figures as report_figures
from cchc.reports import services
from cchc.reports.models import Report, ReportStatus, SectionStatus

from .helpers import ReportTestCase


class PageTests(ReportTestCase):
    def test_the_office_creates_a_report_from_the_list(self):
        self.make_plan()
        self.login(self.vanphong)
        page = self.client.get("/bao-cao/")
        self.assertContains(page, 'value="2024"')
        response = self.client.post("/bao-cao/tao/", {"period": "2024"})
        report = Report.objects.get()
        self.assertRedirects(response, f"/bao-cao/{report.pk}/")
        detail = self.client.get(f"/bao-cao/{report.pk}/")
        self.assertContains(detail, "Cải cách thể chế")
        self.assertContains(detail, "Tư pháp – Hộ tịch")
        self.assertContains(detail, "15/12/2024")
        self.assertContains(detail, 'id="form-submit"')
        # Twice: refused with a message, nothing created.
        response = self.client.post("/bao-cao/tao/", {"period": "2024"}, follow=True)
        self.assertEqual(Report.objects.count(), 1)

    def test_a_department_officer_writes_with_files_and_sees_refusals(self):
        report = self.make_report()
        section = self.section(report, "thể chế")
        self.login(self.tuphap)
        url = f"/bao-cao/{report.pk}/phan/{section.pk}/"
        page = self.client.get(url)
        self.assertContains(page, 'id="section-form"')
        self.assertContains(page, "reports.sent")  # the figure picker lists the catalogue
        bad = self.client.post(url, {"body": "Có {{khong.ton_tai}}.", "version": 0})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "“khong.ton_tai” không có trong danh mục số liệu", status_code=400)
        exe = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
        bad = self.client.post(url, {"body": "Nội dung.", "version": 0, "files": [exe]})
        self.assertContains(bad, "không phải tệp PDF hợp lệ", status_code=400)
        section.refresh_from_db()
        self.assertEqual((section.body, section.attachments.count()), ("", 0))
        pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        ok = self.client.post(url, {"body": "Đã rà soát: {{reports.sent}}.", "version": 0, "files": [pdf]})
        self.assertRedirects(ok, url)
        section.refresh_from_db()
        self.assertEqual(section.attachments.get().original_name, "bien-ban.pdf")
        page = self.client.get(url)
        self.assertContains(page, "Đã rà soát: 0 báo cáo.")
        attachment = section.attachments.get()
        download = self.client.get(f"{url}tep/{attachment.pk}/")
        self.assertEqual(b"".join(download.streaming_content), b"%PDF-1.4\n%%EOF\n")
        # Another commune's officer cannot reach the section or its file.
        self.login(self.other)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(f"{url}tep/{attachment.pk}/").status_code, 404)
        # Another department of the same commune reads but cannot write.
        self.login(self.diachinh)
        self.assertNotContains(self.client.get(url), 'id="section-form"')
        self.assertEqual(self.client.post(url, {"body": "x", "version": 1}).status_code, 403)

    def test_lists_are_scoped_and_superiors_see_only_sent_reports(self):
        draft = self.make_report(Period.quarter(2024, 1))
        sent = self.send(self.make_report(Period.quarter(2024, 3)), number="5", issued_on=date(2024, 9, 13))
        other_report = services.report_create(
            user=self._other_office(), commune=self.other_commune, period=Period.quarter(2024, 1)
        )
        self.login(self.vanphong)
        page = self.client.get("/bao-cao/").content.decode()
        self.assertIn(f"/bao-cao/{draft.pk}/", page)
        self.assertNotIn(f"/bao-cao/{other_report.pk}/", page)
        self.assertEqual(self.client.get(f"/bao-cao/{other_report.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/bao-cao/{other_report.pk}/bao-cao.docx").status_code, 404)
        self.login(self.captren)
        page = self.client.get("/bao-cao/").content.decode()
        self.assertIn(f"/bao-cao/{sent.pk}/", page)
        self.assertNotIn(f"/bao-cao/{draft.pk}/", page)
        self.assertEqual(self.client.get(f"/bao-cao/{draft.pk}/").status_code, 404)
        detail = self.client.get(f"/bao-cao/{sent.pk}/")
        self.assertContains(detail, "Số: 5/BC-UBND")
        self.assertNotContains(detail, 'id="report-actions"')
        # Read-only: the superior cannot act on it.
        response = self.client.post(f"/bao-cao/{sent.pk}/thao-tac/", {"action": "reopen", "note": "x"})
        self.assertIn(response.status_code, (403, 409))
        sent.refresh_from_db()
        self.assertEqual(sent.status, ReportStatus.SENT)

    def _other_office(self):
        from cchc.org.models import Role
        from cchc.testing import make_user

        return make_user("vp_gialoc", Role.CCHC_OFFICE, self.other_commune)

    def test_a_drafts_figures_are_kept_a_few_minutes_and_recounted_on_request(self):
        procedure = make_procedure(self.commune, field="Hộ tịch")
        receive(self.motcua, procedure, at(2024, 2, 1))
        report = self.make_report()
        self.login(self.vanphong)
        url = f"/bao-cao/{report.pk}/"

        def total_received(response) -> str:
            html = response.content.decode()
            row = re.search(r'data-row="total">(.*?)</tr>', html, re.S).group(1)
            return re.findall(r"<td[^>]*>(.*?)</td>", row)[0]

        self.assertEqual(total_received(self.client.get(url)), "1")
        receive(self.motcua, procedure, at(2024, 2, 2))
        self.assertEqual(total_received(self.client.get(url)), "1")
        self.assertEqual(total_received(self.client.get(url + "?tinh_lai=1")), "2")
        self.assertEqual(total_received(self.client.get(url)), "2")

    def test_the_home_panel_shows_sections_due(self):
        report = self.make_report()
        self.login(self.tuphap)
        home = self.client.get("/")
        self.assertContains(home, 'id="panel-reports"')
        self.assertContains(home, f"/bao-cao/{report.pk}/phan/{self.section(report, 'thể chế').pk}/")

    def test_the_whole_cycle_through_pages(self):
        report = self.make_report()
        self.fill_and_accept_all(report)
        self.login(self.vanphong)
        self.client.post(f"/bao-cao/{report.pk}/thao-tac/", {"action": "submit"})
        self.login(self.chutich)
        self.client.post(f"/bao-cao/{report.pk}/thao-tac/", {"action": "approve"})
        self.login(self.vanphong)
        page = self.client.get(f"/bao-cao/{report.pk}/")
        self.assertContains(page, 'id="send-number" name="number" value="1"')
        response = self.client.post(
            f"/bao-cao/{report.pk}/thao-tac/",
            {"action": "send", "number": "abc", "issued_on": "2024-12-13"},
            follow=True,
        )
        self.assertContains(response, "Cần số văn bản")
        self.client.post(
            f"/bao-cao/{report.pk}/thao-tac/", {"action": "send", "number": "7", "issued_on": "13/12/2024"}
        )
        report.refresh_from_db()
        self.assertEqual((report.status, report.number, report.issued_on), ("sent", "7", date(2024, 12, 13)))
        page = self.client.get(f"/bao-cao/{report.pk}/")
        self.assertContains(page, 'id="differences"')
        self.assertContains(page, "Số liệu đã chốt khi gửi báo cáo")


class DocumentTests(ReportTestCase):
    def _docx_text(self, content: bytes) -> str:
        doc = Document(io.BytesIO(content))
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                parts += [c.text for c in row.cells]
        return "\n".join(parts)

    def test_docx_follows_nd30(self):
        procedure = make_procedure(self.commune, field="Hộ tịch")
        receive(self.motcua, procedure, at(2024, 2, 1))
        report = self.make_report()
        section = self.section(report, "thể chế")
        services.section_save(
            user=self.tuphap,
            section=section,
            body="Tiếp nhận {{test_reports.received}}.\n- Ý thứ nhất\n+ Ý phụ",
        )
        report = self.send(report, number="9", issued_on=date(2024, 12, 5))
        self.login(self.vanphong)
        response = self.client.get(f"/bao-cao/{report.pk}/bao-cao.docx")
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        self.assertIn("bao-cao-cchc-ducxuong-2024.docx", response["Content-Disposition"])
        text = self._docx_text(response.content)
        for expected in (
            "ỦY BAN NHÂN DÂN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 9/BC-UBND",
            "Ducxuong, ngày 05 tháng 12 năm 2024",
            "BÁO CÁO",
            "Kết quả thực hiện công tác cải cách hành chính năm 2024",
            "I. TÌNH HÌNH CHUNG",
            "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
            "1. Cải cách thể chế",
            "Tiếp nhận 1 hồ sơ.",
            "- Ý thứ nhất",
            "+ Ý phụ",
            "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
            "Nơi nhận:",
            "- Lưu: VT, VP.",
            "TM. ỦY BAN NHÂN DÂN",
            "PHỤ LỤC",
            "Biểu 1. Hồ sơ theo lĩnh vực (thử)",
            "Tổng cộng",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("{{", text)
        doc = Document(io.BytesIO(response.content))
        first = doc.sections[0]
        self.assertTrue(first.different_first_page_header_footer)
        self.assertIn("PAGE", first.header._element.xml)
        self.assertEqual((round(first.page_width.mm), round(first.page_height.mm)), (210, 297))
        self.assertEqual((round(first.left_margin.mm), round(first.right_margin.mm)), (30, 15))
        date_run = [r for p in doc.tables[0].rows[1].cells[1].paragraphs for r in p.runs][0]
        self.assertTrue(date_run.italic)
        self.assertEqual(doc.sections[-1].orientation, 1)  # landscape appendix
        grid = next(t for t in doc.tables if t.rows[0].cells[1].text == "Lĩnh vực")
        self.assertEqual([c.text for c in grid.rows[2].cells], ["1", "Hộ tịch", "1", "0"])
        total = grid.rows[-1]
        self.assertEqual([c.text for c in total.cells], ["", "Tổng cộng", "1", "0"])
        self.assertTrue(total.cells[1].paragraphs[0].runs[0].bold)
        self.assertFalse(grid.rows[2].cells[1].paragraphs[0].runs[0].bold)

    def test_official_documents_drop_the_projects_own_doc_pointers(self):
        from cchc.reports.documents import public_source

        self.assertEqual(
            public_source("TT 01/2020/TT-VPCP, biểu II.06a; docs/rules.md §7, §11"),
            "TT 01/2020/TT-VPCP, biểu II.06a",
        )
        self.assertEqual(public_source("NĐ 09/2019/NĐ-CP"), "NĐ 09/2019/NĐ-CP")

    def test_the_date_rule_pads_days_below_ten_and_months_one_and_two(self):
        from cchc.core.documents import date_in_words

        self.assertEqual(
            date_in_words("Đức Xương", date(2025, 2, 5), 2025), "Đức Xương, ngày 05 tháng 02 năm 2025"
        )
        self.assertEqual(
            date_in_words("Đức Xương", date(2024, 4, 15), 2024), "Đức Xương, ngày 15 tháng 4 năm 2024"
        )
        self.assertEqual(
            date_in_words("Đức Xương", date(2024, 12, 9), 2024), "Đức Xương, ngày 09 tháng 12 năm 2024"
        )

    def test_xlsx_prints_well_and_writes_formula_like_text_as_text(self):
        procedure = make_procedure(self.commune, field='=HYPERLINK("http://x")')
        receive(self.motcua, procedure, at(2024, 2, 1))
        report = self.make_report()
        self.login(self.vanphong)
        response = self.client.get(f"/bao-cao/{report.pk}/so-lieu.xlsx")
        wb = load_workbook(io.BytesIO(response.content))
        self.assertEqual(wb.sheetnames, ["Biểu 1", "Biểu 2", "Định nghĩa"])
        ws = wb["Biểu 1"]
        labels = {ws.cell(row=r, column=2).value: r for r in range(1, ws.max_row + 1)}
        row = labels['=HYPERLINK("http://x")']
        cell = ws.cell(row=row, column=2)
        self.assertEqual(cell.data_type, "s")
        self.assertEqual(ws.cell(row=row, column=3).value, 1)
        self.assertEqual(ws.page_setup.orientation, "landscape")
        self.assertEqual(ws.page_setup.fitToWidth, 1)
        self.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual(ws.print_title_rows, "$5:$6")
        with zipfile.ZipFile(io.BytesIO(response.content)) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
        self.assertNotIn("<f>", sheet)
        head = wb["Biểu 2"]
        values = [head.cell(row=r, column=2).value for r in range(6, head.max_row + 1)]
        self.assertIn("Tỷ lệ giải quyết đúng hạn (thử)", values)
        keys = [wb["Định nghĩa"].cell(row=r, column=1).value for r in range(6, wb["Định nghĩa"].max_row + 1)]
        self.assertIn("test_reports.received", keys)


class CompletenessTests(ReportTestCase):
    def setUp(self):
        super().setUp()
        from cchc.plans.models import Plan, PlanStatus

        Plan.objects.create(
            commune=self.other_commune, year=2024, title="Kế hoạch CCHC năm 2024", status=PlanStatus.IN_EFFECT
        )
        q1 = self.make_report(Period.quarter(2024, 1), plan=True)
        self.send(q1, number="1", issued_on=date(2024, 3, 15), at=datetime(2024, 3, 15, 16, tzinfo=TZ))
        h1 = self.make_report(Period.half(2024))
        self.send(h1, number="2", issued_on=date(2024, 6, 16), at=datetime(2024, 6, 16, 8, tzinfo=TZ))
        self.make_report(Period.quarter(2024, 3))  # never sent

    def _values(self, today: date, communes=None, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)):
        scope = Scope.of(
            commune_ids=communes or [self.commune.pk, self.other_commune.pk],
            date_from=date_from,
            date_to=date_to,
            now=datetime.combine(today, datetime.min.time(), TZ).replace(hour=12),
        )
        fs = [
            report_figures.EXPECTED,
            report_figures.SENT,
            report_figures.SENT_ON_TIME,
            report_figures.SENT_ON_TIME_RATE,
        ]
        return [figures.evaluate(fs, scope)[f] for f in fs], figures.evaluate_by_commune(fs, scope)

    def test_completeness_figures_and_the_table_agree(self):
        (expected, sent, on_time, rate), by_commune = self._values(date(2024, 10, 1))
        # Q1, H1, Q3 deadlines passed for both communes; the year's (15/12) not yet.
        self.assertEqual((expected, sent, on_time), (6, 2, 1))
        self.assertEqual(rate, figures.percent(1, 6))
        self.assertEqual(by_commune[self.commune.pk][report_figures.SENT], 2)
        self.assertEqual(by_commune[self.other_commune.pk][report_figures.SENT], 0)
        self.assertEqual(by_commune[self.other_commune.pk][report_figures.EXPECTED], 3)
        periods, rows = services.completeness_table(
            communes=[self.commune, self.other_commune], year=2024, today=date(2024, 10, 1)
        )
        self.assertEqual([p.code for p in periods], ["2024-Q1", "2024-H1", "2024-Q3", "2024"])
        self.assertEqual([c.state for c in rows[0].cells], ["on_time", "late", "overdue", "not_due"])
        self.assertEqual([c.state for c in rows[1].cells], ["overdue", "overdue", "overdue", "not_due"])
        self.assertEqual(sum(r.owed for r in rows), expected)
        self.assertEqual(sum(r.sent for r in rows), sent)
        self.assertEqual(sum(r.on_time for r in rows), on_time)

    def test_a_commune_without_an_issued_plan_owes_nothing(self):
        self.other_commune.plans.all().delete()
        (expected, sent, on_time, rate), by_commune = self._values(
            date(2024, 10, 1), communes=[self.other_commune.pk]
        )
        self.assertEqual((expected, sent, on_time, rate), (0, 0, 0, None))
        _, rows = services.completeness_table(
            communes=[self.other_commune], year=2024, today=date(2024, 10, 1)
        )
        self.assertEqual({c.state for c in rows[0].cells}, {"no_plan"})
        self.assertEqual(rows[0].owed, 0)

    def test_the_deadline_day_itself_is_not_yet_overdue(self):
        (expected, *_), _ = self._values(date(2024, 9, 15), communes=[self.other_commune.pk])
        self.assertEqual(expected, 2)  # Q1, H1; Q3 is due today
        (expected, *_), _ = self._values(date(2024, 9, 16), communes=[self.other_commune.pk])
        self.assertEqual(expected, 3)

    def test_the_province_page_shows_every_commune(self):
        self.login(self.captren)
        page = self.client.get("/bao-cao/tinh-hinh-gui/?year=2024")
        self.assertContains(page, 'data-commune="gialoc"')
        html = page.content.decode()
        row = re.search(r'data-commune="ducxuong">(.*?)</tr>', html, re.S).group(1)
        self.assertIn("Đã gửi 15/03/2024", row)
        self.assertIn("Đã gửi 16/06/2024 (muộn)", row)
        self.assertIn("Chưa gửi, quá hạn", row)
        # The commune officer sees only its own commune.
        self.login(self.vanphong)
        page = self.client.get("/bao-cao/tinh-hinh-gui/?year=2024")
        self.assertNotContains(page, 'data-commune="gialoc"')


class RemindTests(ReportTestCase):
    def test_reminders_are_sent_once_a_day_and_again_while_overdue(self):
        report = self.make_report(Period.quarter(2024, 1))
        # Deadline 15/3/2024 (Fri); sections due 12/3 (Tue).
        out = io.StringIO()
        call_command("reports_remind", "--date", "2024-03-08", "--days", "3", stdout=out)
        self.assertIn("6 sắp đến hạn", out.getvalue())
        first = Notification.objects.filter(user=self.tuphap, title__contains="hạn nộp 12/03/2024").count()
        self.assertEqual(first, 1)
        out = io.StringIO()
        call_command("reports_remind", "--date", "2024-03-08", "--days", "3", stdout=out)
        self.assertIn("đã gửi 0 thông báo", out.getvalue())
        self.assertEqual(
            Notification.objects.filter(user=self.tuphap, title__contains="hạn nộp 12/03/2024").count(), 1
        )
        call_command("reports_remind", "--date", "2024-03-13", stdout=io.StringIO())
        self.assertEqual(
            Notification.objects.filter(user=self.tuphap, title__contains="quá hạn nộp").count(), 1
        )
        call_command("reports_remind", "--date", "2024-03-14", stdout=io.StringIO())
        self.assertEqual(
            Notification.objects.filter(user=self.tuphap, title__contains="quá hạn nộp").count(), 2
        )
        # The report itself: due soon then overdue, to the office and the chairman.
        self.assertTrue(
            Notification.objects.filter(
                user=self.chutich, title__contains="phải gửi trước 15/03/2024"
            ).exists()
        )
        call_command("reports_remind", "--date", "2024-03-18", stdout=io.StringIO())
        self.assertTrue(
            Notification.objects.filter(user=self.chutich, title__contains="quá hạn gửi").exists()
        )
        # A submitted section is not reminded; a sent report neither.
        section = self.section(report, "thể chế")
        services.section_save(user=self.tuphap, section=section, body="Xong.")
        services.section_act(user=self.tuphap, section=section, action="submit")
        before = Notification.objects.filter(user=self.tuphap).count()
        call_command("reports_remind", "--date", "2024-03-19", stdout=io.StringIO())
        self.assertEqual(Notification.objects.filter(user=self.tuphap).count(), before)


class ApiTests(ReportTestCase):
    def test_the_cycle_through_the_api(self):
        self.make_plan()
        office, chair, justice = (self.api_headers(u) for u in (self.vanphong, self.chutich, self.tuphap))
        r = self.client.post(
            "/api/v1/reports", {"period": "2024"}, content_type="application/json", headers=office
        )
        self.assertEqual(r.status_code, 201, r.content)
        report = r.json()
        self.assertEqual(
            (report["period"], report["deadline"], report["status"]), ("2024", "2024-12-15", "drafting")
        )
        again = self.client.post(
            "/api/v1/reports", {"period": "2024"}, content_type="application/json", headers=office
        )
        self.assertEqual(again.status_code, 409)
        bad = self.client.post(
            "/api/v1/reports", {"period": "2024-Q5"}, content_type="application/json", headers=office
        )
        self.assertEqual(bad.status_code, 422)
        section = next(s for s in report["sections"] if s["department"] == "tu-phap-ho-tich")
        base = f"/api/v1/reports/{report['id']}"
        r = self.client.put(
            f"{base}/sections/{section['id']}",
            {"body": "Có {{khong.co}}"},
            content_type="application/json",
            headers=justice,
        )
        self.assertEqual(r.status_code, 422)
        self.assertIn("không có trong danh mục số liệu", r.json()["detail"])
        r = self.client.put(
            f"{base}/sections/{section['id']}",
            {"body": "Đã gửi {{reports.sent}}.", "version": 0},
            content_type="application/json",
            headers=justice,
        )
        self.assertEqual(r.json()["rendered"], "Đã gửi 0 báo cáo.")
        r = self.client.post(
            f"{base}/sections/{section['id']}/submit", {}, content_type="application/json", headers=justice
        )
        self.assertEqual(r.json()["status"], SectionStatus.SUBMITTED)
        r = self.client.post(
            f"{base}/sections/{section['id']}/accept", {}, content_type="application/json", headers=justice
        )
        self.assertEqual(r.status_code, 403)
        r = self.client.post(f"{base}/approve", {}, content_type="application/json", headers=chair)
        self.assertEqual(r.status_code, 409)
        self.fill_and_accept_all(Report.objects.get(pk=report["id"]))
        self.assertEqual(
            self.client.post(
                f"{base}/submit", {}, content_type="application/json", headers=office
            ).status_code,
            200,
        )
        self.assertEqual(
            self.client.post(
                f"{base}/approve", {}, content_type="application/json", headers=chair
            ).status_code,
            200,
        )
        r = self.client.post(
            f"{base}/send",
            {"number": "3", "issued_on": "2024-12-13"},
            content_type="application/json",
            headers=office,
        )
        detail = r.json()
        self.assertEqual(
            (detail["status"], detail["number"], detail["figures_frozen"]), ("sent", "3/BC-UBND", True)
        )
        self.assertEqual([t["code"] for t in detail["tables"]], ["t_field", "t_head"])
        docx = self.client.get(f"{base}/docx", headers=office)
        self.assertTrue(docx.content.startswith(b"PK"), docx.content[:300])
        xlsx = self.client.get(f"{base}/xlsx", headers=office)
        self.assertTrue(xlsx.content.startswith(b"PK"))
        # Scoping: another commune's officer does not see it, in the list or by id.
        other = self.api_headers(self._other())
        self.assertEqual(self.client.get("/api/v1/reports", headers=other).json(), [])
        self.assertEqual(self.client.get(base, headers=other).status_code, 404)
        self.assertEqual(
            [r["id"] for r in self.client.get("/api/v1/reports", headers=office).json()], [report["id"]]
        )
        comp = self.client.get(
            "/api/v1/reports/completeness?year=2024", headers=self.api_headers(self.captren)
        ).json()
        self.assertEqual({c["commune"] for c in comp}, {"ducxuong", "gialoc"})

    def _other(self):
        return self.other

    def test_schema_names_are_unique(self):
        from cchc.api import api

        schema = api.get_openapi_schema()
        names = [n for n in schema["components"]["schemas"] if n.startswith("Report")]
        self.assertIn("ReportDetailOut", names)
        self.assertIn("ReportSectionWriteIn", names)


@override_settings(REPORT_PERIODS=["M"])
class MonthlyTests(ReportTestCase):
    def test_a_province_asking_for_monthly_reports(self):
        self.assertEqual(len(services.expected_periods(2024)), 12)
        self.assertEqual(services.expected_periods(2024)[0].code, "2024-01")
