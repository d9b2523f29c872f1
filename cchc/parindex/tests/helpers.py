"""Builders for the PAR-index tests: the example set imported for the test province,
test figures in the catalogue (values set per commune by each test), assessments."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cchc.core import figures as catalogue
from cchc.core.figures import Figure, Scope, percent
from cchc.parindex import criteria_io, services
from cchc.parindex.models import Assessment, CriteriaSet
from cchc.testing import BaseTestCase

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example_criteria.json"
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"

# Values the test figures return, per commune id; the scopes they were asked for.
VALUES: dict[int, dict[str, int | None]] = {}
ASKED: list[Scope] = []


@dataclass
class Counts:
    on_time: int | None
    received: int | None
    online: int | None
    violations: int | None


def _provider(scope: Scope) -> Counts:
    ASKED.append(scope)
    v = VALUES.get(scope.commune_ids[0], {})
    return Counts(v.get("on_time"), v.get("received"), v.get("online"), v.get("violations"))


ON_TIME = Figure(
    "test_par.on_time", "Hồ sơ đúng hạn (thử)", "hồ sơ", "thử", "thử", _provider, pick=lambda c: c.on_time
)
RECEIVED = Figure(
    "test_par.received", "Hồ sơ tiếp nhận (thử)", "hồ sơ", "thử", "thử", _provider, pick=lambda c: c.received
)
ON_TIME_RATE = Figure(
    "test_par.on_time_rate",
    "Tỷ lệ đúng hạn (thử)",
    "%",
    "thử",
    "thử",
    _provider,
    pick=lambda c: percent(c.on_time, c.received),
    numerator=ON_TIME,
    denominator=RECEIVED,
)
# A rate without declared counts: only its rounded value is known.
ONLINE_SHARE = Figure(
    "test_par.online_share",
    "Tỷ lệ trực tuyến (thử)",
    "%",
    "thử",
    "thử",
    _provider,
    pick=lambda c: None if c.online is None else Decimal(c.online),
)
VIOLATIONS = Figure(
    "test_par.violations", "Số vi phạm (thử)", "lần", "thử", "thử", _provider, pick=lambda c: c.violations
)
TEST_FIGURES = (ON_TIME, RECEIVED, ON_TIME_RATE, ONLINE_SHARE, VIOLATIONS)


def pdf(name: str = "minh-chung.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def example_spec(**changes) -> criteria_io.SetSpec:
    spec = criteria_io.read_json(EXAMPLE.read_bytes())
    for name, value in changes.items():
        setattr(spec, name, value)
    return spec


def example_data() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


class ParTestCase(BaseTestCase):
    """The test province (`self.province`) with two communes; test figures registered."""

    @classmethod
    def setUpClass(cls):
        cls._media = tempfile.mkdtemp(prefix="cchc-par-")
        cls._override = override_settings(MEDIA_ROOT=cls._media)
        cls._override.enable()
        for figure in TEST_FIGURES:
            catalogue.register(figure)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        for figure in TEST_FIGURES:
            catalogue._REGISTRY.pop(figure.key, None)
        cls._override.disable()
        shutil.rmtree(cls._media, ignore_errors=True)

    def setUp(self):
        VALUES.clear()
        ASKED.clear()

    def make_set(
        self,
        *,
        spec: criteria_io.SetSpec | None = None,
        year: int = 2025,
        open_it: bool = True,
        bind: bool = True,
    ) -> CriteriaSet:
        result = services.criteria_set_import(
            user=None,
            owner=self.province,
            year=year,
            spec=spec or example_spec(),
            source_name="example_criteria.json",
        )
        criteria_set = result.criteria_set
        if bind:
            # The example's 3.2 (dossiers on time) and 6.1 (online share, full at 50 %)
            # bound to the test figures; 4.3 (discipline) to the test violations count.
            for code, fields in (
                ("3.2", {"figure": ON_TIME_RATE.key}),
                ("6.1", {"figure": ONLINE_SHARE.key}),
                ("4.3", {"figure": VIOLATIONS.key}),
            ):
                criterion = criteria_set.criteria.get(code=code)
                services.criterion_update(user=None, criterion=criterion, **fields)
        if open_it:
            services.criteria_set_open(user=None, criteria_set=criteria_set)
        criteria_set.refresh_from_db()
        return criteria_set

    def make_assessment(self, criteria_set: CriteriaSet, commune=None) -> Assessment:
        commune = commune or self.commune
        user = self.vanphong if commune == self.commune else None
        return services.assessment_create(user=user, commune=commune, criteria_set=criteria_set)

    def score_all(self, assessment: Assessment, *, user=None, note: str = "Thuyết minh kèm số liệu.") -> None:
        """Self-score every criterion at its maximum (survey excepted)."""
        for score in assessment.scores.select_related("criterion"):
            c = score.criterion
            if c.rule_kind == "survey":
                continue
            if c.rule_obj.is_computed:
                if c.rule_kind == "deduction":
                    services.score_self(
                        user=user,
                        assessment=assessment,
                        criterion=c,
                        numerator=0,
                        reason="Số liệu của xã.",
                        note=note,
                    )
                else:
                    services.score_self(
                        user=user,
                        assessment=assessment,
                        criterion=c,
                        numerator=1,
                        denominator=1,
                        reason="Số liệu của xã.",
                        note=note,
                    )
            else:
                services.score_self(
                    user=user, assessment=assessment, criterion=c, points=c.max_points, note=note
                )
