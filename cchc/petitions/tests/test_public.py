"""Public pages (no log-in): the form and its validation, spam protection,
follow-up by code and factor, the one rating, and published answers that never
show the petitioner's personal data."""

from __future__ import annotations

import re
from datetime import date

from django.test import override_settings
from django.urls import reverse

from cchc.petitions.models import Petition, PetitionAttachment, PetitionRating, Status, new_petition_code
from cchc.procedures.models import Procedure

from .helpers import PNG, PetitionTestCase, at, pdf

FORM = {
    "name": "Trần Thị Thu",
    "address": "Thôn Đông Cận, xã Đức Xương",
    "phone": "0983 222 614",
    "email": "thu@example.com",
    "subject": "Bảng niêm yết thiếu lệ phí",
    "content": "Bảng niêm yết thủ tục khai sinh không ghi lệ phí và thời hạn.",
    "website": "",
}


class SubmitFormTests(PetitionTestCase):
    def url(self, slug: str = "ducxuong") -> str:
        return reverse("petitions:public_submit", args=[slug])

    def post(self, **changes):
        return self.client.post(self.url(), {**FORM, **changes})

    def test_it_shows_an_accessible_form_with_the_communes_procedures(self):
        Procedure.objects.create(commune=self.commune, code="1.001193", name="Đăng ký khai sinh")
        Procedure.objects.create(commune=self.other_commune, code="1.000894", name="Đăng ký kết hôn")
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        for field in ("name", "address", "phone", "email", "subject", "content", "procedure", "attachments"):
            self.assertRegex(html, rf'<label[^>]+for="id_{field}"')
        self.assertIn("Đăng ký khai sinh", html)
        self.assertNotIn("Đăng ký kết hôn", html)
        self.assertIn('enctype="multipart/form-data"', html)
        self.assertNotIn("<script", html)  # works without JavaScript

    def test_nul_and_control_characters_are_dropped_not_a_server_error(self):
        response = self.post(
            name="Trần\x00 Thị Thu", subject="Bảng\x01 niêm yết", content="Nội\x00 dung phản ánh\x1b"
        )
        self.assertRedirects(response, reverse("petitions:public_done", args=["ducxuong"]))
        petition = Petition.objects.get()
        self.assertEqual(
            (petition.name, petition.subject, petition.content),
            ("Trần Thị Thu", "Bảng niêm yết", "Nội dung phản ánh"),
        )
        # A NUL in the address itself is refused before any query (PostgreSQL refuses NUL).
        response = self.client.get("/phan-anh/theo-doi/PA%00X/")
        self.assertEqual(response.status_code, 400)
        self.assertIn("ký tự điều khiển", response.content.decode())
        response = self.client.post(
            "/phan-anh/theo-doi/", {"code": f"{petition.code}\x00", "factor": "26\x0014"}
        )
        self.assertRedirects(response, reverse("petitions:public_status", args=[petition.code]))

    def test_a_text_beyond_the_input_limit_is_refused_with_a_message(self):
        response = self.post(content="x" * 20_001)
        self.assertContains(response, "Một ô nhập quá dài: tối đa 20.000 ký tự", status_code=400)
        self.assertFalse(Petition.objects.exists())
        response = self.client.get("/phan-anh/theo-doi/", {"q": "x" * 20_001})
        self.assertEqual(response.status_code, 400)

    def test_it_stores_the_petition_and_shows_code_and_factor(self):
        response = self.client.post(
            self.url(), {**FORM, "attachments": [pdf("đơn phản ánh.pdf"), pdf("ảnh.png", PNG)]}
        )
        self.assertRedirects(response, reverse("petitions:public_done", args=["ducxuong"]))
        petition = Petition.objects.get()
        self.assertRegex(petition.code, r"^PA-\d{6}-[A-Z2-9]{6}$")
        self.assertEqual(
            (petition.phone, petition.channel, petition.status), ("0983222614", "web", "received")
        )
        page = self.client.get(response["Location"]).content.decode()
        self.assertIn(petition.code, page)
        self.assertIn(">2614<", page)
        names = {a.original_name for a in petition.attachments.all()}
        self.assertEqual(names, {"ảnh.png", "đơn phản ánh.pdf"})
        stored = petition.attachments.get(extension="pdf").file.name
        self.assertRegex(stored, r"^petitions/\d{4}/\d{2}/[0-9a-f]{32}\.pdf$")

    def test_codes_are_random_not_sequential(self):
        codes = [new_petition_code(date(2026, 4, 29)) for _ in range(50)]
        self.assertTrue(all(c.startswith("PA-260429-") for c in codes))
        suffixes = [c.rsplit("-", 1)[1] for c in codes]
        self.assertEqual(len(set(suffixes)), 50)
        self.assertNotEqual(suffixes, sorted(suffixes))

    def test_missing_phone_stores_nothing(self):
        response = self.post(phone="")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Vui lòng nhập số điện thoại.")
        self.assertEqual(Petition.objects.count(), 0)

    def test_bad_input_is_refused_with_vietnamese_messages(self):
        cases = {
            "phone": ("12345", "Số điện thoại không hợp lệ"),
            "name": ("", "Vui lòng nhập họ và tên."),
            "address": ("", "Vui lòng nhập địa chỉ."),
            "email": ("khong-phai-email", "Địa chỉ thư điện tử không hợp lệ."),
            "content": ("", "Vui lòng nhập nội dung phản ánh, kiến nghị."),
        }
        for field, (value, message) in cases.items():
            with self.subTest(field=field):
                self.assertContains(self.post(**{field: value}), message)
        self.assertEqual(Petition.objects.count(), 0)

    def test_the_honeypot_stops_robots(self):
        response = self.post(website="http://spam.example")
        self.assertContains(response, "biểu mẫu bị điền tự động")
        self.assertEqual(Petition.objects.count(), 0)

    def test_attachment_type_is_checked_by_name_and_content(self):
        bad = [
            (pdf("virus.exe", b"MZ\x90\x00"), "“virus.exe” không đúng loại cho phép"),
            (pdf("gia-mao.pdf", b"MZ\x90\x00 not a pdf"), "“gia-mao.pdf” không phải tệp PDF hợp lệ"),
            (pdf("rong.pdf", b""), "rỗng"),
        ]
        for upload, message in bad:
            with self.subTest(name=upload.name):
                response = self.client.post(self.url(), {**FORM, "attachments": [upload]})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertEqual(Petition.objects.count(), 0)
        self.assertEqual(PetitionAttachment.objects.count(), 0)

    @override_settings(UPLOAD_MAX_BYTES=64)
    def test_attachment_size_is_limited(self):
        response = self.client.post(
            self.url(), {**FORM, "attachments": [pdf("lon.pdf", b"%PDF-" + b"x" * 100)]}
        )
        self.assertContains(response, "quá lớn")
        self.assertEqual(Petition.objects.count(), 0)

    def test_at_most_five_attachments(self):
        files = [pdf(f"{i}.pdf") for i in range(6)]
        self.assertContains(self.client.post(self.url(), {**FORM, "attachments": files}), "tối đa 5 tệp")
        self.assertEqual(Petition.objects.count(), 0)

    @override_settings(PETITION_SUBMIT_LIMIT=2)
    def test_submissions_are_rate_limited_per_client(self):
        for i in range(2):
            self.assertEqual(self.post(subject=f"Lần {i}").status_code, 302)
        response = self.post(subject="Lần 3")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "quá nhiều phản ánh", status_code=429)
        self.assertEqual(Petition.objects.count(), 2)
        # Another client is not affected.
        other = self.client_class(REMOTE_ADDR="10.0.0.9")
        self.assertEqual(other.post(self.url(), {**FORM, "subject": "Khác"}).status_code, 302)

    @override_settings(PETITION_SUBMIT_LIMIT=2)
    def test_corrections_do_not_use_up_the_limit(self):
        for _ in range(3):
            self.post(phone="")
        self.assertEqual(self.post().status_code, 302)

    def test_unknown_or_non_commune_slug_is_404(self):
        self.assertEqual(self.client.get(self.url("khong-co")).status_code, 404)
        self.assertEqual(self.client.get(self.url("haiphong")).status_code, 404)

    def test_done_page_without_a_submission_goes_back_to_the_form(self):
        response = self.client.get(reverse("petitions:public_done", args=["ducxuong"]))
        self.assertRedirects(response, self.url())


