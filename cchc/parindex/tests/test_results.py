"""Results: per area and total, self-assessed beside appraised, not-applicable
criteria taken out of the maximum and the total rescaled (with its arithmetic), the
province's ranking with bands and completeness, last year beside this year."""

from decimal import Decimal as D

from cchc.parindex import services
from cchc.parindex.models import Status
from cchc.parindex.results import compute, last_year, ranking

from .helpers import ParTestCase, example_spec


class ResultTests(ParTestCase):
    def setUp(self):
        super().setUp()
        self.set = self.make_set(open_it=False)
        services.criterion_update(user=None, criterion=self.set.criteria.get(code="3.6"), na_allowed=True)
        services.criteria_set_open(user=None, criteria_set=self.set)

    def c(self, code):
        return self.set.criteria.get(code=code)

    def published(self, commune=None, *, down: str = "2", survey: str | None = "3") -> object:
        a = self.make_assessment(self.set, commune=commune)
        self.score_all(a)
        services.score_self(
            user=None,
            assessment=a,
            criterion=self.c("3.6"),
            not_applicable=True,
            reason="Xã chưa bố trí Bộ phận một cửa riêng.",
        )
        for action in ("self_assess", "approve", "submit", "start_appraisal"):
            services.assessment_act(user=None, assessment=a, action=action)
        services.score_appraise(
            user=None, assessment=a, criterion=self.c("3.1"), points=down, comment="Công khai chậm."
        )
        services.appraise_agree_rest(user=None, assessment=a)
        if survey is None:
            services.score_appraise(
                user=None,
                assessment=a,
                criterion=self.c("7.2"),
                not_applicable=True,
                comment="Không tổ chức điều tra.",
            )
        else:
            services.score_appraise(user=None, assessment=a, criterion=self.c("7.2"), points=survey)
        services.assessment_act(user=None, assessment=a, action="appraise")
        services.assessment_act(user=None, assessment=a, action="publish")
        return a

    def test_not_applicable_criteria_leave_the_maximum_and_the_total_is_rescaled(self):
        a = self.published()
        r = compute(a)
        # Self: 100 − 4 (3.6 N/A) − 6 (7.2 survey, not self-scored) = 90, all at maximum.
        self.assertEqual(
            (r.self_total.points, r.self_total.applicable, r.self_total.scaled), (D(90), D(90), D(100))
        )
        # Appraisal: 3.1 down from 4 to 2, survey 3 of 6: 91 of 96 → 94,79 on the scale of 100.
        t = r.appraised_total
        self.assertEqual(
            (t.points, t.applicable, t.maximum, t.scaled, t.percent),
            (D(91), D(96), D(100), D("94.79"), D("94.79")),
        )
        self.assertEqual(t.not_applicable, ["3.6"])
        self.assertEqual(t.rescale_text, "Quy đổi về thang 100: 91 ÷ 96 × 100 = 94,79 (không áp dụng: 3.6)")
        area3 = next(n for n in r.areas if n.code == "3")
        self.assertEqual(
            (area3.appraised.points, area3.appraised.applicable, area3.appraised.percent),
            (D(24), D(26), D("92.31")),
        )
        self.assertEqual(r.band(), "Nhóm A")

    def test_no_survey_means_its_points_leave_the_maximum_too(self):
        a = self.published(survey=None)
        t = compute(a).appraised_total
        self.assertEqual((t.points, t.applicable, t.scaled), (D(88), D(90), D("97.78")))
        self.assertEqual(t.not_applicable, ["3.6", "7.2"])

    def test_ranking_ranks_sent_results_and_lists_who_has_not_sent(self):
        first = self.published()
        second = self.make_assessment(self.set, commune=self.other_commune)
        self.score_all(second)
        services.score_self(
            user=None, assessment=second, criterion=self.c("1.1"), points="1", note="Ban hành muộn."
        )
        services.score_self(
            user=None, assessment=second, criterion=self.c("3.6"), points="4", note="Có bộ phận."
        )
        for action in ("self_assess", "approve", "submit"):
            services.assessment_act(user=None, assessment=second, action=action)
        table = ranking(self.set)
        self.assertEqual(
            [(r.commune.slug, r.rank, r.band, r.provisional) for r in table.rows],
            [
                ("gialoc", 1, "Nhóm A", True),  # 92/94 self-assessed (provisional) = 97,87 %
                ("ducxuong", 2, "Nhóm A", False),  # 94,79 % appraised
            ],
        )
        self.assertEqual(table.rows[0].total.percent, D("97.87"))
        self.assertEqual(table.rows[1].area_points("3"), D(24))
        published = ranking(self.set, published_only=True)
        self.assertEqual(
            [(r.commune.slug, r.rank) for r in published.rows], [("ducxuong", 1), ("gialoc", None)]
        )
        self.assertEqual([r.commune.slug for r in published.not_sent], ["gialoc"])
        self.assertEqual(published.not_sent[0].status_label, "Đã gửi – chờ thẩm định")
        self.assertEqual(ranking(self.set, commune_ids=[self.commune.pk]).rows[0].commune, self.commune)
        self.assertEqual(len(ranking(self.set, commune_ids=[self.commune.pk]).rows), 1)
        self.assertIsNotNone(first)

    def test_equal_results_share_a_rank_and_unsent_communes_are_not_ranked(self):
        self.published()
        self.published(commune=self.other_commune)
        table = ranking(self.set)
        self.assertEqual([r.rank for r in table.rows], [1, 1])

    def test_last_years_result_is_beside_this_years(self):
        old_set = self.make_set(spec=example_spec(), year=2024)
        old = self.make_assessment(old_set)
        self.score_all(old)
        self.assertIsNone(last_year(old))
        a = self.make_assessment(self.set)
        previous = last_year(a)
        self.assertEqual(previous.assessment, old)
        self.assertEqual(previous.self_total.points, D(94))
        self.assertEqual(a.status, Status.DRAFT)
