from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cchc.core.models import Notification
from cchc.dossiers.models import Outcome, Status
from cchc.satisfaction import services
from cchc.satisfaction.models import FollowUp, Rating, RatingChannel

from .helpers import SCORES, FastTestCase, make_dossier, make_procedure


class RatingServiceTests(FastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.procedure = make_procedure(cls.commune, department=cls.dept_justice)

    def dossier(self, **kw):
        kw.setdefault("department", self.dept_justice)
        kw.setdefault("handled_by", self.tuphap)
        kw.setdefault("returned_by", self.motcua)
        kw.setdefault("received_by", self.motcua)
        return make_dossier(self.commune, self.procedure, received=date(2026, 3, 2), **kw)

    def notified(self):
        """The notifications so far (building a dossier notifies its department of
        the transfer; the tests are about the rating's own)."""
        return Notification.objects.all()

    def submit(self, dossier, **kw):
        kw.setdefault("channel", RatingChannel.QR)
        kw.setdefault("scores", SCORES)
        kw.setdefault("satisfied", True)
        return services.rating_submit(dossier=dossier, **kw)

    def test_it_stores_a_rating_once_and_refuses_the_second(self):
        dossier = self.dossier()
        rating = self.submit(dossier, comment="  Cán bộ   nhiệt tình ")
        self.assertEqual(rating.comment, "Cán bộ nhiệt tình")
        self.assertEqual(rating.scores, SCORES)
        with self.assertRaises(services.AlreadyRated) as ctx:
            self.submit(dossier, channel=RatingChannel.KIOSK, satisfied=False, comment="lần hai")
        self.assertIn("chỉ được đánh giá một lần", str(ctx.exception))
        self.assertEqual(Rating.objects.filter(dossier=dossier).count(), 1)
        self.assertTrue(Rating.objects.get(dossier=dossier).satisfied)

    def test_the_database_refuses_a_second_rating_row(self):
        dossier = self.dossier()
        self.submit(dossier)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Rating.objects.create(
                dossier=dossier,
                commune=self.commune,
                procedure=self.procedure,
                channel=RatingChannel.QR,
                satisfied=True,
                **{f"score_{k}": v for k, v in SCORES.items()},
            )

    def test_the_database_refuses_a_score_outside_1_to_5(self):
        dossier = self.dossier()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Rating.objects.create(
                dossier=dossier,
                commune=self.commune,
                procedure=self.procedure,
                channel=RatingChannel.QR,
                satisfied=True,
                **{f"score_{k}": v for k, v in {**SCORES, "result": 6}.items()},
            )

    def test_it_refuses_rating_a_dossier_still_being_handled(self):
        for status in (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT):
            dossier = self.dossier(status=status)
            with self.assertRaises(ValidationError) as ctx:
                self.submit(dossier)
            self.assertIn("chưa giải quyết xong", str(ctx.exception))
        self.assertFalse(Rating.objects.exists())

    def test_a_withdrawn_dossier_cannot_be_rated(self):
        dossier = self.dossier(status=Status.WITHDRAWN)
        with self.assertRaises(ValidationError):
            self.submit(dossier)

    def test_processed_refused_and_returned_dossiers_can_be_rated(self):
        for status in (Status.PROCESSED, Status.REFUSED, Status.RETURNED, Status.STOPPED):
            self.submit(self.dossier(status=status))
        self.assertEqual(Rating.objects.count(), 4)

    def test_it_rejects_bad_scores_and_stores_nothing(self):
        dossier = self.dossier()
        for bad in (
            {**SCORES, "access": 0},
            {**SCORES, "result": 6},
            {**SCORES, "officials": "năm"},
            {"access": 5},
        ):
            with self.assertRaises(ValidationError) as ctx:
                self.submit(dossier, scores=bad)
            self.assertTrue(any("từ 1 đến 5" in m for m in ctx.exception.messages))
        with self.assertRaises(ValidationError):
            self.submit(dossier, comment="x" * 2001)
        with self.assertRaises(ValidationError):
            self.submit(dossier, channel="email")
        self.assertFalse(Rating.objects.exists())

    def test_it_credits_the_officer_who_returned_the_result_and_the_handling_department(self):
        rating = self.submit(self.dossier())
        self.assertEqual(rating.officer, self.motcua)
        self.assertEqual(rating.department, self.dept_justice)
        self.assertEqual(rating.procedure, self.procedure)
        self.assertEqual(rating.commune, self.commune)

    def test_before_the_result_is_returned_it_credits_the_officer_who_finished_it(self):
        rating = self.submit(self.dossier(status=Status.PROCESSED))
        self.assertEqual(rating.officer, self.tuphap)

    def test_a_refusal_at_the_counter_is_credited_to_the_officers_department(self):
        dossier = self.dossier(status=Status.REFUSED, department=None, handled_by=self.motcua)
        rating = self.submit(dossier)
        self.assertEqual(rating.officer, self.motcua)
        self.assertEqual(rating.department, self.dept_one_stop)

    def test_not_satisfied_with_a_comment_opens_a_follow_up_for_the_one_stop_head(self):
        self.dept_one_stop.head = self.motcua
        self.dept_one_stop.save()
        dossier = self.dossier(finished=date(2026, 3, 6), outcome=Outcome.LATE)  # due Thursday 05/03
        before = list(self.notified().values_list("pk", flat=True))
        rating = self.submit(dossier, satisfied=False, comment="Hẹn trả kết quả nhưng phải chờ cả buổi")
        follow_up = FollowUp.objects.get(rating=rating)
        self.assertEqual(follow_up.status, FollowUp.Status.OPEN)
        self.assertEqual(follow_up.assignee, self.motcua)
        notice = self.notified().exclude(pk__in=before).get(user=self.motcua)
        self.assertIn(dossier.code, notice.title)
        self.assertIn("phải chờ cả buổi", notice.body)
        self.assertEqual(notice.url, f"/danh-gia/phan-hoi/{follow_up.pk}/")
        self.assertFalse(self.notified().exclude(pk__in=before).exclude(user=self.motcua).exists())

    def test_without_a_one_stop_head_every_one_stop_officer_is_notified(self):
        dossier = self.dossier()
        before = list(self.notified().values_list("pk", flat=True))
        rating = self.submit(dossier, satisfied=False, comment="Không được hướng dẫn")
        self.assertIsNone(rating.follow_up.assignee)
        self.assertEqual(
            set(self.notified().exclude(pk__in=before).values_list("user__username", flat=True)), {"motcua"}
        )  # `other` is a one-stop officer of another commune

    def test_no_follow_up_without_a_comment_or_when_satisfied(self):
        first, second = self.dossier(), self.dossier()
        before = list(self.notified().values_list("pk", flat=True))
        self.submit(first, satisfied=False, comment="")
        self.submit(second, satisfied=True, comment="Rất tốt")
        self.assertFalse(FollowUp.objects.exists())
        self.assertFalse(self.notified().exclude(pk__in=before).exists())

    def test_a_follow_up_is_closed_with_a_resolution(self):
        rating = self.submit(self.dossier(), satisfied=False, comment="Chờ lâu")
        follow_up = rating.follow_up
        with self.assertRaises(ValidationError):
            services.followup_close(follow_up=follow_up, user=self.motcua, resolution="  ")
        follow_up.refresh_from_db()
        self.assertEqual(follow_up.status, FollowUp.Status.OPEN)
        services.followup_close(follow_up=follow_up, user=self.motcua, resolution="Đã gọi điện xin lỗi")
        follow_up.refresh_from_db()
        self.assertEqual(follow_up.status, FollowUp.Status.CLOSED)
        self.assertEqual(follow_up.closed_by, self.motcua)
        with self.assertRaises(ValidationError):
            services.followup_close(follow_up=follow_up, user=self.motcua, resolution="lần nữa")

    def test_only_the_one_stop_side_and_leaders_of_the_commune_close_follow_ups(self):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        follow_up = self.submit(self.dossier(), satisfied=False, comment="Chờ lâu").follow_up
        with self.assertRaises(PermissionDenied):
            services.followup_close(follow_up=follow_up, user=self.vanphong, resolution="x")
        with self.assertRaises(Http404):
            services.followup_close(follow_up=follow_up, user=self.other, resolution="x")
        services.followup_close(follow_up=follow_up, user=self.chutich, resolution="Đã chỉ đạo khắc phục")


class RatingLinkTests(FastTestCase):
    def test_a_token_names_its_dossier_and_channel_and_cannot_be_forged(self):
        procedure = make_procedure(self.commune)
        dossier = make_dossier(self.commune, procedure, received=date(2026, 3, 2))
        token = services.rating_token(dossier, RatingChannel.QR)
        self.assertEqual(services.dossier_from_token(token), (dossier, RatingChannel.QR))
        self.assertEqual(services.dossier_from_token(services.rating_token(dossier, "kiosk"))[1], "kiosk")
        value, signature = token.split(":", 1)
        forged = f"q{int(value[1:], 36) + 1:x}:{signature}"
        self.assertIsNone(services.dossier_from_token(forged))
        self.assertIsNone(services.dossier_from_token("rác"))
        self.assertLess(len(token), 60)

    def test_the_printed_link_and_qr_code(self):
        procedure = make_procedure(self.commune)
        dossier = make_dossier(self.commune, procedure, received=date(2026, 3, 2))
        url = services.rating_url(dossier)
        self.assertTrue(url.startswith("http"))
        self.assertIn("/danh-gia/r/", url)
        svg = services.rating_qr_svg(dossier)
        self.assertTrue(svg.startswith("<svg"))
        self.assertIn('width="30mm"', svg)
        self.assertNotIn(dossier.applicant_phone, svg)


class RatingRaceTests(FastTestCase):
    def test_the_unique_constraint_turns_a_lost_race_into_already_rated(self):
        from unittest import mock

        procedure = make_procedure(self.commune)
        dossier = make_dossier(self.commune, procedure, received=date(2026, 3, 2))
        services.rating_submit(dossier=dossier, channel=RatingChannel.QR, scores=SCORES, satisfied=True)
        # As if the other submission committed after this one's check.
        with mock.patch.object(services, "_has_rating", return_value=False):
            with self.assertRaises(services.AlreadyRated):
                services.rating_submit(
                    dossier=dossier, channel=RatingChannel.KIOSK, scores=SCORES, satisfied=False
                )
        self.assertEqual(Rating.objects.count(), 1)