class PublicIndexTests(PetitionTestCase):
    def test_it_lists_communes_or_goes_straight_to_the_only_one(self):
        response = self.client.get(reverse("petitions:public_index"))
        self.assertContains(response, self.url_for("ducxuong"))
        self.assertContains(response, self.url_for("gialoc"))
        self.other_commune.is_active = False
        self.other_commune.save()
        response = self.client.get(reverse("petitions:public_index"))
        self.assertRedirects(response, self.url_for("ducxuong"))

    def url_for(self, slug: str) -> str:
        return reverse("petitions:public_submit", args=[slug])


class FollowUpTests(PetitionTestCase):
    url = reverse("petitions:public_follow")

    def follow(self, code: str, factor: str, client=None):
        return (client or self.client).post(self.url, {"code": code, "factor": factor})

    def test_right_code_and_factor_show_the_status_in_plain_vietnamese(self):
        p = self.submit()
        response = self.follow(p.code.lower(), "5678")
        self.assertRedirects(response, reverse("petitions:public_status", args=[p.code]))
        page = self.client.get(response["Location"]).content.decode()
        self.assertIn("đã được tiếp nhận và đang được phân loại", page)
        self.assertIn("29/04/2026", page)
        for private in ("Nguyễn Văn Bình", "0912", "345 678", "Phú Thọ", "binh@example.com"):
            self.assertNotIn(private, page)

    def test_wrong_code_and_wrong_factor_give_the_same_message(self):
        p = self.submit()
        wrong_factor = self.follow(p.code, "0000")
        wrong_code = self.follow("PA-260429-ZZZZZZ", "5678")
        self.assertEqual(wrong_factor.status_code, wrong_code.status_code)
        message = "Không tìm thấy phản ánh với mã và 4 số điện thoại đã nhập"
        self.assertContains(wrong_factor, message)
        self.assertContains(wrong_code, message)
        strip = lambda r: re.sub(r'value="[^"]*"', "", r.content.decode())  # noqa: E731
        self.assertEqual(strip(wrong_factor), strip(wrong_code))

    @override_settings(PETITION_LOOKUP_LIMIT=3)
    def test_look_ups_are_rate_limited_even_with_the_right_factor(self):
        p = self.submit()
        for _ in range(3):
            self.follow(p.code, "1111")
        response = self.follow(p.code, "5678")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "tra cứu quá nhiều lần", status_code=429)

    def test_status_page_needs_a_successful_look_up_first(self):
        p = self.submit()
        response = self.client.get(reverse("petitions:public_status", args=[p.code]))
        self.assertRedirects(response, f"{self.url}?ma={p.code}")

    def test_the_petitioner_rates_once_after_publication(self):
        p = self.submit()
        self.follow(p.code, "5678")
        rate_url = reverse("petitions:public_rate", args=[p.code])
        status_url = reverse("petitions:public_status", args=[p.code])
        self.assertNotContains(self.client.get(status_url), "Gửi đánh giá")
        self.client.post(rate_url, {"satisfied": "1"})
        self.assertEqual(PetitionRating.objects.count(), 0)  # not finished yet
        p = self.walk_to("published", p)
        page = self.client.get(status_url)
        self.assertContains(page, "Xã đã bố trí thêm người chứng thực.")
        self.assertContains(page, "Gửi đánh giá")
        response = self.client.post(rate_url, {"satisfied": "0", "comment": "Chậm."}, follow=True)
        self.assertContains(response, "Cảm ơn bạn đã đánh giá")
        again = self.client.post(rate_url, {"satisfied": "1"}, follow=True)
        self.assertContains(again, "chỉ đánh giá một lần")
        rating = PetitionRating.objects.get()
        self.assertEqual((rating.satisfied, rating.comment), (False, "Chậm."))

    def test_a_rating_needs_a_choice(self):
        p = self.walk_to("published")
        self.follow(p.code, "5678")
        response = self.client.post(reverse("petitions:public_rate", args=[p.code]), {"comment": "x"})
        self.assertContains(response, "Chọn Hài lòng hoặc Không hài lòng.", status_code=400)
        self.assertEqual(PetitionRating.objects.count(), 0)


