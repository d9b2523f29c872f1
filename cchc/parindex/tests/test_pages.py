"""The pages: what each role sees and may do, another commune's assessment never
shown, files only through permission-checked downloads, errors in Vietnamese."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cchc.org.models import Role
from cchc.parindex import services
from cchc.parindex.models import Assessment, EvidenceItem
from cchc.testing import make_unit, make_user

from .helpers import EXAMPLE, VALUES, ParTestCase, pdf


class PageTests(ParTestCase):
    def setUp(self):
        super().setUp()
        self.set = self.make_set()

    def test_the_standing_office_starts_scores_and_attaches_evidence_from_the_pages(self):
        VALUES[self.commune.pk] = {"on_time": 949, "received": 1000, "online": 60, "violations": 0}
        self.login(self.vanphong)
        page = self.client.get(reverse("parindex:index"))
        self.assertContains(page, "Bắt đầu tự đánh giá năm 2025")
        self.assertContains(page, "VÍ DỤ – không phải văn bản pháp lý")
        response = self.client.post(reverse("parindex:assessment_create"), {"criteria_set": self.set.pk})
        a = Assessment.objects.get(commune=self.commune)
        self.assertRedirects(response, reverse("parindex:assessment", args=[a.pk]))
        page = self.client.get(reverse("parindex:assessment", args=[a.pk]))
        self.assertContains(page, "Bộ tiêu chí VÍ DỤ")
        self.assertContains(page, "949/1.000 = 94,90%")
        criterion = reverse("parindex:criterion", args=[a.pk, "3.2"])
        page = self.client.get(criterion)
        self.assertContains(page, "Dùng điểm gợi ý (9,49)")
        self.assertContains(page, "từ 15/12/2024 đến 14/12/2025")
        response = self.client.post(
            reverse("parindex:score_self", args=[a.pk, "3.2"]), {"accept": "1", "note": ""}
        )
        self.assertRedirects(response, criterion)
        self.assertEqual(str(a.scores.get(criterion__code="3.2").self_points), "9.49")
        # A score other than the suggestion without a reason: refused on the form.
        response = self.client.post(reverse("parindex:score_self", args=[a.pk, "3.2"]), {"points": "10"})
        self.assertContains(response, "khác điểm gợi ý từ số liệu (9,49): ghi lý do", status_code=400)
        self.assertEqual(str(a.scores.get(criterion__code="3.2").self_points), "9.49")
        # Evidence: a file, then a bad file refused with the shared rules' message.
        response = self.client.post(
            reverse("parindex:evidence_upload", args=[a.pk, "3.2"]),
            {"files": [pdf("so-theo-doi.pdf")], "location": "trang 2"},
        )
        self.assertRedirects(response, criterion)
        bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
        response = self.client.post(reverse("parindex:evidence_upload", args=[a.pk, "3.2"]), {"files": [bad]})
        self.assertContains(response, "không phải tệp PDF hợp lệ", status_code=400)
        item = EvidenceItem.objects.get()
        download = self.client.get(reverse("parindex:evidence_download", args=[a.pk, item.pk]))
        self.assertEqual(b"".join(download.streaming_content)[:5], b"%PDF-")
        self.assertIn("so-theo-doi.pdf", download["Content-Disposition"])
        # A link to what the product holds: the statistics for the window.
        page = self.client.get(criterion)
        self.assertContains(page, "Thống kê hồ sơ TTHC từ ngày 15/12/2024 đến ngày 14/12/2025")
        response = self.client.post(
            reverse("parindex:evidence_link", args=[a.pk, "3.2"]),
            {"link": "statistics:dossiers:stats", "location": ""},
        )
        self.assertRedirects(response, criterion)
        link = EvidenceItem.objects.get(kind="link")
        self.assertIn("date_from=2024-12-15", link.url)

    def test_two_officers_scoring_one_criterion_the_second_is_told(self):
        VALUES[self.commune.pk] = {"on_time": 949, "received": 1000, "online": 60, "violations": 0}
        a = services.assessment_create(user=self.vanphong, commune=self.commune, criteria_set=self.set)
        self.login(self.vanphong)
        criterion = reverse("parindex:criterion", args=[a.pk, "3.2"])
        opened = self.client.get(criterion).context["score_form"]["version"].value()
        self.assertEqual(opened, a.scores.get(criterion__code="3.2").version)
        url = reverse("parindex:score_self", args=[a.pk, "3.2"])
        first = {"points": "9", "reason": "Trừ 1 hồ sơ trễ chưa cập nhật", "note": "x", "version": opened}
        self.assertRedirects(self.client.post(url, first), criterion)
        second = {"points": "8", "reason": "Theo sổ", "note": "y", "version": opened}
        response = self.client.post(url, second)
        self.assertContains(response, "Trong lúc bạn sửa, vanphong", status_code=400)
        score = a.scores.get(criterion__code="3.2")
        self.assertEqual(
            (str(score.self_points), score.self_reason), ("9.00", "Trừ 1 hồ sơ trễ chưa cập nhật")
        )
        self.assertEqual(score.version, opened + 1)

    def test_sent_reports_of_the_commune_are_offered_as_evidence_and_others_are_not(self):
        from datetime import date, datetime
        from zoneinfo import ZoneInfo

        from cchc.parindex.links import candidates, resolve
        from cchc.reports.models import Report

        def report(commune, code, status):
            return Report.objects.create(
                commune=commune,
                period_code=code,
                period_kind="quarter",
                year=2025,
                date_from=date(2024, 12, 15),
                date_to=date(2025, 3, 14),
                deadline=date(2025, 3, 15),
                subject="Báo cáo CCHC quý I",
                number="12",
                status=status,
                sent_at=datetime(2025, 3, 14, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
                if status == "sent"
                else None,
            )

        mine = report(self.commune, "2025-Q1", "sent")
        report(self.commune, "2025-H1", "drafting")
        theirs = report(self.other_commune, "2025-Q1", "sent")
        a = self.make_assessment(self.set)
        labels = [link.label for link in candidates(a) if link.kind == "report"]
        self.assertEqual(labels, ["Báo cáo CCHC Quý I/2025 số 12/BC-UBND (gửi 14/03/2025)"])
        self.assertIsNotNone(resolve(a, f"report:{mine.pk}"))
        self.assertIsNone(resolve(a, f"report:{theirs.pk}"))
        with self.assertRaisesMessage(Exception, "Không tìm thấy dữ liệu được chọn"):
            services.evidence_add_link(
                user=self.vanphong,
                assessment=a,
                criterion=self.set.criteria.get(code="1.3"),
                key=f"report:{theirs.pk}",
            )
        item = services.evidence_add_link(
            user=self.vanphong,
            assessment=a,
            criterion=self.set.criteria.get(code="1.3"),
            key=f"report:{mine.pk}",
            location="mục II",
        )
        self.assertEqual(item.url, reverse("reports:detail", args=[mine.pk]))

    def test_another_communes_assessment_is_invisible(self):
        a = self.make_assessment(self.set)
        services.evidence_add_files(
            user=self.vanphong, assessment=a, criterion=self.set.criteria.get(code="1.1"), files=[pdf()]
        )
        item = EvidenceItem.objects.get()
        self.login(self.other)
        for url in (
            reverse("parindex:assessment", args=[a.pk]),
            reverse("parindex:criterion", args=[a.pk, "1.1"]),
            reverse("parindex:results", args=[a.pk]),
            reverse("parindex:summary_xlsx", args=[a.pk]),
            reverse("parindex:letter_docx", args=[a.pk]),
            reverse("parindex:evidence_download", args=[a.pk, item.pk]),
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        page = self.client.get(reverse("parindex:index"))
        self.assertNotContains(page, reverse("parindex:assessment", args=[a.pk]))
        self.assertNotContains(page, str(self.commune))
        # The province's appraiser sees it.
        self.login(self.captren)
        self.assertEqual(self.client.get(reverse("parindex:assessment", args=[a.pk])).status_code, 200)

    def test_ranking_shows_the_provinces_communes_and_who_has_not_sent(self):
        far = make_unit("province", "tinh-khac", code="000.00.00.X99")
        far_commune = make_unit("commune", "xa-xa", far, code="000.99.99.X99")
        a = self.make_assessment(self.set)
        b = self.make_assessment(self.set, commune=self.other_commune)
        self.score_all(b)
        for action in ("self_assess", "approve", "submit"):
            services.assessment_act(user=None, assessment=b, action=action)
        self.login(self.captren)
        page = self.client.get(reverse("parindex:ranking", args=[self.set.pk]))
        self.assertContains(page, 'data-commune="gialoc"', count=1)
        self.assertContains(page, 'data-commune="ducxuong"', count=1)
        self.assertNotContains(page, far_commune.slug)
        ranked = page.content.decode().split('id="not-sent"')
        self.assertIn("gialoc", ranked[0])
        self.assertIn("ducxuong", ranked[1])
        export = self.client.get(reverse("parindex:ranking", args=[self.set.pk]) + "?xuat=xlsx")
        ws = load_workbook(io.BytesIO(export.content)).active
        values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
        self.assertIn("gialoc", values)
        self.assertIn("ducxuong", values)
        self.assertNotIn(str(far_commune), values)
        self.assertIsNotNone(a)

    def test_importing_a_bad_file_lists_every_error(self):
        self.login(self.captren)
        data = EXAMPLE.read_bytes().replace(b'"max": 12', b'"max": 13', 1)
        response = self.client.post(
            reverse("parindex:set_import"),
            {
                "file": SimpleUploadedFile("bo.json", data),
                "owner": self.province.pk,
                "year": 2026,
                "level": "commune",
            },
        )
        self.assertContains(response, "Lĩnh vực 1 (tiêu chí 1): tổng điểm", status_code=400)
        self.assertContains(
            response, "tổng điểm tối đa các tiêu chí con 12 khác điểm tối đa 13", status_code=400
        )
        self.assertContains(response, "khác thang điểm 100", status_code=400)
        response = self.client.post(
            reverse("parindex:set_import"),
            {
                "file": SimpleUploadedFile("bo.json", EXAMPLE.read_bytes()),
                "owner": self.province.pk,
                "year": 2026,
                "level": "commune",
            },
        )
        self.assertEqual(response.status_code, 302)

    def test_commune_staff_cannot_import_or_manage_sets(self):
        self.login(self.vanphong)
        response = self.client.post(
            reverse("parindex:set_import"),
            {
                "file": SimpleUploadedFile("bo.json", EXAMPLE.read_bytes()),
                "owner": self.province.pk,
                "year": 2026,
            },
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.client.post(reverse("parindex:set_new_version", args=[self.set.pk])).status_code, 403
        )
        self.assertEqual(self.set.family().count(), 1)

    def test_results_page_has_the_chart_and_the_rescale(self):
        a = self.make_assessment(self.set)
        self.score_all(a)
        self.login(self.chutich)
        page = self.client.get(reverse("parindex:results", args=[a.pk]))
        self.assertContains(page, "<svg")
        self.assertContains(
            page, "Quy đổi về thang 100: 94 ÷ 94 × 100 = 100 (điều tra xã hội học do cấp trên chấm: 7.2)"
        )
        user = make_user("ngoai", Role.ONE_STOP_OFFICER, self.other_commune)
        self.login(user)
        self.assertEqual(self.client.get(reverse("parindex:results", args=[a.pk])).status_code, 404)
