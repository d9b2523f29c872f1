"""What a plan's words mean: which department a name stands for, which dates a timing
text gives, which figure a target measures, how much money a budget text says.

Every matcher keeps the text it read; a name that matches no department (or more
than one) is returned unmatched and flagged, never dropped.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cchc.core.figures import Figure
from cchc.core.text import search_key
from cchc.dossiers import figures as dossier_figures
from cchc.petitions import figures as petition_figures
from cchc.procedures import figures as procedure_figures
from cchc.satisfaction import figures as satisfaction_figures

from .. import figures as plan_figures

# --- departments ----------------------------------------------------------------
# Abbreviations in department names, expanded before comparing (search keys).
DEPT_ABBREVIATIONS = {
    "vp": "van phong",
    "hdnd": "hoi dong nhan dan",
    "ubnd": "uy ban nhan dan",
    "du": "dang uy",
    "nv": "noi vu",
    "tp": "tu phap",
    "ht": "ho tich",
    "tc": "tai chinh",
    "kt": "ke toan",
    "ns": "ngan sach",
    "vh": "van hoa",
    "xh": "xa hoi",
    "tt": "thong tin",
    "dc": "dia chinh",
    "xd": "xay dung",
    "mt": "moi truong",
    "ldtbxh": "lao dong thuong binh xa hoi",
    "vhxh": "van hoa xa hoi",
    "vhtt": "van hoa thong tin",
    "tpht": "tu phap ho tich",
    "tckt": "tai chinh ke toan",
    "dcxd": "dia chinh xay dung",
}
# Words that say nothing about which department is meant.
_FILLER = {"bo", "phan", "cong", "chuc", "xa", "phuong", "thi", "tran", "cua", "va"}
_FILLER_PHRASES = ("cong chuc", "bo phan", "can bo")
# Mentions that are not a department but are fine to keep as text ("coordinating other").
GENERIC = re.compile(
    r"^(cac|nhung)\s+(bo phan|ban|nganh|don vi|co quan|to chuc|doan the|cong chuc)|"
    r"^(ubmttq|mat tran|doan the|cac doan the|hoi |doan |cong an|quan su|truong |tram |thon|ban ngành)|"
    r"^ubnd (huyen|tinh|thanh pho)|^phong |^so "
)


def dept_tokens(name: str) -> list[str]:
    key = search_key(name)
    key = re.sub(r"[^a-z0-9 ]+", " ", key)
    words = []
    for word in key.split():
        words.extend(DEPT_ABBREVIATIONS.get(word, word).split())
    text = " ".join(words)
    for phrase in _FILLER_PHRASES:
        text = text.replace(phrase, " ")
    return [w for w in text.split() if w not in _FILLER]


@dataclass
class DeptMatch:
    text: str
    department_id: int | None = None
    department_name: str = ""
    status: str = "unknown"  # matched | ambiguous | unknown | generic

    @property
    def matched(self) -> bool:
        return self.department_id is not None

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "department_id": self.department_id,
            "department_name": self.department_name,
            "status": self.status,
        }


class DepartmentMatcher:
    """Matches names to the commune's departments, ignoring diacritics, dashes,
    abbreviations (VP, HĐND, UBND, TP-HT…) and filler words (bộ phận, công chức, xã)."""

    def __init__(self, departments) -> None:
        self.departments = [(d.pk, d.name, set(dept_tokens(d.name))) for d in departments]

    def match(self, text: str) -> DeptMatch:
        text = text.strip(" .;,:-–")
        tokens = set(dept_tokens(text))
        if not tokens:
            return DeptMatch(text, status="unknown")
        scored = []
        for pk, name, dtokens in self.departments:
            if not dtokens:
                continue
            inside = len(tokens & dtokens) / len(tokens)
            covered = len(tokens & dtokens) / len(dtokens)
            scored.append((inside, covered, pk, name))
        scored.sort(reverse=True)
        if scored and scored[0][0] >= 0.75:
            top = scored[0]
            rivals = [s for s in scored[1:] if s[0] == top[0]]
            if rivals:
                return DeptMatch(text, status="ambiguous")
            return DeptMatch(text, top[2], top[3], "matched")
        if GENERIC.search(search_key(text)):
            return DeptMatch(text, status="generic")
        return DeptMatch(text, status="unknown")

    def match_list(self, text: str) -> list[DeptMatch]:
        """Every name of a list such as "VP HĐND-UBND, Tư pháp – Hộ tịch và các bộ phận liên quan"."""
        parts = re.split(r"[;,\n]|\s+và\s+|\s*\+\s*", text or "")
        return [self.match(p) for p in parts if p.strip(" .;,:-–")]


# --- timing ---------------------------------------------------------------------
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = re.compile(r"\bquy\s*(iv|iii|ii|i|[1-4])\b")
_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*((?:19|20)\d{2}))?(?!\d)")
_WORD_DATE = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})(?:\s*nam\s*((?:19|20)\d{2}))?")
_MONTH = re.compile(r"\bthang\s*(\d{1,2})(?:\s*(?:/|nam)\s*((?:19|20)\d{2}))?")
_MONTH_RANGE = re.compile(r"\b(?:tu\s*)?thang\s*(\d{1,2})\s*(?:-|den|–)\s*(?:thang\s*)?(\d{1,2})\b")


@dataclass
class TimeGuess:
    text: str
    time_frame: str = "range"
    start_date: date | None = None
    end_date: date | None = None
    recurrence: str = ""
    recurrence_day: int | None = None
    understood: bool = True
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "time_frame": self.time_frame,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "recurrence": self.recurrence,
            "recurrence_day": self.recurrence_day,
            "understood": self.understood,
            "note": self.note,
        }


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return None
    return date(year, month, day)


def _quarter(n: int, year: int) -> tuple[date, date]:
    first = 3 * (n - 1) + 1
    return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])


def parse_time(text: str, year: int) -> TimeGuess:
    """Dates from a plan's timing text; the text is always kept. Unstated: the whole year."""
    raw = (text or "").strip()
    key = search_key(raw)
    year_range = dict(time_frame="range", start_date=date(year, 1, 1), end_date=date(year, 12, 31))
    if not key:
        return TimeGuess(raw, **year_range, note="Không ghi thời gian: tạm để cả năm.")
    recurrence = ""
    if re.search(r"\b(hang|moi)\s*thang\b", key):
        recurrence = "monthly"
    elif re.search(r"\b(hang|moi)\s*quy\b|\btheo quy\b", key):
        recurrence = "quarterly"
    elif re.search(r"\b6\s*thang\s*(mot lan|/\s*lan)\b|\bhang\s*6\s*thang\b|\bdinh ky 6 thang\b", key):
        recurrence = "half_yearly"
    elif re.search(r"\bhang\s*nam\b|\bdinh ky hang nam\b", key) and not re.search(r"\bca\s*nam\b", key):
        recurrence = "yearly"
    if recurrence:
        day = None
        m = re.search(r"truoc\s*ngay\s*(\d{1,2})\b", key)
        if m and 2 <= int(m.group(1)) <= 31:
            day = int(m.group(1)) - 1  # "trước ngày 16" → due on the 15th
        return TimeGuess(raw, "recurring", date(year, 1, 1), date(year, 12, 31), recurrence, day)
    m = _MONTH_RANGE.search(key)
    if m and 1 <= int(m.group(1)) <= int(m.group(2)) <= 12:
        first, last = int(m.group(1)), int(m.group(2))
        return TimeGuess(
            raw, "range", date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
        )
    # An explicit range of dates: "từ 01/3 đến 30/6", "01/03/2024 – 13/12/2024".
    dates = []
    for m in _DATE.finditer(key):
        d = _safe_date(int(m.group(3) or year), int(m.group(2)), int(m.group(1)))
        if d:
            dates.append(d)
    for m in _WORD_DATE.finditer(key):
        d = _safe_date(int(m.group(3) or year), int(m.group(2)), int(m.group(1)))
        if d:
            dates.append(d)
    if len(dates) >= 2 and dates[0] <= dates[-1]:
        return TimeGuess(raw, "range", dates[0], dates[-1])
    if len(dates) == 1:
        return TimeGuess(raw, "deadline", None, dates[0])
    quarters = [int(_ROMAN.get(q, q)) for q in _QUARTER.findall(key)]
    if quarters:
        lo, hi = min(quarters), max(quarters)
        if re.search(r"\bquy\s*(iv|iii|ii|i|[1-4])\s*(,|va|-|den)\s*(iv|iii|ii|i|[1-4])\b", key):
            more = re.findall(r"(?:,|va|-|den)\s*(iv|iii|ii|i|[1-4])\b", key)
            hi = max([hi, *[int(_ROMAN.get(q, q)) for q in more]])
        start, _ = _quarter(lo, year)
        _, end = _quarter(hi, year)
        if re.search(r"\b(truoc|trong|hoan thanh trong)\b", key) and lo == hi and "truoc" in key:
            return TimeGuess(raw, "deadline", None, end)
        return TimeGuess(raw, "range", start, end)
    if re.search(r"\b6\s*thang\s*dau\s*nam\b", key):
        return TimeGuess(raw, "range", date(year, 1, 1), date(year, 6, 30))
    if re.search(r"\b6\s*thang\s*cuoi\s*nam\b", key):
        return TimeGuess(raw, "range", date(year, 7, 1), date(year, 12, 31))
    m = _MONTH.search(key)
    if m and 1 <= int(m.group(1)) <= 12:
        month, y = int(m.group(1)), int(m.group(2) or year)
        end = date(y, month, calendar.monthrange(y, month)[1])
        if "truoc" in key:
            return TimeGuess(raw, "deadline", None, end)
        return TimeGuess(raw, "range", date(y, month, 1), end)
    if re.search(
        r"\bca\s*nam\b|\bthuong xuyen\b|\btrong\s*nam\b|\bnam\s*(19|20)\d{2}\b|\bhang ngay\b|\blien tuc\b",
        key,
    ):
        return TimeGuess(raw, **year_range)
    if re.search(r"\bdau\s*nam\b", key):
        return TimeGuess(raw, "range", date(year, 1, 1), date(year, 3, 31))
    if re.search(r"\bcuoi\s*nam\b", key):
        return TimeGuess(raw, "range", date(year, 10, 1), date(year, 12, 31))
    return TimeGuess(
        raw, **year_range, understood=False, note="Chưa hiểu thời gian này: tạm để cả năm, cần xem lại."
    )


