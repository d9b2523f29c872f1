"""A set that any commune has submitted against never changes: corrections are new
versions, and every assessment keeps the version it used."""

from datetime import date

from django.core.exceptions import ValidationError

from cchc.core.workflow import Conflict
from cchc.parindex import services
from cchc.parindex.models import SetStatus

from .helpers import ParTestCase, example_spec


class VersionTests(ParTestCase):
    def setUp(self):
        super().setUp()
        self.set = self.make_set()
        self.a = self.make_assessment(self.set)
        self.score_all(self.a)

    def submit(self, a):
        for action in ("self_assess", "approve", "submit"):
            services.assessment_act(user=None, assessment=a, action=action)

    def test_before_any_submission_the_set_may_be_corrected_in_place(self):
        c = self.set.criteria.get(code="1.1")
        services.criterion_update(
            user=self.captren, criterion=c, title="Ban hành kế hoạch CCHC năm đúng hạn (trước 31/12)"
        )
        # The tree is validated as a whole: a maximum that breaks the sums is refused.
        with self.assertRaisesMessage(
            ValidationError, "tổng điểm tối đa các tiêu chí con 13 khác điểm tối đa 12"
        ):
            services.criterion_update(user=self.captren, criterion=c, max_points="4")
        c.refresh_from_db()
        self.assertEqual(str(c.max_points), "3.00")

    def test_a_submitted_set_refuses_every_edit_but_its_deadlines(self):
        self.submit(self.a)
        self.set.refresh_from_db()
        self.assertIsNotNone(self.set.locked_at)
        c = self.set.criteria.get(code="1.1")
        with self.assertRaisesMessage(Conflict, "không sửa được nữa"):
            services.criterion_update(user=self.captren, criterion=c, title="Sửa sau khi đã gửi")
        with self.assertRaises(Conflict):
            services.criteria_set_replace(user=self.captren, criteria_set=self.set, spec=example_spec())
        with self.assertRaises(Conflict):
            services.criteria_set_update(user=self.captren, criteria_set=self.set, title="Tên mới")
        services.criteria_set_update(user=self.captren, criteria_set=self.set, submit_due=date(2025, 12, 31))
        c.refresh_from_db()
        self.assertEqual(c.title, "Ban hành kế hoạch CCHC năm đúng thời hạn")
        # The correction: a new version, editable, opened for those who have not submitted.
        v2 = services.criteria_set_new_version(user=self.captren, criteria_set=self.set)
        self.assertEqual((v2.version, v2.status, v2.locked_at), (2, SetStatus.DRAFT, None))
        self.assertEqual(v2.criteria.count(), self.set.criteria.count())
        services.criterion_update(
            user=self.captren,
            criterion=v2.criteria.get(code="1.1"),
            title="Ban hành kế hoạch đúng hạn (đính chính)",
        )
        services.criteria_set_open(user=self.captren, criteria_set=v2)
        self.set.refresh_from_db()
        self.assertEqual(self.set.status, SetStatus.SUPERSEDED)
        self.a.refresh_from_db()
        self.assertEqual(self.a.criteria_set_id, self.set.pk)

    def test_a_draft_on_a_corrected_set_moves_to_the_new_version_keeping_its_scores(self):
        other = self.make_assessment(self.set, commune=self.other_commune)
        services.score_self(
            user=None,
            assessment=other,
            criterion=self.set.criteria.get(code="1.1"),
            points="2",
            note="Đã ban hành.",
        )
        self.submit(self.a)
        v2 = services.criteria_set_new_version(user=None, criteria_set=self.set)
        services.criteria_set_open(user=None, criteria_set=v2)
        with self.assertRaisesMessage(Conflict, "phiên bản đính chính"):
            self.score_all(other)
            for action in ("self_assess", "approve", "submit"):
                services.assessment_act(user=None, assessment=other, action=action)
        other.refresh_from_db()
        services.assessment_act(user=None, assessment=other, action="return", note="Chuyển phiên bản.")
        services.assessment_switch_version(user=None, assessment=other)
        other.refresh_from_db()
        self.assertEqual(other.criteria_set_id, v2.pk)
        self.assertEqual(str(other.scores.get(criterion__code="1.1").self_points), "3.00")
        self.assertEqual(other.scores.count(), 24)
        self.assertTrue(
            other.events.filter(action="switch_version", note="Từ phiên bản 1 sang phiên bản 2.").exists()
        )