class PublishedAnswersTests(PetitionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.published = self.walk_to("published")
        self.draft = self.walk_to("answered", self.submit(subject="Chưa công khai", at_=at("2026-04-30")))

    def test_answers_are_listed_searchable_without_diacritics(self):
        url = reverse("petitions:public_answers", args=["ducxuong"])
        self.assertContains(self.client.get(url), "Thời gian chờ chứng thực")
        self.assertContains(self.client.get(url, {"q": "cho CHUNG thuc"}), "Thời gian chờ chứng thực")
        self.assertContains(self.client.get(url, {"q": "đất đai"}), "Không có trả lời nào khớp")
        # Another commune's page does not list it.
        other = reverse("petitions:public_answers", args=["gialoc"])
        self.assertNotContains(self.client.get(other), "Thời gian chờ chứng thực")

    def test_personal_data_never_appears_on_public_pages(self):
        pages = [
            reverse("petitions:public_answers", args=["ducxuong"]),
            reverse("petitions:public_answers", args=["ducxuong"]) + "?q=chung+thuc",
            reverse("petitions:public_answer", args=["ducxuong", self.published.pk]),
        ]
        for url in pages:
            html = self.client.get(url).content.decode()
            self.assertIn("Thời gian chờ chứng thực", html)
            for private in (
                "Nguyễn Văn Bình",
                "0912345678",
                "5678",
                "Thôn Phú Thọ",
                "binh@example.com",
                self.published.code,
                "Sáng thứ Hai tôi phải chờ",  # the petitioner's own words
            ):
                self.assertNotIn(private, html, f"{private!r} leaked on {url}")

    def test_unpublished_answers_are_not_public(self):
        url = reverse("petitions:public_answer", args=["ducxuong", self.draft.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        url = reverse("petitions:public_answer", args=["gialoc", self.published.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.draft.status, Status.ANSWERED)

    def test_answers_are_paginated(self):
        for i in range(11):
            self.walk_to("published", self.submit(subject=f"Số {i}", at_=at("2026-04-28")))
        url = reverse("petitions:public_answers", args=["ducxuong"])
        first = self.client.get(url)
        self.assertContains(first, "Trang 1/2")
        self.assertContains(self.client.get(url, {"page": 2}), "Trang 2/2")
