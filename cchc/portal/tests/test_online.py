"""The public online pages: submitting from the commune page, the follow-up link
(supplement, withdrawal, result download) — scoping, privacy, abuse."""

import atexit
import shutil
import tempfile
from decimal import Decimal  # noqa: F401

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cchc.core.models import AuditLog
from cchc.dossiers.models import Dossier, DossierDocument, Status
from cchc.dossiers.online import result_attach
from cchc.dossiers.tests.helpers import PDF, PNG, act, make_online_procedure, make_procedure
from cchc.testing import BaseTestCase

MEDIA_ROOT = tempfile.mkdtemp(prefix="cchc-portal-online-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
PERSONAL = ("034195007777", "0987654321", "Thôn Tây", "binh@example.vn", "Trần Thị Bình")


def upload(name="a.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@override_settings(MEDIA_ROOT=MEDIA_ROOT, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class OnlinePagesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_online_procedure(cls.commune, department=cls.dept_justice)
        cls.lines = {r.label: r.pk for r in cls.proc.required_documents.all()}
        cls.partial = make_online_procedure(
            cls.commune, "1.000656", level="partial", name="Thủ tục đăng ký khai tử"
        )
        cls.offline = make_procedure(
            cls.commune, "2.000815", name="Chứng thực bản sao", online=False, online_level="none"
        )
        cls.foreign = make_online_procedure(cls.other_commune, "1.001193", name="Khai sinh ở Gia Lộc")

    def setUp(self):
        cache.clear()

    def form(self, **extra):
        data = {
            "applicant_name": "Trần Thị Bình",
            "applicant_id_number": "034195007777",
            "applicant_phone": "0987654321",
            "applicant_address": "Thôn Tây, xã Đức Xương",
            "applicant_email": "binh@example.vn",
            "result_delivery": "online",
            "confirm": "on",
            f"doc_{self.lines['Tờ khai đăng ký khai sinh']}": upload("to-khai.pdf", PDF + b"1"),
            f"doc_{self.lines['Giấy chứng sinh']}": upload("chung-sinh.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20),
        }
        data.update(extra)
        return data

    def submit_url(self, proc=None):
        proc = proc or self.proc
        return f"/cong-khai/{proc.commune.slug}/nop-truc-tuyen/{proc.pk}/"

    def submit(self, **extra):
        return self.client.post(self.submit_url(), self.form(**extra))

    def test_the_commune_page_leads_to_the_procedures_offered_online_only(self):
        page = self.client.get(f"/cong-khai/{self.commune.slug}/")
        self.assertContains(page, f'href="/cong-khai/{self.commune.slug}/nop-truc-tuyen/"')
        listing = self.client.get(f"/cong-khai/{self.commune.slug}/nop-truc-tuyen/").content.decode()
        self.assertIn("Thủ tục đăng ký khai sinh", listing)
        self.assertIn('data-level="partial"', listing)
        self.assertNotIn("Chứng thực bản sao", listing)
        self.assertNotIn("Khai sinh ở Gia Lộc", listing)
        self.assertNotIn("<script", listing)
        # Another commune's procedure, or one not offered online, has no form here.
        for proc in (self.foreign, self.offline):
            self.assertEqual(
                self.client.get(f"/cong-khai/{self.commune.slug}/nop-truc-tuyen/{proc.pk}/").status_code, 404
            )

    def test_the_form_shows_the_checklist_and_a_case_by_link(self):
        html = self.client.get(self.submit_url()).content.decode()
        self.assertIn("Tờ khai đăng ký khai sinh", html)
        self.assertNotIn("Văn bản ủy quyền", html)
        self.assertIn('href="?truong_hop=1"', html)
        self.assertIn('capture="environment"', html)  # a phone opens its camera
        html = self.client.get(self.submit_url() + "?truong_hop=1").content.decode()
        self.assertIn("Văn bản ủy quyền", html)
        self.assertIn('name="truong_hop" value="1"', html)
        # A partly online procedure offers no electronic result.
        html = self.client.get(self.submit_url(self.partial)).content.decode()
        self.assertNotIn('value="online"', html)

    def test_a_submission_lands_in_the_online_queue_and_gives_code_and_follow_link(self):
        response = self.submit()
        self.assertRedirects(response, f"/cong-khai/{self.commune.slug}/nop-truc-tuyen/da-nop/")
        d = Dossier.objects.get()
        self.assertEqual((d.status, d.status_code, d.result_delivery), (Status.REGISTERED, 1, "online"))
        self.assertEqual(sorted(d.files.values_list("extension", flat=True)), ["jpg", "pdf"])
        done = self.client.get(response.url).content.decode()
        self.assertIn(d.code, done)
        self.assertIn(f"/cong-khai/tra-cuu/?ma={d.code}", done)
        self.assertIn("Tin nhắn SMS đang tắt", done)
        for value in PERSONAL:
            self.assertNotIn(value, done)
        # Every write was attributed to the public channel.
        self.assertTrue(
            AuditLog.objects.filter(model="dossier", object_id=str(d.pk), source="public:online").exists()
        )
        # The counter sees it in the online queue.
        self.client.force_login(self.motcua)
        queue = self.client.get("/ho-so/?hang=online").content.decode()
        self.assertIn(d.code, queue)

    def test_bad_input_is_explained_and_nothing_is_written(self):
        response = self.submit(
            applicant_phone="12",
            confirm="",
            **{f"doc_{self.lines['Giấy chứng sinh']}": upload("x.pdf", PNG)},
        )
        self.assertEqual(response.status_code, 200)  # the form again, with the messages
        html = response.content.decode()
        self.assertIn("Cần xác nhận cam đoan", html)
        response = self.submit(**{f"doc_{self.lines['Giấy chứng sinh']}": upload("x.pdf", PNG)})
        self.assertEqual(response.status_code, 200)  # the form again, with the messages
        self.assertIn("không phải tệp PDF hợp lệ", response.content.decode())
        data = self.form()
        del data[f"doc_{self.lines['Tờ khai đăng ký khai sinh']}"]
        response = self.client.post(self.submit_url(), data)
        self.assertIn("Cần tải lên “Tờ khai đăng ký khai sinh”", response.content.decode())
        self.assertEqual((Dossier.objects.count(), DossierDocument.objects.count()), (0, 0))

    @override_settings(ONLINE_SUBMIT_LIMIT=1)
    def test_submissions_are_rate_limited_and_robots_spend_their_budget(self):
        self.assertEqual(self.submit().status_code, 302)
        response = self.submit()
        self.assertEqual(response.status_code, 429)
        self.assertIn("quá nhiều hồ sơ", response.content.decode())
        self.assertEqual(Dossier.objects.count(), 1)
        cache.clear()
        self.assertEqual(self.submit(website="http://spam").status_code, 200)
        self.assertEqual(self.submit().status_code, 429)
        self.assertEqual(Dossier.objects.count(), 1)

    # --- the follow-up link ---------------------------------------------------------
    def submitted(self):
        self.submit()
        return Dossier.objects.get()

    def test_follow_up_needs_the_phone_check_in_this_browser(self):
        d = self.submitted()
        stranger = self.client_class()
        self.assertRedirects(
            stranger.get(f"/cong-khai/theo-doi/{d.code}/"), f"/cong-khai/tra-cuu/?ma={d.code}"
        )
        self.assertRedirects(
            stranger.get(f"/cong-khai/theo-doi/{d.code}/ket-qua/"),
            f"/cong-khai/tra-cuu/?ma={d.code}",
            fetch_redirect_response=False,
        )
        wrong = stranger.post("/cong-khai/tra-cuu/", {"ma": d.code, "phone_last4": "1111"})
        self.assertNotIn("Giấy tờ đã nộp điện tử", wrong.content.decode())
        self.assertEqual(stranger.get(f"/cong-khai/theo-doi/{d.code}/").status_code, 302)
        right = stranger.post("/cong-khai/tra-cuu/", {"ma": d.code, "phone_last4": "4321"}).content.decode()
        self.assertIn("Giấy tờ đã nộp điện tử", right)
        page = stranger.get(f"/cong-khai/theo-doi/{d.code}/").content.decode()
        self.assertIn("Giấy chứng sinh", page)
        self.assertIn("T*** T** Bình", page)
        for value in PERSONAL:
            self.assertNotIn(value, page)
        views = AuditLog.objects.filter(object_id=str(d.pk), action="view", source="public:lookup").count()
        self.assertEqual(views, 2)  # the look-up and the follow-up page, each recorded

    def test_supplement_uploaded_online_resumes_the_dossier(self):
        d = self.submitted()
        act(d, "accept", self.motcua, None)
        act(d, "transfer", self.motcua, None)
        act(d, "request_supplement", self.tuphap, None, note="Ảnh mờ", items=["Giấy chứng sinh rõ nét"])
        page = self.client.get(f"/cong-khai/theo-doi/{d.code}/").content.decode()
        self.assertIn("Giấy chứng sinh rõ nét", page)
        self.assertIn(f'action="/cong-khai/theo-doi/{d.code}/bo-sung/"', page)
        bad = self.client.post(
            f"/cong-khai/theo-doi/{d.code}/bo-sung/",
            {"files": [SimpleUploadedFile("a.exe", b"MZ")]},
            follow=True,
        )
        self.assertIn("không đúng loại cho phép", bad.content.decode())
        d.refresh_from_db()
        self.assertEqual(d.status, "supplement")
        ok = self.client.post(
            f"/cong-khai/theo-doi/{d.code}/bo-sung/",
            {"files": [upload("ro-net.pdf")], "note": "Bản rõ"},
            follow=True,
        )
        self.assertIn("Đã nhận giấy tờ bổ sung", ok.content.decode())
        d.refresh_from_db()
        self.assertEqual(d.status, "processing")
        self.assertEqual(d.files.filter(source="supplement").get().original_name, "ro-net.pdf")

    def test_withdrawal_through_the_follow_up_link(self):
        d = self.submitted()
        act(d, "accept", self.motcua, None)
        response = self.client.post(f"/cong-khai/theo-doi/{d.code}/rut-ho-so/", {"reason": ""}, follow=True)
        self.assertIn("Cần ghi lý do rút hồ sơ", response.content.decode())
        response = self.client.post(
            f"/cong-khai/theo-doi/{d.code}/rut-ho-so/", {"reason": "Nộp nhầm"}, follow=True
        )
        self.assertIn("Đã rút hồ sơ", response.content.decode())
        d.refresh_from_db()
        self.assertEqual(d.status, "withdrawn")

    def test_the_electronic_result_is_downloaded_audited_and_returned(self):
        d = self.submitted()
        act(d, "accept", self.motcua, None)
        act(d, "transfer", self.motcua, None)
        self.assertEqual(self.client.get(f"/cong-khai/theo-doi/{d.code}/ket-qua/").status_code, 404)
        result_attach(user=self.tuphap, dossier=d, upload=upload("giay-khai-sinh.pdf", PDF + b"kq"))
        act(d, "finish", self.tuphap, None)
        page = self.client.get(f"/cong-khai/theo-doi/{d.code}/").content.decode()
        self.assertIn("Tải kết quả", page)
        response = self.client.get(f"/cong-khai/theo-doi/{d.code}/ket-qua/")
        self.assertEqual(b"".join(response.streaming_content), PDF + b"kq")
        self.assertIn('filename="giay-khai-sinh.pdf"', response["Content-Disposition"])
        d.refresh_from_db()
        self.assertEqual((d.status, d.return_mode), ("returned", "electronic"))
        logged = AuditLog.objects.filter(object_id=str(d.pk), action="view", source="public:online")
        self.assertEqual(logged.count(), 1)
        self.assertIn("giay-khai-sinh.pdf", str(logged.get().changes))
        # Another browser without the phone check gets nothing.
        self.assertEqual(self.client_class().get(f"/cong-khai/theo-doi/{d.code}/ket-qua/").status_code, 302)
