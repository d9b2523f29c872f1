"""The legal rule sets of the one-stop shop, by effective date (docs/rules.md §4, §5).

Each dossier records the rule set in force on the day it was received, so that a
dossier received under NĐ 61/2018 keeps being read under it after 1/7/2025, and one
received between 1/7/2025 and the day TT 03/2025/TT-VPCP took effect keeps the
forms of TT 01/2018 (the circular then in force) while its deadlines follow NĐ 118.

Forms are identified in the code and in URLs by a stable key — the form's number in
TT 03/2025 ("01" receipt … "07" register); what is printed (number and title)
comes from the circular of the dossier's rule set (`RuleSet.form`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Stable keys of the forms, by purpose (the TT 03/2025 numbering).
RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY, STOP, CONTROL, REGISTER = "01", "02", "03", "04", "05", "06", "07"
FORM_KEYS = (RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY, STOP, CONTROL, REGISTER)


@dataclass(frozen=True)
class FormSpec:
    key: str  # stable key (see above)
    number: str  # the number printed under the circular; "" where it has no such form
    title: str  # the title as the circular writes it

    @property
    def label(self) -> str:
        """How pages name it: "Mẫu 05 – Phiếu kiểm soát…", or the plain title."""
        return f"Mẫu {self.number} – {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Circular:
    reference: str  # "Thông tư 01/2018/TT-VPCP"
    forms: dict[str, FormSpec]


def _forms(*specs: tuple[str, str, str]) -> dict[str, FormSpec]:
    return {key: FormSpec(key, number, title) for key, number, title in specs}


# TT 01/2018/TT-VPCP: six forms; no form for stopping (a plain notice is written).
TT01_2018 = Circular(
    "Thông tư 01/2018/TT-VPCP",
    _forms(
        (RECEIPT, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        (SUPPLEMENT, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        (REFUSAL, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        (APOLOGY, "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        (STOP, "", "Thông báo về việc dừng giải quyết hồ sơ"),
        (CONTROL, "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        (REGISTER, "06", "Sổ theo dõi hồ sơ"),
    ),
)
# TT 03/2025/TT-VPCP, appendix I: seven forms.
TT03_2025 = Circular(
    "Thông tư 03/2025/TT-VPCP",
    _forms(
        (RECEIPT, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        (SUPPLEMENT, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        (REFUSAL, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        (APOLOGY, "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
        (STOP, "05", "Thông báo dừng giải quyết hồ sơ"),
        (CONTROL, "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        (REGISTER, "07", "Sổ theo dõi hồ sơ"),
    ),
)


@dataclass(frozen=True)
class RuleSet:
    key: str
    effective_from: date
    label: str
    decree: str  # the decree whose deadlines and flow apply
    circular: Circular  # the circular whose forms are printed

    def __str__(self) -> str:
        return self.label

    @property
    def forms_reference(self) -> str:
        return self.circular.reference

    def form(self, key: str) -> FormSpec:
        return self.circular.forms[key]


RULESETS: tuple[RuleSet, ...] = (
    RuleSet(
        "nd61-2018",
        date(2018, 8, 21),
        "NĐ 61/2018/NĐ-CP, NĐ 107/2021/NĐ-CP; TT 01/2018/TT-VPCP",
        "Nghị định 61/2018/NĐ-CP",
        TT01_2018,
    ),
    # NĐ 118/2025 took effect on 1/7/2025, its guiding circular only on 15/9/2025:
    # in between, deadlines follow NĐ 118 and the forms are still TT 01/2018's.
    RuleSet(
        "nd118-2025",
        date(2025, 7, 1),
        "NĐ 118/2025/NĐ-CP; biểu mẫu TT 01/2018/TT-VPCP (trước khi TT 03/2025/TT-VPCP có hiệu lực)",
        "Nghị định 118/2025/NĐ-CP",
        TT01_2018,
    ),
    # TT 03/2025/TT-VPCP: signed and in force on 15/9/2025 (how this was
    # established: docs/rules.md §5).
    RuleSet(
        "nd118-tt03-2025",
        date(2025, 9, 15),
        "NĐ 118/2025/NĐ-CP; TT 03/2025/TT-VPCP",
        "Nghị định 118/2025/NĐ-CP",
        TT03_2025,
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
