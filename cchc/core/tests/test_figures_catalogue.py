"""The whole catalogue as the apps declare it: every figure computes for an empty
commune (counts 0, rates "no data"), grouped and single answers agree, and
docs/figures.md is the catalogue."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command

from cchc.core import figures
from cchc.core.figures import Scope, evaluate, evaluate_by_commune
from cchc.testing import BaseTestCase

ROOT = Path(__file__).resolve().parents[3]


def _officials(communes) -> int:
    from cchc.org.models import User
    from cchc.org.roles import COMMUNE_STAFF

    return User.objects.filter(unit__in=communes, role__in=COMMUNE_STAFF, is_active=True).count()


POPULATIONS = {"training.officials": _officials}


class CatalogueTests(BaseTestCase):
    def test_every_figure_computes_for_an_empty_commune(self):
        everything = figures.all_figures()
        self.assertGreaterEqual(len(everything), 30)
        scope = Scope.of(
            commune_ids=[self.commune.pk, self.other_commune.pk],
            date_from=date(2024, 1, 1),
            date_to=date(2024, 12, 31),
        )
        values = evaluate(everything, scope)
        grouped = evaluate_by_commune(everything, scope)
        for fig in everything:
            # Rates and means have nothing to divide: no data. Counts are 0.
            expected = one = None if fig.is_rate or fig.unit == "điểm" else 0
            if fig.key in POPULATIONS:
                # What a commune has without doing anything: its officials.
                expected = POPULATIONS[fig.key]([self.commune, self.other_commune])
                one = POPULATIONS[fig.key]([self.commune])
            if fig.is_rate and fig.denominator is not None and values[fig.denominator]:
                # A denominator the commune has without any activity (its officials,
                # say): nothing done is 0 %, not "no data".
                expected = one = Decimal("0.00")
            self.assertEqual(values[fig], expected, fig)
            self.assertEqual(grouped[self.commune.pk][fig], one, fig)

    def test_rates_name_what_they_divide(self):
        for fig in figures.all_figures():
            if fig.numerator is not None:
                self.assertIs(figures.get(fig.numerator.key), fig.numerator)
                self.assertIs(figures.get(fig.denominator.key), fig.denominator)


def test_docs_figures_md_is_the_catalogue(tmp_path):
    text = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")
    assert text == figures.render_markdown(), "docs/figures.md is stale: run `cchc figures-doc`"
    for fig in figures.all_figures():
        assert f"### `{fig.key}` — {fig.label}" in text
        assert fig.definition in text and fig.source in text
    out = tmp_path / "figures.md"
    call_command("figures_doc", output=str(out))
    assert out.read_text(encoding="utf-8") == text
