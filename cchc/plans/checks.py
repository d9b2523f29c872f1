"""Year consistency of a plan's texts, and the year shift used by roll-over.

A plan for year P may legitimately mention other years: legal documents
("Nghị định số 62/2020/NĐ-CP ngày 01 tháng 6 năm 2020", "Luật Ngân sách nhà nước
năm 2015", "TCVN ISO 9001:2015"), programme periods that contain P ("giai đoạn
2021-2025"), and the second half of December of P-1 (data cut-off windows start
on 15/12 of the previous year, NĐ 09/2019 art. 12; the superior's plan that this
one implements is dated late in the previous year). Any other year is a slip —
the seed plan for 2024 says "năm 2022", "năm 2023" and "năm2023" — and is listed
with where it is, the text around it and why it does not fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

YEAR = r"(?:19|20)\d{2}"
_YEAR_RE = re.compile(rf"(?<!\d)({YEAR})(?!\d)")
_RANGE_RE = re.compile(rf"(?<!\d)({YEAR})\s*(?:-|–|—|đến(?:\s+năm)?)\s*({YEAR})(?!\d)")
# "108/2020/NĐ- CP", "117/2013-NĐ-CP": a year inside a document number.
_DOC_NUMBER_BEFORE = re.compile(r"\d+\s*/\s*$")
_DOC_NUMBER_AFTER = re.compile(r"^\s*[/-]\s*[A-ZĐ]")
# The tail of a document number right before "ngày": "62/2020/NĐ-CP ", "19-NQ/TW ",
# "1847/QĐ-TTg ", "152/KH-UBND ".
_DOC_TAIL = re.compile(
    r"\d+\s*[/-]\s*(?:(?:19|20)\d{2}\s*[/-]\s*)?[A-ZĐ][\wĐđ]*(?:\s*[-/]\s*[A-ZĐ][\wĐđ]*)*[\s,]*$"
)
_NUMERIC_DATE_BEFORE = re.compile(r"(?:(ngày)\s*)?(?<!\d)(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*$")
_WORDED_DATE_BEFORE = re.compile(r"(ngày)\s*(\d{1,2})\s+tháng\s*(\d{1,2})\s+năm\s*$")
_PERIOD_BEFORE = re.compile(r"(?:[Qq]uý\s*[IVX]+|tháng\s*\d{1,2})\s*/\s*$")
_LAW_BEFORE = re.compile(r"Luật\b[^.;:\n]{0,80}?năm\s*$")
_STANDARD_BEFORE = re.compile(r"(?:ISO|TCVN)\s*\d+\s*:\s*$")


class Kind(StrEnum):
    PLAN_YEAR = "plan_year"  # the plan's own year (shifted on roll-over)
    PLAN_DATE = "plan_date"  # a date within the plan year (shifted)
    PREV_YEAR_END = "prev_year_end"  # 15–31/12 of the previous year (shifted)
    DOC_NUMBER = "doc_number"
    DOC_DATE = "doc_date"
    LAW = "law"
    STANDARD = "standard"
    RANGE = "range"
    MISFIT = "misfit"


SHIFTED = {Kind.PLAN_YEAR, Kind.PLAN_DATE, Kind.PREV_YEAR_END}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    year: int
    kind: Kind
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.kind != Kind.MISFIT


@dataclass(frozen=True)
class Problem:
    location: str
    snippet: str
    year: int
    reason: str

    def as_dict(self) -> dict:
        return {"location": self.location, "snippet": self.snippet, "year": self.year, "reason": self.reason}


def _doc_before(text: str, date_start: int) -> bool:
    return bool(_DOC_TAIL.search(text[max(0, date_start - 60) : date_start]))


def _classify_date(text: str, start: int, day: int, month: int, year: int, plan_year: int) -> Kind | None:
    if year == plan_year - 1 and month == 12 and day >= 15:
        return Kind.PREV_YEAR_END
    if _doc_before(text, start):
        return Kind.DOC_DATE
    if year == plan_year:
        return Kind.PLAN_DATE
    return None


def find_mentions(text: str, plan_year: int) -> list[Mention]:
    """Every four-digit year in `text`, classified against `plan_year`."""
    mentions: list[Mention] = []
    covered: list[tuple[int, int]] = []
    for m in _RANGE_RE.finditer(text):
        first, last = int(m.group(1)), int(m.group(2))
        covered.append(m.span())
        if first <= plan_year <= last:
            mentions.append(Mention(m.start(), m.end(), first, Kind.RANGE))
        else:
            mentions.append(
                Mention(
                    m.start(),
                    m.end(),
                    first if plan_year < first else last,
                    Kind.MISFIT,
                    f"giai đoạn {first}–{last} không bao gồm năm kế hoạch {plan_year}",
                )
            )
    for m in _YEAR_RE.finditer(text):
        if any(a <= m.start() < b for a, b in covered):
            continue
        year = int(m.group(1))
        before, after = text[max(0, m.start() - 120) : m.start()], text[m.end() : m.end() + 12]
        kind: Kind | None = None
        reason = ""
        if _DOC_NUMBER_BEFORE.search(before) and _DOC_NUMBER_AFTER.search(after):
            kind = Kind.DOC_NUMBER
        elif d := (_NUMERIC_DATE_BEFORE.search(before) or _WORDED_DATE_BEFORE.search(before)):
            date_start = m.start() - (len(before) - d.start())
            day, month = int(d.group(2)), int(d.group(3))
            if not (1 <= month <= 12 and 1 <= day <= 31):
                kind, reason = Kind.MISFIT, f"ngày {day}/{month}/{year} không có thật"
            else:
                kind = _classify_date(text, date_start, day, month, year, plan_year)
                if kind is None:
                    reason = f"ngày {day:02d}/{month:02d}/{year} nằm ngoài năm kế hoạch {plan_year}" + (
                        " (và không phải ngày của văn bản được viện dẫn)" if year < plan_year else ""
                    )
                    kind = Kind.MISFIT
        elif _LAW_BEFORE.search(before):
            kind = Kind.LAW
        elif _STANDARD_BEFORE.search(before):
            kind = Kind.STANDARD
        elif year == plan_year:
            kind = Kind.PLAN_YEAR
        else:
            kind = Kind.MISFIT
            if _PERIOD_BEFORE.search(before):
                reason = f"kỳ báo cáo của năm {year}, không phải năm kế hoạch {plan_year}"
            elif year < plan_year:
                reason = f"nhắc năm {year} (năm trước) trong kế hoạch năm {plan_year}"
            else:
                reason = f"nhắc năm {year} (năm sau) trong kế hoạch năm {plan_year}"
        mentions.append(Mention(m.start(), m.end(), year, kind, reason))
    mentions.sort(key=lambda x: x.start)
    return mentions


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    core = re.sub(r"\s+", " ", text[left:right]).strip()
    return ("…" if left > 0 else "") + core + ("…" if right < len(text) else "")


def check_text(text: str, plan_year: int, location: str) -> list[Problem]:
    return [
        Problem(location, _snippet(text, m.start, m.end), m.year, m.reason)
        for m in find_mentions(text or "", plan_year)
        if not m.ok
    ]


def shift_years(text: str, plan_year: int, by: int = 1) -> str:
    """`text` with the plan year's mentions (and its late-December-of-previous-year
    dates) moved by `by` years. Legal documents, laws, standards and programme
    periods are left as they are; slips are left for the check to show."""
    if not text:
        return text
    out = text
    for m in sorted(find_mentions(text, plan_year), key=lambda x: x.start, reverse=True):
        if m.kind in SHIFTED:
            out = out[: m.start] + str(m.year + by) + out[m.end :]
    return out


def shift_date(value: date | None, by: int = 1) -> date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + by)
    except ValueError:  # 29 February
        return value.replace(year=value.year + by, day=28)


# --- whole plans --------------------------------------------------------------
PLAN_TEXT_FIELDS = [
    ("title", "Trích yếu"),
    ("basis", "Phần mở đầu (căn cứ)"),
    ("purpose", "I.1. Mục đích"),
    ("requirements", "I.2. Yêu cầu"),
    ("reporting", "III. Chế độ báo cáo"),
    ("budget", "IV. Kinh phí"),
    ("responsibilities", "V. Tổ chức thực hiện"),
    ("closing", "Đoạn kết"),
    ("recipients", "Nơi nhận"),
]


def check_plan(plan) -> list[Problem]:
    """Every year mention in the plan that does not fit its year, in document order,
    plus task time frames that fall outside the year."""
    year = plan.year
    problems: list[Problem] = []
    for name, label in PLAN_TEXT_FIELDS[:4]:
        problems += check_text(getattr(plan, name), year, label)
    for number, area in enumerate(plan.areas.all(), start=1):
        where = f"II.{number}. {area.title}"
        problems += check_text(area.title, year, where)
        problems += check_text(area.intro, year, where)
        for task in area.tasks.all():
            twhere = f"II.{number}, nhiệm vụ {task.letter})"
            for text in (task.title, task.content, task.output):
                problems += check_text(text, year, twhere)
            for label, value in (("bắt đầu", task.start_date), ("kết thúc/hạn", task.end_date)):
                if (
                    value
                    and value.year != year
                    and not (label == "bắt đầu" and value >= date(year - 1, 12, 15))
                ):
                    problems.append(
                        Problem(
                            twhere,
                            f"Ngày {label}: {value:%d/%m/%Y}",
                            value.year,
                            f"thời gian thực hiện nằm ngoài năm kế hoạch {year}",
                        )
                    )
    for name, label in PLAN_TEXT_FIELDS[4:]:
        problems += check_text(getattr(plan, name), year, label)
    return problems