# --- targets --------------------------------------------------------------------
# Phrase pattern (search keys) → the catalogue figure the plan target is measured by
# (docs/figures.md); the task stores the figure's key. The first pattern that
# matches the sentence wins.
TARGET_PHRASES: list[tuple[re.Pattern, Figure]] = [
    (re.compile(r"hai long"), satisfaction_figures.RATE),
    (re.compile(r"cong khai.*(tthc|thu tuc)|(tthc|thu tuc).*cong khai"), procedure_figures.PUBLISHED_RATE),
    (
        re.compile(r"ho so.*(dung han|truoc han|tra ket qua)|(dung han|truoc han).*ho so"),
        dossier_figures.ON_TIME_RATE,
    ),
    (re.compile(r"ho so.*truc tuyen|truc tuyen.*ho so|nop truc tuyen"), dossier_figures.ONLINE_RATE),
    (re.compile(r"(dich vu cong|cung cap|tthc|thu tuc).*truc tuyen"), procedure_figures.ONLINE_RATE),
    (re.compile(r"phan anh"), petition_figures.ON_TIME_RATE),
    (re.compile(r"nhiem vu.*hoan thanh|hoan thanh.*nhiem vu"), plan_figures.TASKS_DONE_RATE),
]
_NUM = r"(\d{1,3}(?:[.,]\d{1,2})?)"
_PERCENT_RANGE = re.compile(rf"(?:tu\s*)?{_NUM}\s*%?\s*(?:-|–|den)\s*{_NUM}\s*%")
_PERCENT = re.compile(
    rf"(≥|>=|≤|<=|tren|duoi|it nhat|toi thieu|toi da|khong qua|dat|tu)?\s*{_NUM}\s*%(\s*tro\s*len)?"
)


