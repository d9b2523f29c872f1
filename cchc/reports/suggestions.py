"""The figures a section's "insert a figure" picker offers first, by the reform area
the section reports on (the whole catalogue follows). Keys are listed, not looked up
by guess: `suggested()` keeps only those the catalogue knows, so a register that is
not installed simply offers nothing here. Figures by plain import where the app
declares them; docs/registers.md lists which register serves which area."""

from __future__ import annotations

from cchc.core import figures
from cchc.core.figures import Figure
from cchc.registers.communication import figures as communication
from cchc.registers.inspections import figures as inspections
from cchc.registers.legal import figures as legal
from cchc.registers.reviews import figures as procedure_reviews
from cchc.registers.spending import figures as spending
from cchc.registers.training import figures as training

AREA_FIGURES: dict[str, list[Figure]] = {
    "direction": [
        inspections.PLANNED,
        inspections.PLANNED_DONE,
        inspections.PLAN_RATE,
        inspections.DONE,
        inspections.RECOMMENDATIONS,
        inspections.ON_TIME_RATE,
        communication.ITEMS,
        communication.NEWS,
        communication.RADIO,
        communication.RADIO_MINUTES,
        communication.CONFERENCES,
    ],
    "institutions": legal.FIGURES,
    "procedures": procedure_reviews.FIGURES,
    "civil_service": [
        training.TRAINED,
        training.TRAINED_SHARE,
        training.CCHC_SHARE,
        training.DIGITAL_SHARE,
        training.COURSES,
        training.ATTENDANCES,
        training.PLAN_RATE,
    ],
    "public_finance": spending.FIGURES,
    "digital": [training.TRAINED_DIGITAL, training.DIGITAL_SHARE, communication.SOCIAL],
}


def suggested(section) -> list[Figure]:
    """The figures offered first for `section` (none for a section without an area)."""
    area = getattr(section, "area", None)
    kind = area.kind if area is not None else ""
    out = []
    for figure in AREA_FIGURES.get(kind, []):
        try:
            out.append(figures.get(figure.key))
        except figures.UnknownFigure:
            continue
    return out
