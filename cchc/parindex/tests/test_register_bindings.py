"""Criteria bound to the registers' figures (docs/registers.md): the example's
training criterion binds itself by name, and any criterion can be bound to a
register's rate or to its counts; the suggested score then comes from the register."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cchc.core import figures as catalogue
from cchc.parindex import bindings, services
from cchc.registers.legal import figures as legal_figures
from cchc.registers.training import services as training

from .helpers import ParTestCase


class RegisterBindingTests(ParTestCase):
    def test_every_register_figure_is_a_bindable_catalogue_key(self):
        prefixes = (
            "legal.",
            "inspections.",
            "procedure_reviews.",
            "training.",
            "communication.",
            "spending.",
        )
        keys = [f.key for f in catalogue.all_figures() if f.key.startswith(prefixes)]
        assert len(keys) >= 50
        rate_choices = dict(services.figure_choices("ratio_capped"))
        count_choices = dict(services.figure_choices("deduction"))
        for key in keys:
            figure = catalogue.get(key)
            assert key in (rate_choices if figure.is_rate else count_choices), key
            if figure.is_rate:
                assert figure.numerator is not None and figure.denominator is not None, key
        assert bindings.resolve_names("trained", "planned") == {
            "numerator": "training.planned_attended",
            "denominator": "training.planned",
        }

    def test_the_training_criterion_scores_from_the_register(self):
        criteria_set = self.make_set(year=2024)
        training_criterion = criteria_set.criteria.get(code="4.2")
        assert (training_criterion.numerator_figure, training_criterion.denominator_figure) == (
            "training.planned_attended",
            "training.planned",
        )
        course = training.course_save(
            user=None,
            commune=self.commune,
            title="Bồi dưỡng CCHC",
            subjects=["cchc"],
            starts_on=date(2024, 4, 16),
            planned_participants=4,
        )
        for person in (self.tuphap, self.motcua, self.diachinh):
            training.attendance_save(user=None, course=course, official=person)
        assessment = self.make_assessment(criteria_set)
        suggestion = services.suggestions_for(assessment)[training_criterion.pk]
        assert (suggestion.numerator, suggestion.denominator) == (3, 4)
        max_points = training_criterion.max_points
        assert suggestion.points == (max_points * Decimal(3) / Decimal(4)).quantize(Decimal("0.01"))

    def test_a_criterion_can_be_bound_to_a_register_rate(self):
        criteria_set = self.make_set(year=2024, open_it=False)
        criterion = criteria_set.criteria.get(code="2.1")
        services.criterion_update(
            user=None,
            criterion=criterion,
            rule_kind="ratio",
            rule={"when_none": "full"},
            figure=legal_figures.HANDLED_RATE.key,
        )
        criterion.refresh_from_db()
        assert criterion.figure == "legal.handled_rate"
