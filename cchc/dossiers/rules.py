"""The legal rule sets of the one-stop shop, by effective date (docs/rules.md §4, §5).

Each dossier records the rule set in force on the day it was received, so that a
dossier received under NĐ 61/2018 keeps being read under it after 1/7/2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RuleSet:
    key: str
    effective_from: date
    label: str
    forms_reference: str  # where the printed forms come from

    def __str__(self) -> str:
        return self.label


RULESETS: tuple[RuleSet, ...] = (
    RuleSet(
        "nd61-2018",
        date(2018, 8, 21),
        "NĐ 61/2018/NĐ-CP, NĐ 107/2021/NĐ-CP; TT 01/2018/TT-VPCP",
        "Thông tư 01/2018/TT-VPCP",
    ),
    RuleSet(
        "nd118-2025",
        date(2025, 7, 1),
        "NĐ 118/2025/NĐ-CP; TT 03/2025/TT-VPCP",
        "Thông tư 03/2025/TT-VPCP",
    ),
)
RULESET_CHOICES = [(r.key, r.label) for r in RULESETS]


def ruleset_for(day: date) -> RuleSet:
    """The rule set in force on `day` (the oldest one for days before all of them)."""
    current = RULESETS[0]
    for ruleset in RULESETS:
        if ruleset.effective_from <= day:
            current = ruleset
    return current


def ruleset_by_key(key: str) -> RuleSet:
    for ruleset in RULESETS:
        if ruleset.key == key:
            return ruleset
    raise KeyError(key)
