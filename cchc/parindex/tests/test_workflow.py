"""The assessment's state machine: who may make which move, what each move needs,
the history rows, and that appraisal never overwrites the commune's score."""

from datetime import date
from decimal import Decimal as D
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cchc.core.models import Notification
from cchc.core.workflow import Conflict, IllegalMove
from cchc.parindex import services
from cchc.parindex.models import AssessmentEvent, Status

from .helpers import VALUES, ParTestCase, pdf

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class CycleTests(ParTestCase):
    def setUp(self):
        super().setUp()
        self.set = self.make_set()
        self.a = self.make_assessment(self.set)

    def c(self, code):
        return self.set.criteria.get(code=code)

    def test_the_whole_cycle_with_history_and_both_scores_kept(self):
        a = self.a
        self.score_all(a, user=self.vanphong)
        services.evidence_add_files(
            user=self.vanphong,
            assessment=a,
            criterion=self.c("1.1"),
            files=[pdf("ke-hoach.pdf")],
            location="trang 1",
        )
        services.assessment_act(user=self.vanphong, assessment=a, action="self_assess")
        with self.assertRaises(PermissionDenied):
            services.assessment_act(user=self.vanphong, assessment=a, action="approve")
        services.assessment_act(user=self.chutich, assessment=a, action="approve", note="Đồng ý.")
        a.refresh_from_db()
        self.assertEqual((a.signer_id, a.signer_title), (self.chutich.pk, "CHỦ TỊCH"))
        services.assessment_act(user=self.vanphong, assessment=a, action="submit")
        self.set.refresh_from_db()
        self.assertIsNotNone(self.set.locked_at)
        services.assessment_act(user=self.captren, assessment=a, action="start_appraisal")
        # One criterion down with a comment, and an explanation asked for.
        with self.assertRaisesMessage(ValidationError, "thấp hơn điểm tự chấm (3): ghi nhận xét"):
            services.score_appraise(user=self.captren, assessment=a, criterion=self.c("1.1"), points="2")
        services.score_appraise(
            user=self.captren,
            assessment=a,
            criterion=self.c("1.1"),
            points="2",
            comment="Ban hành muộn 10 ngày.",
        )
        services.explanation_request_add(
            user=self.captren, assessment=a, criterion=self.c("1.1"), request="Giải trình ngày ban hành."
        )
        services.assessment_act(
            user=self.captren, assessment=a, action="request_explanation", due_date=date(2030, 1, 10)
        )
        a.refresh_from_db()
        self.assertEqual((a.status, a.explanation_due), (Status.EXPLANATION_REQUESTED, date(2030, 1, 10)))
        self.assertTrue(
            Notification.objects.filter(user=self.vanphong, title__contains="yêu cầu giải trình").exists()
        )
        with self.assertRaisesMessage(ValidationError, "Chưa giải trình tiêu chí: 1.1."):
            services.assessment_act(user=self.vanphong, assessment=a, action="explain")
        # Evidence may be added for the criterion asked about, not for others.
        services.evidence_add_files(
            user=self.vanphong, assessment=a, criterion=self.c("1.1"), files=[pdf("so-cong-van.pdf")]
        )
        with self.assertRaises(Conflict):
            services.evidence_add_files(
                user=self.vanphong, assessment=a, criterion=self.c("1.2"), files=[pdf()]
            )
        item = a.scores.get(criterion__code="1.1").explanation_requests.get()
        services.explanation_answer(
            user=self.vanphong, item=item, response="Kế hoạch ký ngày 05/01 do chờ kế hoạch của tỉnh."
        )
        services.assessment_act(user=self.vanphong, assessment=a, action="explain")
        with self.assertRaisesMessage(ValidationError, "tiêu chí chưa có điểm thẩm định"):
            services.assessment_act(user=self.captren, assessment=a, action="appraise")
        self.assertEqual(services.appraise_agree_rest(user=self.captren, assessment=a), 22)
        with self.assertRaisesMessage(ValidationError, "7.2"):
            services.assessment_act(user=self.captren, assessment=a, action="appraise")
        services.score_appraise(user=self.captren, assessment=a, criterion=self.c("7.2"), points="5")
        services.assessment_act(user=self.captren, assessment=a, action="appraise")
        services.assessment_act(user=self.captren, assessment=a, action="publish")
        a.refresh_from_db()
        self.assertEqual(a.status, Status.PUBLISHED)
        s11 = a.scores.get(criterion__code="1.1")
        self.assertEqual((s11.self_points, s11.appraised_points), (D(3), D(2)))
        moves = list(
            a.events.filter(field="status").values_list("action", "from_value", "to_value", "actor_label")
        )
        self.assertEqual(
            [m[0] for m in moves],
            [
                "create",
                "self_assess",
                "approve",
                "submit",
                "start_appraisal",
                "request_explanation",
                "explain",
                "appraise",
                "publish",
            ],
        )
        self.assertEqual(moves[1][1:3], ("Đang tự đánh giá", "Đã tự đánh giá – chờ Chủ tịch duyệt"))
        self.assertEqual(moves[2][3], "Chutich (chutich)")
        down = a.events.get(criterion__code="1.1", field="appraised_points")
        self.assertEqual(
            (down.from_value, down.to_value, down.note, down.actor_id),
            ("", "2", "Ban hành muộn 10 ngày.", self.captren.pk),
        )
        self.assertTrue(a.events.filter(criterion__code="1.1", action="explanation_answer").exists())

    def test_moves_the_state_does_not_allow_are_conflicts(self):
        with self.assertRaises(IllegalMove) as ctx:
            services.assessment_act(user=self.vanphong, assessment=self.a, action="submit")
        self.assertIn("Đang tự đánh giá", ctx.exception.message)
        with self.assertRaises(Conflict):
            services.assessment_act(user=self.captren, assessment=self.a, action="publish")

    def test_self_assessment_needs_every_criterion_and_evidence_or_a_note(self):
        with self.assertRaises(ValidationError) as ctx:
            services.assessment_act(user=self.vanphong, assessment=self.a, action="self_assess")
        self.assertIn("Còn 23 tiêu chí chưa chấm: 1.1, 1.2", ctx.exception.messages[0])
        self.score_all(self.a, user=self.vanphong, note="")
        services.evidence_add_files(
            user=self.vanphong, assessment=self.a, criterion=self.c("1.1"), files=[pdf()]
        )
        with self.assertRaises(ValidationError) as ctx:
            services.assessment_act(user=self.vanphong, assessment=self.a, action="self_assess")
        self.assertEqual(
            ctx.exception.messages,
            [
                "Tiêu chí chấm điểm mà không có minh chứng cần thuyết minh: 1.2, 1.3, 1.4, 2.1, 2.2, 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 4.1, 4.2, 4.3, 5.1, 5.2, 6.1, 6.2, 6.3, 6.4, 6.5, 7.1."
            ],
        )
        self.assertEqual(self.a.events.filter(field="status").count(), 1)

    def test_only_the_standing_office_scores_and_only_a_draft(self):
        with self.assertRaises(PermissionDenied):
            services.score_self(user=self.chutich, assessment=self.a, criterion=self.c("1.1"), points=1)
        with self.assertRaises(PermissionDenied):
            services.score_self(user=self.captren, assessment=self.a, criterion=self.c("1.1"), points=1)
        with self.assertRaises(Http404):
            services.score_self(user=self.other, assessment=self.a, criterion=self.c("1.1"), points=1)
        with self.assertRaisesMessage(ValidationError, "do cấp trên chấm"):
            services.score_self(user=self.vanphong, assessment=self.a, criterion=self.c("7.2"), points=1)
        with self.assertRaisesMessage(ValidationError, "bội số của 0,25"):
            services.score_self(user=self.vanphong, assessment=self.a, criterion=self.c("1.1"), points="1.1")
        with self.assertRaisesMessage(ValidationError, "từ 0 đến 3"):
            services.score_self(user=self.vanphong, assessment=self.a, criterion=self.c("1.1"), points="4")
        self.assertFalse(AssessmentEvent.objects.filter(action="self_score").exists())

    def test_one_assessment_per_commune_and_set_family(self):
        with self.assertRaises(Conflict):
            self.make_assessment(self.set)
        newer = services.criteria_set_new_version(user=None, criteria_set=self.set)
        services.criteria_set_open(user=None, criteria_set=newer)
        with self.assertRaisesMessage(Conflict, "phiên bản 1"):
            services.assessment_create(user=self.vanphong, commune=self.commune, criteria_set=newer)


