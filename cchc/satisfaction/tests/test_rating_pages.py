from datetime import date
from unittest import mock

from django.core.cache import cache
from django.test import override_settings

from cchc.dossiers.models import Status
from cchc.satisfaction import services
from cchc.satisfaction.models import Rating, RatingChannel

from .helpers import FastTestCase, make_dossier, make_procedure, rating_post

PERSONAL = ("Nguyễn Văn An", "0912345678", "5678", "001088012345", "Lê Lợi")


class PublicRatingPageTests(FastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.procedure = make_procedure(cls.commune, department=cls.dept_justice)

    def setUp(self):
        cache.clear()
        self.dossier = make_dossier(
            self.commune, self.procedure, received=date(2026, 3, 2), department=self.dept_justice
        )
        self.url = services.rating_path(self.dossier, RatingChannel.QR)

    def assertNoPersonalData(self, response):
        html = response.content.decode()
        for value in PERSONAL:
            self.assertNotIn(value, html)

    def test_it_shows_the_questionnaire_without_personal_data(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.dossier.code)
        self.assertContains(response, "<fieldset", count=6)
        self.assertContains(response, "<legend", count=6)
        self.assertContains(response, 'name="website"')
        self.assertNoPersonalData(response)

    def test_it_rates_once_and_refuses_the_second_time(self):
        response = self.client.post(self.url, rating_post(comment="Nhanh gọn"))
        self.assertRedirects(response, f"{self.url}cam-on/")
        rating = Rating.objects.get(dossier=self.dossier)
        self.assertEqual(rating.channel, RatingChannel.QR)
        self.assertContains(self.client.get(f"{self.url}cam-on/"), "Cảm ơn quý khách")
        # Coming back: no form any more.
        response = self.client.get(self.url)
        self.assertContains(response, "đã được đánh giá")
        self.assertNotContains(response, "<fieldset")
        # Posting again (e.g. a second tab): refused with a clear message, nothing stored.
        response = self.client.post(self.url, rating_post(satisfied=False, comment="lần hai"))
        self.assertEqual(response.status_code, 200)  # the page says it is already rated
        self.assertContains(response, "Mỗi hồ sơ chỉ được đánh giá một lần")
        self.assertEqual(Rating.objects.filter(dossier=self.dossier).count(), 1)
        self.assertTrue(Rating.objects.get(dossier=self.dossier).satisfied)

    def test_a_submission_losing_a_race_is_answered_with_409(self):
        self.assertContains(self.client.get(self.url), "<fieldset")
        with mock.patch.object(services, "rating_submit", side_effect=services.AlreadyRated()):
            response = self.client.post(self.url, rating_post())
        self.assertContains(response, "chỉ được đánh giá một lần", status_code=409)
        self.assertFalse(Rating.objects.exists())

    def test_missing_answers_are_refused_with_vietnamese_messages(self):
        data = rating_post()
        del data["score_officials"]
        data["satisfied"] = ""
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Công chức giải quyết")
        self.assertContains(response, "Chọn “Hài lòng” hoặc “Không hài lòng”")
        self.assertFalse(Rating.objects.exists())

    def test_out_of_range_scores_are_refused(self):
        response = self.client.post(self.url, rating_post(score_result="9"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "từ 1 đến 5")
        self.assertFalse(Rating.objects.exists())

    def test_the_honeypot_stops_robots_and_stores_nothing(self):
        response = self.client.post(self.url, rating_post(website="http://spam.example"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Phiếu đánh giá không hợp lệ")
        self.assertFalse(Rating.objects.exists())

    @override_settings(RATING_SUBMIT_LIMIT=2)
    def test_submissions_are_rate_limited_per_client(self):
        bad = rating_post(score_access="")
        for _ in range(2):
            self.assertEqual(self.client.post(self.url, bad).status_code, 200)
        response = self.client.post(self.url, rating_post())
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "quá nhiều lần", status_code=429)
        self.assertFalse(Rating.objects.exists())
        # Another client is not affected.
        response = self.client.post(self.url, rating_post(), REMOTE_ADDR="10.0.0.9")
        self.assertEqual(response.status_code, 302)

    def test_an_unfinished_dossier_shows_why_it_cannot_be_rated(self):
        dossier = make_dossier(
            self.commune, self.procedure, received=date(2026, 3, 2), status=Status.PROCESSING
        )
        url = services.rating_path(dossier, RatingChannel.QR)
        response = self.client.get(url)
        self.assertContains(response, "chưa giải quyết xong")
        self.assertNotContains(response, "<fieldset")
        self.client.post(url, rating_post())
        self.assertFalse(Rating.objects.exists())

    def test_forged_and_kiosk_tokens_are_not_accepted_on_the_public_page(self):
        self.assertEqual(self.client.get("/danh-gia/r/q1:gia-mao/").status_code, 404)
        kiosk_token = services.rating_token(self.dossier, RatingChannel.KIOSK)
        self.assertEqual(self.client.get(f"/danh-gia/r/{kiosk_token}/").status_code, 404)
        self.assertEqual(self.client.post(f"/danh-gia/r/{kiosk_token}/", rating_post()).status_code, 404)
        self.assertFalse(Rating.objects.exists())


class KioskTests(FastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.procedure = make_procedure(cls.commune, department=cls.dept_justice)

    def setUp(self):
        self.dossier = make_dossier(
            self.commune,
            self.procedure,
            received=date(2026, 3, 2),
            department=self.dept_justice,
            returned_by=self.motcua,
        )

    def test_only_signed_in_one_stop_staff_open_the_kiosk(self):
        response = self.client.get("/danh-gia/quay/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/dang-nhap/", response["Location"])
        self.login(self.tuphap)
        self.assertEqual(self.client.get("/danh-gia/quay/").status_code, 403)
        self.login(self.motcua)
        self.assertContains(self.client.get("/danh-gia/quay/"), "Kính chào quý khách")

    def test_the_kiosk_rates_a_dossier_once_and_returns_to_a_neutral_screen(self):
        self.login(self.motcua)
        response = self.client.get("/danh-gia/quay/", {"ma": self.dossier.code})
        self.assertEqual(response.status_code, 302)
        rate_url = response["Location"]
        page = self.client.get(rate_url)
        self.assertContains(page, "<fieldset", count=6)
        for value in PERSONAL:
            self.assertNotContains(page, value)
        response = self.client.post(rate_url, rating_post(satisfied=False, comment="Phải chờ lâu"))
        self.assertRedirects(response, "/danh-gia/quay/cam-on/")
        thanks = self.client.get("/danh-gia/quay/cam-on/")
        self.assertContains(thanks, 'http-equiv="refresh"')
        self.assertContains(thanks, "url=/danh-gia/quay/")
        rating = Rating.objects.get(dossier=self.dossier)
        self.assertEqual(rating.channel, RatingChannel.KIOSK)
        self.assertTrue(hasattr(rating, "follow_up"))
        # Opening it again is refused with the reason; so is a second submission.
        response = self.client.get("/danh-gia/quay/", {"ma": self.dossier.code})
        self.assertContains(response, "đã được đánh giá")
        response = self.client.post(rate_url, rating_post())
        self.assertContains(response, "đã được đánh giá")
        self.assertEqual(Rating.objects.count(), 1)

    def test_the_kiosk_refuses_unknown_unfinished_and_other_communes_dossiers(self):
        self.login(self.motcua)
        self.assertContains(self.client.get("/danh-gia/quay/", {"ma": "KHONG-CO"}), "Không tìm thấy hồ sơ")
        open_dossier = make_dossier(
            self.commune, self.procedure, received=date(2026, 3, 2), status=Status.PROCESSING
        )
        self.assertContains(
            self.client.get("/danh-gia/quay/", {"ma": open_dossier.code}), "chưa giải quyết xong"
        )
        self.login(self.other)
        self.assertContains(
            self.client.get("/danh-gia/quay/", {"ma": self.dossier.code}), "Không tìm thấy hồ sơ"
        )
        token = services.rating_token(self.dossier, RatingChannel.KIOSK)
        self.assertEqual(self.client.get(f"/danh-gia/quay/{token}/").status_code, 404)
        self.assertFalse(Rating.objects.exists())

    def test_public_tokens_do_not_open_the_kiosk_page(self):
        self.login(self.motcua)
        token = services.rating_token(self.dossier, RatingChannel.QR)
        self.assertEqual(self.client.get(f"/danh-gia/quay/{token}/").status_code, 404)

    def test_staff_get_the_qr_code_of_a_dossier(self):
        self.login(self.motcua)
        response = self.client.get(f"/danh-gia/qr/{self.dossier.code}.svg")
        self.assertEqual(response["Content-Type"], "image/svg+xml")
        self.assertTrue(response.content.startswith(b"<svg"))
        self.login(self.other)
        self.assertEqual(self.client.get(f"/danh-gia/qr/{self.dossier.code}.svg").status_code, 404)