@dataclass
class Target:
    text: str
    comparison: str
    value: Decimal
    unit: str = "%"
    metric: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "comparison": self.comparison,
            "value": str(self.value),
            "unit": self.unit,
            "metric": self.metric,
            "note": self.note,
        }


def _fold(text: str) -> str:
    """Lower case without marks, đ → d, one output character per input character."""
    out = []
    for ch in text:
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        base = base.replace("đ", "d").replace("Đ", "D").lower()
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def _span(text: str, m: re.Match) -> str:
    return text[m.start() : m.end()].strip()


def _dec(s: str) -> Decimal:
    return Decimal(s.replace(",", "."))


def _sentence_around(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(".", 0, start), text.rfind(";", 0, start)) + 1
    hi_candidates = [i for i in (text.find(".", end), text.find(";", end)) if i != -1]
    hi = min(hi_candidates) if hi_candidates else len(text)
    return text[lo:hi]


def find_targets(text: str) -> list[Target]:
    """Percent targets in a task's text ("100% …", "98–100% …", "≥ 90% …", "trên 80%"),
    each bound to a metric when a phrase of `TARGET_PHRASES` is in its sentence."""
    text = unicodedata.normalize("NFC", text or "")
    key = _fold(text)  # one character for each of `text`: spans map back to the words
    out: list[Target] = []
    used: list[tuple[int, int]] = []
    for m in _PERCENT_RANGE.finditer(key):
        low = _dec(m.group(1))
        out.append(Target(_span(text, m), "gte", low, note="Khoảng: lưu mức thấp (≥)."))
        used.append(m.span())
    for m in _PERCENT.finditer(key):
        if any(a <= m.start(2) < b for a, b in used):
            continue
        word, value, up = (m.group(1) or "").strip(), _dec(m.group(2)), m.group(3)
        note = ""
        if word in ("≤", "<=", "duoi", "toi da", "khong qua"):
            comparison = "lte"
        elif word in ("≥", ">=", "it nhat", "toi thieu", "tu") or up:
            comparison = "gte"
        elif word == "tren":
            comparison, note = "gte", "“Trên” là lớn hơn hẳn; lưu dạng ≥."
        elif value == 100:
            comparison = "eq"
        else:
            comparison = "gte"
        out.append(Target(_span(text, m), comparison, value, note=note))
        used.append(m.span())
    for target, (start, end) in zip(out, used, strict=True):
        sentence = _sentence_around(key, start, end)
        for pattern, figure in TARGET_PHRASES:
            if pattern.search(sentence):
                target.metric = figure.key
                break
    return out


# --- money ----------------------------------------------------------------------
_MONEY = re.compile(
    r"(\d{1,3}(?:[.\s]\d{3})+|\d+(?:,\d+)?)\s*(ty|trieu|nghin|ngan)?\s*(dong|d\b|vnd)", re.IGNORECASE
)
_SCALE = {"ty": 10**9, "trieu": 10**6, "nghin": 10**3, "ngan": 10**3, None: 1}


def find_budget(text: str) -> Decimal | None:
    """An amount of money in đồng ("5.000.000 đồng", "10 triệu đồng", "1,5 tỷ đồng")."""
    m = _MONEY.search(search_key(text))
    if not m:
        return None
    number, scale = m.group(1), m.group(2)
    if scale:
        value = Decimal(number.replace(".", "").replace(" ", "").replace(",", "."))
    else:
        value = Decimal(re.sub(r"[.\s,]", "", number))
    return (value * _SCALE[scale]).quantize(Decimal(1))
