"""Which figure of the catalogue measures a criterion (docs/par-index.md,
"Criteria computed from data").

Criteria sets name their data in words ("tasks_done_on_time / tasks_planned" in
the example set); the product stores catalogue keys, validated by
`cchc.core.figures.get`. `NAME_BINDINGS` maps the descriptive names used by the
example set (and by any set that reuses them) to catalogue keys: a pair of names
to one rate figure, or each name to a count. A name that is not mapped stays as
the criterion's `data_source`; the commune then enters the numbers with evidence,
and a set manager can bind the criterion on the set's page.

`EXAMPLE_BINDINGS` binds, by code, the example criteria that name no data at all
(their rule is a threshold on a rate the example only describes in words).
"""

from __future__ import annotations

from cchc.core import figures as catalogue

# (numerator name, denominator name) → {"figure": rate key} or
# {"numerator": count key, "denominator": count key}. Only names whose meaning the
# catalogue figure matches are mapped; docs/par-index.md lists the others.
NAME_BINDINGS: dict[tuple[str, str], dict[str, str]] = {
    # Plan tasks completed on time out of the tasks of the year's plan.
    ("tasks_done_on_time", "tasks_planned"): {
        "numerator": "plans.tasks_done_on_time",
        "denominator": "plans.tasks_planned",
    },
    # Periodic reform reports sent by their deadline out of those due.
    ("reports_on_time", "reports_expected"): {"figure": "reports.sent_on_time_rate"},
    # Training under the year's training plan: completions on the planned courses out
    # of the people the plan sends (the training register, docs/registers.md).
    ("trained", "planned"): {
        "numerator": "training.planned_attended",
        "denominator": "training.planned",
    },
}

# Example criterion code → binding, for the example's criteria that name no data, or
# whose named formula the catalogue does not have (the demo uses the nearest figure,
# whose own definition is shown beside every suggestion).
EXAMPLE_BINDINGS: dict[str, dict[str, str]] = {
    # "tthc_public_on_time / tthc_to_publish": the catalogue counts procedures published
    # completely and reviewed out of the whole catalogue (not "on time").
    "3.1": {"figure": "procedures.published_rate"},
    # The example's 3.2 names QĐ 766's "progress": dossiers received in the year that
    # are early or on time, including those still within their due date at the window's
    # end, out of those received — the catalogue's progress rate (not the on-time rate of
    # finished dossiers, the plan's 98–100 % target).
    "3.2": {"figure": "dossiers.progress_rate"},
    # "pakn_on_time / pakn_total": the catalogue's QĐ 766 figure divides by the petitions
    # answered (a petition not answered yet is not late until its deadline).
    "3.4": {"figure": "petitions.on_time_rate"},
    # Satisfaction with procedure handling (QĐ 766), full at 90 %.
    "3.5": {"figure": "satisfaction.procedure_766"},
    # Online share of dossiers received, full at 50 % (QĐ 766).
    "6.1": {"figure": "dossiers.online_rate"},
}


def _known(binding: dict[str, str]) -> bool:
    try:
        for key in binding.values():
            catalogue.get(key)
    except catalogue.UnknownFigure:
        return False
    return True


def resolve_names(numerator: str, denominator: str) -> dict[str, str] | None:
    """The catalogue binding for a set's descriptive numerator/denominator names;
    None when they are not mapped or the mapped figures are not in the catalogue."""
    if catalogue_key_pair(numerator, denominator):
        return {"numerator": numerator, "denominator": denominator}
    binding = NAME_BINDINGS.get((numerator, denominator))
    return dict(binding) if binding and _known(binding) else None


def catalogue_key_pair(numerator: str, denominator: str) -> bool:
    """True when the names are themselves catalogue keys (a set written for this product)."""
    return bool(numerator and denominator) and _known({"n": numerator, "d": denominator})


def example_binding(code: str) -> dict[str, str] | None:
    binding = EXAMPLE_BINDINGS.get(code)
    return dict(binding) if binding and _known(binding) else None
