"""Staff pages: scoping (other commune, department), list filters, the action
forms, intake of letters and calls, attachments behind a permission check."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cchc.core.models import AuditLog
from cchc.petitions.models import Petition, Status

from .helpers import PetitionTestCase, at, pdf


class StaffListTests(PetitionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.justice = self.walk_to("assigned", self.submit(subject="Chứng thực chậm"))
        self.land = self.submit(subject="Biến động đất đai")
        self.land = self.act(self.land, self.motcua, "accept", at("2026-05-04"))
        self.land = self.act(self.land, self.motcua, "assign", at("2026-05-04"), department=self.dept_land)
        self.new = self.submit(subject="Loa truyền thanh rè", at_=at("2026-05-20"))
        self.elsewhere = self.submit(commune=self.other_commune, subject="Việc của xã Gia Lộc")

    def codes(self, user, **params) -> set[str]:
        self.login(user)
        response = self.client.get(reverse("petitions:list"), params)
        self.assertEqual(response.status_code, 200)
        return {p.code for p in response.context["page"].object_list}

    def test_commune_staff_see_their_commune_only(self):
        mine = {self.justice.code, self.land.code, self.new.code}
        self.assertEqual(self.codes(self.motcua), mine)
        self.assertEqual(self.codes(self.chutich), mine)
        self.assertEqual(self.codes(self.other), {self.elsewhere.code})

    def test_a_department_sees_only_what_was_assigned_to_it(self):
        self.assertEqual(self.codes(self.tuphap), {self.justice.code})
        self.assertEqual(self.codes(self.diachinh), {self.land.code})

    def test_the_superior_reads_every_commune_below(self):
        self.assertEqual(
            self.codes(self.captren), {self.justice.code, self.land.code, self.new.code, self.elsewhere.code}
        )

    def test_filters_by_status_department_and_search(self):
        self.assertEqual(self.codes(self.motcua, status="received"), {self.new.code})
        self.assertEqual(self.codes(self.motcua, department=self.dept_land.pk), {self.land.code})
        self.assertEqual(self.codes(self.motcua, q="dat dai"), {self.land.code})
        self.assertEqual(self.codes(self.motcua, q=self.new.code), {self.new.code})

    def test_overdue_and_due_soon_filters(self):
        # Seen from today (after May 2026) every open petition of 2026-05 is overdue.
        overdue = self.codes(self.motcua, due="overdue")
        self.assertEqual(overdue, {self.justice.code, self.land.code, self.new.code})
        self.assertEqual(self.codes(self.motcua, due="soon"), set())
        fresh = self.submit(subject="Mới gửi hôm nay", at_=timezone.now())
        self.assertIn(fresh.code, self.codes(self.motcua))
        self.assertNotIn(fresh.code, self.codes(self.motcua, due="overdue"))

    def test_htmx_gets_only_the_table(self):
        self.login(self.motcua)
        response = self.client.get(reverse("petitions:list"), HTTP_HX_REQUEST="true")
        self.assertNotContains(response, "<html")
        self.assertContains(response, self.new.code)

    def test_people_without_the_permission_are_refused(self):
        self.assertEqual(self.client.get(reverse("petitions:list")).status_code, 302)  # log-in first


class StaffDetailTests(PetitionTestCase):
    def test_detail_shows_history_and_records_the_view(self):
        p = self.walk_to("assigned")
        self.login(self.motcua)
        response = self.client.get(reverse("petitions:detail", args=[p.code]))
        self.assertContains(response, "Nguyễn Văn Bình")  # staff see personal data …
        self.assertContains(response, "Giao bộ phận xử lý")
        self.assertTrue(  # … and the view is recorded
            AuditLog.objects.filter(action="view", object_id=str(p.pk), actor=self.motcua).exists()
        )

    def test_other_commune_and_other_department_get_404(self):
        p = self.walk_to("assigned")  # Tư pháp
        url = reverse("petitions:detail", args=[p.code])
        for user in (self.other, self.diachinh):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.tuphap)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_publish_form_is_pre_filled_with_the_approved_answer(self):
        p = self.walk_to("approved")
        self.login(self.motcua)
        response = self.client.get(reverse("petitions:detail", args=[p.code]))
        html = response.content.decode()
        form = html[html.index('id="form-publish"') :]
        form = form[: form.index("</form>")]
        self.assertIn(">Xã đã bố trí thêm người chứng thực.</textarea>", form)
        self.assertIn('value="Thời gian chờ chứng thực quá lâu"', form)  # the subject, to shorten if needed

    def test_action_form_moves_the_petition(self):
        p = self.submit()
        self.login(self.motcua)
        url = reverse("petitions:act", args=[p.code])
        response = self.client.post(url, {"action": "accept", "note": ""})
        self.assertRedirects(response, reverse("petitions:detail", args=[p.code]))
        response = self.client.post(url, {"action": "assign", "department": self.dept_justice.pk})
        p.refresh_from_db()
        self.assertEqual((p.status, p.department), (Status.ASSIGNED, self.dept_justice))

    def test_illegal_or_invalid_actions_change_nothing(self):
        p = self.submit()
        self.login(self.motcua)
        url = reverse("petitions:act", args=[p.code])
        response = self.client.post(url, {"action": "publish"}, follow=True)
        self.assertContains(response, "Không thể")
        response = self.client.post(url, {"action": "refuse", "reason": ""})
        self.assertContains(response, "Ghi rõ lý do không tiếp nhận.", status_code=400)
        p.refresh_from_db()
        self.assertEqual(p.status, Status.RECEIVED)
        self.assertEqual(p.events.count(), 1)

    def test_the_answer_form_is_for_the_assigned_department_only(self):
        p = self.walk_to("assigned")
        self.login(self.tuphap)
        self.assertContains(self.client.get(reverse("petitions:detail", args=[p.code])), 'id="form-answer"')
        self.login(self.chutich)
        page = self.client.get(reverse("petitions:detail", args=[p.code]))
        self.assertNotContains(page, 'id="form-answer"')
        response = self.client.post(
            reverse("petitions:act", args=[p.code]), {"action": "answer", "answer": "x"}
        )
        self.assertEqual(response.status_code, 403)

    def test_superior_viewer_reads_but_cannot_act(self):
        p = self.submit()
        self.login(self.captren)
        page = self.client.get(reverse("petitions:detail", args=[p.code]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'id="form-accept"')
        response = self.client.post(reverse("petitions:act", args=[p.code]), {"action": "accept"})
        self.assertEqual(response.status_code, 403)


class AttachmentTests(PetitionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.petition = self.submit(files=[pdf("đơn.pdf")])
        self.attachment = self.petition.attachments.get()
        self.url = reverse("petitions:attachment", args=[self.attachment.pk])

    def test_staff_of_the_commune_download_it(self):
        self.login(self.motcua)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content)[:5], b"%PDF-")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertTrue(AuditLog.objects.filter(action="view", changes__attachment="đơn.pdf").exists())

    def test_others_cannot(self):
        self.assertEqual(self.client.get(self.url).status_code, 302)  # anonymous → log-in
        for user in (self.other, self.tuphap):  # other commune; department not assigned
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_the_file_is_not_under_a_public_url(self):
        name = self.attachment.file.name
        self.assertNotIn("đơn", name)
        self.assertEqual(self.client.get(f"/media/{name}").status_code, 404)


class IntakeTests(PetitionTestCase):
    def test_an_officer_logs_a_phone_call(self):
        self.login(self.motcua)
        response = self.client.post(
            reverse("petitions:log"),
            {
                "channel": "phone",
                "received_at": "2026-05-04T09:30",
                "name": "Đỗ Văn Thành",
                "address": "Thôn Đông Cận",
                "phone": "0978300162",
                "subject": "Loa truyền thanh rè",
                "content": "Loa thôn Đông Cận bị rè, không nghe rõ thông báo.",
            },
        )
        petition = Petition.objects.get()
        self.assertRedirects(response, reverse("petitions:detail", args=[petition.code]))
        self.assertEqual((petition.channel, petition.received_by), ("phone", self.motcua))
        self.assertEqual(petition.received_at, at("2026-05-04", 9, 30))
        self.assertEqual(petition.events.get().actor, self.motcua)

    def test_intake_needs_the_permission_and_valid_input(self):
        self.login(self.tuphap)
        self.assertEqual(self.client.get(reverse("petitions:log")).status_code, 403)
        self.login(self.motcua)
        response = self.client.post(reverse("petitions:log"), {"channel": "letter", "name": "A"})
        self.assertContains(response, "Vui lòng nhập số điện thoại.")
        self.assertEqual(Petition.objects.count(), 0)


class HomeAndStatsPageTests(PetitionTestCase):
    def test_home_panel_counts_what_the_user_must_do(self):
        self.submit()
        self.walk_to("answered", self.submit(subject="Khác"))
        self.login(self.motcua)
        panel = self.client.get(reverse("home"))
        self.assertContains(panel, "Chờ phân loại")
        self.assertEqual(
            [
                r["count"]
                for r in panel.context["panels"][self._panel(panel)][1]["rows"]
                if r["status"] == "received"
            ],
            [1],
        )
        self.login(self.chutich)
        panel = self.client.get(reverse("home"))
        rows = panel.context["panels"][self._panel(panel)][1]["rows"]
        self.assertEqual([(r["status"], r["count"]) for r in rows], [("answered", 1), ("approved", 0)])

    def _panel(self, response) -> int:
        templates = [t for t, _ in response.context["panels"]]
        return templates.index("petitions/_home_panel.html")

    def test_stats_page_shows_the_figures(self):
        self.walk_to("published")
        self.login(self.vanphong)
        response = self.client.get(
            reverse("petitions:stats"), {"date_from": "2026-04-01", "date_to": "2026-04-30"}
        )
        from cchc.petitions import figures as PF

        self.assertEqual(response.context["values"][PF.RECEIVED], 1)
        self.assertContains(response, 'data-key="petitions.on_time_rate">100,00%<')
        response = self.client.get(
            reverse("petitions:stats"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
        )
        self.assertContains(response, "Ngày kết thúc 01/04/2026 trước ngày bắt đầu 01/05/2026")
        response = self.client.get(reverse("petitions:stats"), {"period": "2026-05"})  # 15/4–14/5/2026
        self.assertContains(response, "từ ngày 15/04/2026 đến ngày 14/05/2026")

    def test_stats_export_to_excel(self):
        import io

        from openpyxl import load_workbook

        self.walk_to("published")
        # Another commune's petitions in the same window count there, not here.
        self.submit(commune=self.other_commune, subject="Việc của xã Gia Lộc")
        self.submit(commune=self.other_commune, subject="Việc khác của xã Gia Lộc")
        self.login(self.vanphong)
        response = self.client.get(
            reverse("petitions:stats"), {"date_from": "2026-04-01", "date_to": "2026-04-30", "format": "xlsx"}
        )
        self.assertIn("spreadsheetml", response["Content-Type"])
        rows = {
            r[0]: r[1] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        }
        self.assertEqual(rows["Phản ánh, kiến nghị tiếp nhận"], 1)
        self.assertEqual(rows["Tỷ lệ phản ánh, kiến nghị trả lời đúng hạn"], 100.0)