class SuggestionTests(ParTestCase):
    def setUp(self):
        super().setUp()
        self.set = self.make_set()
        self.a = self.make_assessment(self.set)

    def c(self, code):
        return self.set.criteria.get(code=code)

    def test_suggested_scores_equal_the_hand_computation_over_the_years_window(self):
        VALUES[self.commune.pk] = {"on_time": 949, "received": 1000, "online": 35, "violations": 2}
        VALUES[self.other_commune.pk] = {"on_time": 1, "received": 1000, "online": 99, "violations": 0}
        suggestions = services.suggestions_for(self.a)
        s32, s61, s43 = (suggestions[self.c(code).pk] for code in ("3.2", "6.1", "4.3"))
        # 3.2: 10 × 949/1000 = 9,49 (exact ratio from the rate's own counts).
        self.assertEqual((s32.points, s32.numerator, s32.denominator), (D("9.49"), D(949), D(1000)))
        self.assertEqual(s32.value_text, "949/1.000 = 94,90%")
        # 6.1: full at 50 %; 35 % → 6 × 35 ÷ 50 = 4,2.
        self.assertEqual(s61.points, D("4.20"))
        self.assertIn("35,00% < ngưỡng 50%", s61.explanation)
        # 4.3: 3 − 1 × 2 = 1.
        self.assertEqual(s43.points, D(1))
        self.assertEqual((s32.date_from, s32.date_to), (date(2024, 12, 15), date(2025, 12, 14)))
        self.assertEqual(s32.window_text, "từ 15/12/2024 đến 14/12/2025")
        from .helpers import ASKED

        self.assertEqual({scope.commune_ids for scope in ASKED}, {(self.commune.pk,)})

    def test_accepting_stores_what_was_shown_and_another_score_needs_a_reason(self):
        VALUES[self.commune.pk] = {"on_time": 949, "received": 1000}
        score = services.score_self(
            user=self.vanphong, assessment=self.a, criterion=self.c("3.2"), accept_suggestion=True
        )
        self.assertEqual(
            (score.self_points, score.self_origin, score.self_numerator), (D("9.49"), "suggested", D(949))
        )
        self.assertEqual(score.suggestion["points"], "9.49")
        with self.assertRaisesMessage(ValidationError, "khác điểm gợi ý từ số liệu (9,49): ghi lý do"):
            services.score_self(
                user=self.vanphong,
                assessment=self.a,
                criterion=self.c("3.2"),
                numerator=990,
                denominator=1000,
            )
        score = services.score_self(
            user=self.vanphong,
            assessment=self.a,
            criterion=self.c("3.2"),
            numerator=990,
            denominator=1000,
            reason="41 hồ sơ liên thông chưa đồng bộ.",
        )
        self.assertEqual(score.self_points, D("9.90"))
        event = self.a.events.filter(criterion__code="3.2", field="self_points").last()
        self.assertEqual(
            (event.from_value, event.to_value, event.note),
            ("9,49", "9,9", "41 hồ sơ liên thông chưa đồng bộ."),
        )

    def test_a_score_accepted_from_the_data_needs_no_other_evidence(self):
        VALUES[self.commune.pk] = {"on_time": 949, "received": 1000, "online": 60, "violations": 0}
        self.score_all(self.a, user=self.vanphong)
        for code in ("3.2", "6.1"):
            services.score_self(
                user=self.vanphong, assessment=self.a, criterion=self.c(code), accept_suggestion=True, note=""
            )
        services.score_self(user=self.vanphong, assessment=self.a, criterion=self.c("1.1"), points=3, note="")
        with self.assertRaises(ValidationError) as ctx:
            services.assessment_act(user=self.vanphong, assessment=self.a, action="self_assess")
        self.assertEqual(
            ctx.exception.messages, ["Tiêu chí chấm điểm mà không có minh chứng cần thuyết minh: 1.1."]
        )

    def test_nothing_to_count_gives_what_the_rule_says(self):
        # 3.4 petitions: no petitions → full points (the example's if_denominator_zero: max).
        score = services.score_self(
            user=self.vanphong, assessment=self.a, criterion=self.c("3.4"), numerator=0, denominator=0
        )
        self.assertEqual(score.self_points, D(4))
        # No data for a bound figure: no suggestion to accept.
        VALUES[self.commune.pk] = {}
        with self.assertRaisesMessage(ValidationError, "chưa có điểm gợi ý"):
            services.score_self(
                user=self.vanphong, assessment=self.a, criterion=self.c("3.2"), accept_suggestion=True
            )
