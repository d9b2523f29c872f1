"""From a plan document's lines to a structured plan (docs/plan-import.md).

The document is read as paragraphs. The header (issuer, "Số: …/KH-UBND", place and
date, "KẾ HOẠCH" and the title, the basis), then the sections by their titles (I. mục
đích, yêu cầu; II. nhiệm vụ; III. báo cáo; IV. kinh phí; V. tổ chức thực hiện — their
numbers may differ), the closing, recipients and signer. In the tasks section each
numbered heading ("1.", "I.", "Lĩnh vực …") is a reform area, whatever its number says
(the seed's second "3." is the eighth area); its kind comes from its title (a local
programme when no standard area matches). Inside an area, lettered items a), b), đ) are
the tasks and "-", "+" lines their sub-items; without letters, "-" items or numbered
sub-items are the tasks; an area with no items is one task. Labelled lines
("Chủ trì: …", "Thời gian: …") fill the task's fields. An appendix table adds or fills
tasks (joined to the inline ones by area and letter, or by similar text).

Every line ends up somewhere: in a field, or in the list of lines that went nowhere.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from cchc.core.text import search_key

from ..models import LETTERS, AreaKind
from .extract import Extracted
from .matchers import DepartmentMatcher, DeptMatch, TimeGuess, find_budget, find_targets, parse_time
from .spacing import Doubt, Repair, repair_line

# --- recognisers ------------------------------------------------------------------
_SECTION = re.compile(r"^\s*(?:PHẦN\s+)?(I|II|III|IV|V|VI|VII|VIII|IX|X)\s*[.)\-:]\s*(.+)$")
_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.)]\s*(?!\d)(.*)$")
_SUBNUMBERED = re.compile(r"^\s*(\d{1,2}\.\d{1,2})\.?\s+(.+)$|^\s*\((\d{1,2})\)\s*(.+)$")
_LETTER = re.compile(r"^\s*([a-zđ])\s*\)\s*(.*)$")
_BULLET = re.compile(r"^\s*([-–•+*])\s*(.*)$")
_AREA_WORD = re.compile(r"^\s*Lĩnh\s+vực\s*(\d{1,2}|[IVX]+)?\s*[.:)\-–]?\s*(.*)$", re.IGNORECASE)
_NUMBER_LINE = re.compile(r"^Số\s*:?\s*(\d*)\s*/\s*([A-ZĐ][A-ZĐa-z\-/]*)")
_PLACE_DATE = re.compile(r"^([^,]{2,60}),\s*ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*((?:19|20)\d{2})")
_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d{2})(?![\d/])")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
_APPENDIX_REF = re.compile(r"^\(?\s*(cụ thể|chi tiết)[^)]*phụ lục[^)]*\)?\.?$", re.IGNORECASE)

SECTION_KINDS = (
    ("purpose", re.compile(r"muc dich|yeu cau|muc tieu")),
    ("reporting", re.compile(r"bao cao")),
    ("budget", re.compile(r"kinh phi")),
    ("responsibilities", re.compile(r"to chuc thuc hien|trach nhiem|phan cong")),
    ("tasks", re.compile(r"nhiem vu|chi tieu|noi dung")),
)
AREA_KINDS = (
    (AreaKind.DIRECTION, re.compile(r"chi dao.*dieu hanh|cong tac chi dao")),
    (AreaKind.INSTITUTIONS, re.compile(r"cai cach the che|^the che|xay dung.*the che")),
    (AreaKind.PROCEDURES, re.compile(r"thu tuc hanh chinh|\btthc\b")),
    (AreaKind.ORGANISATION, re.compile(r"to chuc bo may|bo may hanh chinh")),
    (AreaKind.CIVIL_SERVICE, re.compile(r"che do cong vu|cong chuc, vien chuc|doi ngu can bo")),
    (AreaKind.PUBLIC_FINANCE, re.compile(r"tai chinh cong")),
    (
        AreaKind.DIGITAL,
        re.compile(r"chinh quyen dien tu|chinh quyen so|chuyen doi so|hien dai hoa hanh chinh"),
    ),
)
# Labels of a task's fields, inline ("(Chủ trì: …; thời gian: …)") or on their own line.
FIELD_LABELS = (
    ("lead", re.compile(r"^(don vi |co quan |bo phan )?(chu tri|phu trach|thuc hien chinh)$")),
    ("coordinating", re.compile(r"^(don vi |co quan |bo phan )?phoi hop( thuc hien)?$")),
    ("time", re.compile(r"^(thoi gian|thoi han|tien do)( thuc hien| hoan thanh)?$|^hoan thanh$")),
    ("output", re.compile(r"^(san pham|ket qua)( dau ra| du kien)?$")),
    ("budget", re.compile(r"^kinh phi( thuc hien)?$")),
    ("target", re.compile(r"^chi tieu$")),
)
_LABELLED = re.compile(r"^\s*[-–+•]?\s*([^:;()]{3,40}?)\s*:\s*(.*)$")
_INLINE_FIELDS = re.compile(
    r"\(([^()]*(?:chủ trì|phối hợp|thời gian|sản phẩm)[^()]*)\)\.?\s*$", re.IGNORECASE
)
APPENDIX_COLUMNS = (
    ("number", re.compile(r"^(s?tt|so tt|stt)$")),
    ("lead", re.compile(r"chu tri")),
    ("coordinating", re.compile(r"phoi hop")),
    ("time", re.compile(r"thoi gian|thoi han|tien do")),
    ("output", re.compile(r"san pham|ket qua")),
    ("budget", re.compile(r"kinh phi")),
    ("target", re.compile(r"chi tieu")),
    ("note", re.compile(r"ghi chu")),
    ("task", re.compile(r"nhiem vu|noi dung|hoat dong|linh vuc")),
)


def field_label(text: str) -> str | None:
    key = search_key(text).strip(" -")
    for name, pattern in FIELD_LABELS:
        if pattern.search(key):
            return name
    return None


def column_roles(cells: list[str]) -> list[str]:
    roles = []
    for cell in cells:
        key = search_key(cell)
        role = next((name for name, pattern in APPENDIX_COLUMNS if pattern.search(key)), "")
        roles.append(role)
    return roles


def is_appendix_header(cells: list[str]) -> bool:
    roles = set(column_roles(cells))
    return "task" in roles and len(roles & {"lead", "time", "output", "coordinating"}) >= 2


def area_kind(title: str) -> str:
    key = search_key(title)
    for kind, pattern in AREA_KINDS:
        if pattern.search(key):
            return kind
    return AreaKind.LOCAL


def section_kind(title: str) -> str:
    key = search_key(title)
    for kind, pattern in SECTION_KINDS:
        if pattern.search(key):
            return kind
    return "other"


# --- the parsed plan --------------------------------------------------------------
@dataclass
class Para:
    text: str
    lines: list[int]


@dataclass
class ParsedTask:
    content: str
    title: str = ""
    marker: str = ""
    lines: list[int] = field(default_factory=list)
    lead: DeptMatch | None = None
    lead_source: str = ""  # "text", "appendix", "responsibilities" (section V), ""
    coordinating: list[DeptMatch] = field(default_factory=list)
    time: TimeGuess | None = None
    output: str = ""
    targets: list = field(default_factory=list)
    budget: int | None = None
    budget_text: str = ""
    origin: str = "text"  # text | appendix | both

    def as_dict(self) -> dict:
        return {
            "marker": self.marker,
            "title": self.title,
            "content": self.content,
            "lines": self.lines,
            "lead": self.lead.as_dict() if self.lead else None,
            "lead_source": self.lead_source,
            "coordinating": [c.as_dict() for c in self.coordinating],
            "time": self.time.as_dict() if self.time else None,
            "output": self.output,
            "targets": [t.as_dict() for t in self.targets],
            "budget": self.budget,
            "budget_text": self.budget_text,
            "origin": self.origin,
        }


@dataclass
class ParsedArea:
    kind: str
    title: str
    heading: str = ""
    intro: str = ""
    lines: list[int] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    paras: list[Para] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "heading": self.heading,
            "intro": self.intro,
            "lines": self.lines,
            "tasks": [t.as_dict() for t in self.tasks],
        }


@dataclass
class ParsedPlan:
    year: int | None = None
    header: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    areas: list[ParsedArea] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    unplaced: list[dict] = field(default_factory=list)
    ignored: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)
    shape: str = "text"  # text | appendix | both

    @property
    def task_count(self) -> int:
        return sum(len(a.tasks) for a in self.areas)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "shape": self.shape,
            "header": self.header,
            "texts": self.texts,
            "areas": [a.as_dict() for a in self.areas],
            "repairs": [r.as_dict() for r in self.repairs],
            "doubts": [d.as_dict() for d in self.doubts],
            "unplaced": self.unplaced,
            "ignored": self.ignored,
            "warnings": self.warnings,
        }


# --- paragraphs ---------------------------------------------------------------------
def _starts_item(text: str) -> bool:
    return bool(
        _SECTION.match(text)
        or _NUMBERED.match(text)
        or _LETTER.match(text)
        or _BULLET.match(text)
        or _AREA_WORD.match(text)
        or _SUBNUMBERED.match(text)
    )


def _is_caps_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def paragraphs(lines: list[str], exact: bool, skip: set[int], ignored: list[dict]) -> list[Para]:
    """Join printed lines back into paragraphs (PDF and text files break them).

    A new paragraph starts at a list marker ("a)", "1.", "-", "II."), after a line
    ending a sentence (. : ; ! ?), after a line in capitals, and after a blank line
    when the next line starts with a capital; otherwise a line continues the previous
    one (PDF text wraps mid-sentence, even across a page break)."""
    out: list[Para] = []
    blank_before = True
    for number, raw in enumerate(lines, start=1):
        if number in skip:
            blank_before = True
            continue
        text = raw.strip()
        if not text:
            blank_before = True
            continue
        if _PAGE_NUMBER.match(text) and not exact:
            ignored.append({"line": number, "text": text, "reason": "Số trang"})
            continue
        if exact or not out:
            out.append(Para(text, [number]))
            blank_before = False
            continue
        prev = out[-1].text
        open_paren = prev.count("(") > prev.count(")")
        new = not open_paren and (
            _starts_item(text)
            or prev.endswith((".", ":", ";", "!", "?", "./."))
            or _is_caps_line(prev)
            or _is_caps_line(text)
            or (blank_before and text[0].isupper())
        )
        if new:
            out.append(Para(text, [number]))
        else:
            # A document symbol cut at its dash ("43/2011/NĐ-" + "CP") joins without a space.
            joiner = "" if re.search(r"[/-]$", prev) and re.match(r"[A-ZĐ]", text) else " "
            out[-1].text = prev + joiner + text
            out[-1].lines.append(number)
        blank_before = False
    return out


# --- the parser ----------------------------------------------------------------------
class _Parser:
    def __init__(self, extracted: Extracted, matcher: DepartmentMatcher, year: int | None, cchc_office_id):
        self.x = extracted
        self.matcher = matcher
        self.plan = ParsedPlan(year=year)
        self.cchc_office_id = cchc_office_id
        self.texts: dict[str, list[str]] = {
            k: []
            for k in (
                "basis",
                "purpose",
                "requirements",
                "reporting",
                "budget",
                "responsibilities",
                "closing",
                "recipients",
            )
        }
        self.responsibility_paras: list[Para] = []

    def note_unplaced(self, para: Para, reason: str = "") -> None:
        self.plan.unplaced.append({"lines": para.lines, "text": para.text, "reason": reason})

    # -- repair ------------------------------------------------------------------
    def repaired_lines(self) -> list[str]:
        out = []
        for number, line in enumerate(self.x.lines, start=1):
            if not line.strip():
                out.append(line)
                continue
            fixed = repair_line(line, number)
            self.plan.repairs.extend(fixed.repairs)
            self.plan.doubts.extend(fixed.doubts)
            out.append(fixed.text)
        return out

    # -- main ----------------------------------------------------------------------
    def run(self) -> ParsedPlan:
        lines = self.repaired_lines()
        self.plan.source_lines = lines
        if self.plan.year is None:
            self.plan.year = _main_year("\n".join(lines))
        paras = paragraphs(lines, self.x.exact_paragraphs, self.x.table_lines, self.plan.ignored)
        header = {
            "issuer": "",
            "number": "",
            "symbol": "KH-UBND",
            "place": "",
            "issued_on": None,
            "title": "",
            "signer_title": "",
            "signer_name": "",
        }
        self.plan.header = header
        state = "header"
        sub = None  # purpose / requirements inside section I
        area: ParsedArea | None = None
        title_next = False
        tail = None  # closing / recipients / signature
        for para in paras:
            text = para.text
            key = search_key(text)
            # --- the end of the document: closing, recipients, signature
            if re.match(r"^(trên đây|trên đây là)", text, re.IGNORECASE):
                tail = "closing"
                self.texts["closing"].append(text)
                continue
            if re.match(r"^nơi\s*nhận\s*:?", text, re.IGNORECASE):
                tail = "recipients"
                rest = re.sub(r"^nơi\s*nhận\s*:?\s*", "", text, flags=re.IGNORECASE)
                if rest:
                    self.texts["recipients"].append(rest.lstrip("- ").rstrip(";."))
                continue
            if tail == "recipients" and _BULLET.match(text):
                item = _BULLET.match(text).group(2).rstrip(";.")
                self.texts["recipients"].append(item)
                continue
            if re.match(r"^(t\.?\s*m\.?|k\.?\s*t\.?)\s", key) or key in ("chu tich", "pho chu tich"):
                tail = "signature"
                if key.endswith("chu tich"):
                    header["signer_title"] = "PHÓ CHỦ TỊCH" if "pho chu tich" in key else "CHỦ TỊCH"
                else:
                    self.plan.ignored.append(
                        {"line": para.lines[0], "text": text, "reason": "Thể thức chữ ký"}
                    )
                continue
            if tail == "signature":
                if _looks_like_name(text) and not header["signer_name"]:
                    header["signer_name"] = text
                    continue
                if key in ("chu tich", "pho chu tich"):
                    header["signer_title"] = text.upper()
                    continue
            if tail == "closing" and not _SECTION.match(text):
                self.texts["closing"].append(text)
                continue
            if (
                key.startswith("phu luc")
                or key.startswith("khung ke hoach")
                or (key.startswith("(kem theo") and state != "header")
                or (tail == "appendix" and _is_caps_line(text))
            ):
                self.plan.ignored.append({"line": para.lines[0], "text": text, "reason": "Tiêu đề phụ lục"})
                if key.startswith("phu luc"):
                    tail = "appendix"
                continue
            if tail in ("recipients", "signature"):
                self.note_unplaced(para, "Sau phần nơi nhận, chữ ký")
                continue
            # --- an appendix title or reference
            if _APPENDIX_REF.match(text):
                self.plan.ignored.append({"line": para.lines[0], "text": text, "reason": "Dẫn chiếu phụ lục"})
                continue
            # --- sections
            m = _SECTION.match(text)
            if m:
                kind = section_kind(m.group(2))
                is_area_here = (
                    state == "tasks"
                    and kind in ("other", "tasks")
                    and area_kind(m.group(2)) != AreaKind.LOCAL
                )
                if not is_area_here:
                    state, sub, area = kind, None, None
                    if kind == "purpose":
                        sub = "purpose"
                    if kind == "other":
                        self.note_unplaced(
                            para, "Mục không thuộc khung kế hoạch (đã giữ lại ở đây để chuyển tay)"
                        )
                    continue
            if state == "header":
                self.header_para(para, header, title_next)
                title_next = self._title_next
                continue
            if state == "purpose":
                m2 = _NUMBERED.match(text)
                if m2 and len(m2.group(2)) < 40:
                    sk = search_key(m2.group(2))
                    if "yeu cau" in sk:
                        sub = "requirements"
                        continue
                    if "muc dich" in sk or "muc tieu" in sk:
                        sub = "purpose"
                        continue
                self.texts[sub or "purpose"].append(_strip_bullet(text))
                continue
            if state == "tasks":
                area = self.tasks_para(para, area)
                continue
            if state in ("reporting", "budget"):
                self.texts[state].append(text)
                continue
            if state == "responsibilities":
                self.texts["responsibilities"].append(text)
                self.responsibility_paras.append(para)
                continue
            self.note_unplaced(para)
        for area in self.plan.areas:
            self.build_tasks(area)
        self.plan.texts = {k: "\n".join(v) for k, v in self.texts.items()}
        self.join_appendix()
        self.apply_responsibilities()
        self.finish()
        return self.plan

    # -- header ----------------------------------------------------------------------
    _title_next = False

    def header_para(self, para: Para, header: dict, title_next: bool) -> None:
        text, key = para.text, search_key(para.text)
        self._title_next = False
        if title_next:
            if re.match(r"^(thực hiện|căn cứ)", text, re.IGNORECASE):
                self.texts["basis"].append(text)
                return
            header["title"] = (header["title"] + " " + text).strip()
            self._title_next = not text.endswith(".") and len(header["title"]) < 150 and _is_caps_line(text)
            return
        if key in ("ke hoach",):
            self._title_next = True
            return
        if key.startswith("ke hoach ") and len(text) < 200 and not header["title"]:
            header["title"] = text[len("KẾ HOẠCH") :].strip(" :")
            return
        if (
            "cong hoa xa hoi chu nghia" in key
            or "doc lap" in key
            and "hanh phuc" in key
            or re.fullmatch(r"[_\-–—* ]+", text)
        ):
            self.plan.ignored.append({"line": para.lines[0], "text": text, "reason": "Quốc hiệu, tiêu ngữ"})
            return
        m = _NUMBER_LINE.match(text)
        if m:
            header["number"], header["symbol"] = m.group(1), m.group(2)
            return
        m = _PLACE_DATE.match(text)
        if m:
            header["place"] = m.group(1).strip()
            try:
                header["issued_on"] = date(int(m.group(4)), int(m.group(3)), int(m.group(2))).isoformat()
            except ValueError:
                self.plan.warnings.append(f"Ngày ban hành không hợp lệ: “{text}”.")
            return
        if _is_caps_line(text) and (
            "uy ban" in key or "ubnd" in key or key.startswith(("xa ", "phuong ", "thi tran "))
        ):
            header["issuer"] = (header["issuer"] + " " + text).strip()
            return
        if re.match(r"^(thực hiện|căn cứ)", text, re.IGNORECASE) or self.texts["basis"]:
            self.texts["basis"].append(text)
            return
        if header["title"] and not self.texts["basis"] and len(text) < 200 and not text.endswith("."):
            header["title"] = f"{header['title']} {text}"
            return
        self.note_unplaced(para, "Phần đầu văn bản")

    # -- tasks section -----------------------------------------------------------------
    def tasks_para(self, para: Para, area: ParsedArea | None) -> ParsedArea | None:
        text = para.text
        m = _AREA_WORD.match(text)
        heading = None
        if m and m.group(2):
            heading = m.group(2)
        else:
            m = _NUMBERED.match(text) or _SECTION.match(text)
            if m and m.group(2).strip():
                heading = m.group(2).strip()
                # A numbered line inside an area that is clearly a sub-item, not an area:
                # areas are short titles or sentences naming a programme.
        if heading is not None and (
            area is None
            or area_kind(heading) != AreaKind.LOCAL
            or _looks_like_area(heading)
            or not area.paras
        ):
            kind = area_kind(heading)
            if kind in {a.kind for a in self.plan.areas} or _PROGRAMME_START.match(heading):
                # Each standard area comes once; a later heading of the same kind, or one
                # naming a programme ("Chương trình chuyển đổi số …"), is a local programme.
                kind = AreaKind.LOCAL
            area = ParsedArea(kind=kind, title=_area_title(heading), heading=heading, lines=para.lines)
            self.plan.areas.append(area)
            return area
        if area is None and "phu luc" in search_key(text):
            self.plan.ignored.append({"line": para.lines[0], "text": text, "reason": "Dẫn chiếu phụ lục"})
            return None
        if area is None:
            # Text of the tasks section before the first area (general targets).
            self.note_unplaced(para, "Trước lĩnh vực đầu tiên của mục nhiệm vụ")
            return None
        area.paras.append(para)
        return area

    def build_tasks(self, area: ParsedArea) -> None:
        paras = area.paras
        if any(_LETTER.match(p.text) for p in paras):
            starts = lambda p: bool(_LETTER.match(p.text))  # noqa: E731
        elif any(
            _BULLET.match(p.text) and _BULLET.match(p.text).group(1) != "+" and not _labelled(p.text)
            for p in paras
        ):
            starts = lambda p: bool(  # noqa: E731
                _BULLET.match(p.text) and _BULLET.match(p.text).group(1) != "+" and not _labelled(p.text)
            )
        elif any(_SUBNUMBERED.match(p.text) or _NUMBERED.match(p.text) for p in paras):
            starts = lambda p: bool(_SUBNUMBERED.match(p.text) or _NUMBERED.match(p.text))  # noqa: E731
        else:
            starts = None
        intro: list[str] = []
        current: ParsedTask | None = None
        for para in paras:
            label = None if _LETTER.match(para.text) else _labelled(para.text)
            if label and current is not None:
                self.set_field(current, label[0], label[1], para)
                continue
            if starts and starts(para):
                marker, body = _marker(para.text)
                current = ParsedTask(content=body, marker=marker, lines=list(para.lines))
                area.tasks.append(current)
                continue
            if current is None:
                if starts is None:
                    current = ParsedTask(content=para.text, lines=list(para.lines))
                    area.tasks.append(current)
                else:
                    intro.append(para.text)
                continue
            current.content += "\n" + para.text
            current.lines.extend(para.lines)
        area.intro = "\n".join(intro)
        if not area.tasks:
            # A heading with nothing under it is one task: the seed's local programme
            # ("3. Tiếp tục triển khai … Đề án xây dựng chính quyền thân thiện …").
            area.tasks.append(ParsedTask(content=area.heading, lines=list(area.lines)))
        for task in area.tasks:
            self.finish_task(task)

    def set_field(self, task: ParsedTask, name: str, value: str, para: Para | None = None) -> None:
        value = value.strip().rstrip(";.")
        if para is not None:
            task.lines.extend(para.lines)
        if name == "lead":
            matches = self.matcher.match_list(value)
            if matches:
                task.lead = matches[0]
                task.lead_source = "text"
                task.coordinating.extend(matches[1:])
        elif name == "coordinating":
            task.coordinating.extend(self.matcher.match_list(value))
        elif name == "time":
            task.time = parse_time(value, self.year_guess())
        elif name == "output":
            task.output = value
        elif name == "budget":
            task.budget_text = value
            amount = find_budget(value)
            task.budget = int(amount) if amount is not None else None
        elif name == "target":
            task.targets.extend(find_targets(value))

    def finish_task(self, task: ParsedTask) -> None:
        m = _INLINE_FIELDS.search(task.content)
        if m:
            for part in re.split(r";", m.group(1)):
                if ":" in part:
                    label, value = part.split(":", 1)
                    name = field_label(label)
                    if name:
                        self.set_field(task, name, value)
            task.content = task.content[: m.start()].rstrip(" ;,")
        task.title = _task_title(task.content)
        if not task.targets:
            task.targets = find_targets(task.content)
        if task.budget is None:
            amount = find_budget(task.content)
            if amount is not None:
                task.budget = int(amount)

    # -- appendix ------------------------------------------------------------------------
    def appendix_areas(self) -> list[ParsedArea]:
        areas: list[ParsedArea] = []
        for table in self.x.tables:
            if not table.rows:
                continue
            header = table.rows[0]
            roles = column_roles(header)
            if not is_appendix_header(header):
                continue
            area = None
            for cells, line in zip(table.rows[1:], table.lines[1:], strict=False):
                values = {}
                for role, cell in zip(roles, cells, strict=False):
                    if role and cell and role not in values:
                        values[role] = cell.strip()
                task_text = values.get("task", "")
                number = values.get("number", "")
                others = [values.get(r, "") for r in ("lead", "coordinating", "time", "output")]
                distinct = {c.strip() for c in cells if c.strip()}
                if not task_text and not any(others):
                    if number and len(distinct) == 1:
                        continue
                    if area and area.tasks and len(distinct) == 1:
                        # A continuation line of the previous row (PDF tables).
                        area.tasks[-1].content += " " + next(iter(distinct))
                    continue
                is_area_row = (not any(others) or all(o == task_text for o in others if o)) and (
                    re.fullmatch(r"[IVX]+\.?", number)
                    or re.fullmatch(r"\d{1,2}\.?", number)
                    and _is_caps_line(task_text)
                    or (not number and _is_caps_line(task_text))
                )
                if (
                    re.fullmatch(r"\d{1,2}\.?", number or "")
                    and not any(others)
                    and area_kind(task_text) != AreaKind.LOCAL
                ):
                    is_area_row = True
                if is_area_row:
                    title = _area_title(task_text)
                    kind = area_kind(task_text)
                    if kind in {a.kind for a in areas} or _PROGRAMME_START.match(task_text):
                        kind = AreaKind.LOCAL
                    area = ParsedArea(kind=kind, title=title, heading=task_text, lines=[line])
                    areas.append(area)
                    continue
                if area is None:
                    area = ParsedArea(kind=AreaKind.LOCAL, title="Nhiệm vụ khác", heading="", lines=[line])
                    areas.append(area)
                if not task_text and area.tasks and not number:
                    # A PDF row that only continues the cells of the previous task.
                    prev = area.tasks[-1]
                    prev.lines.append(line)
                    for role in ("lead", "coordinating", "time", "output"):
                        if values.get(role):
                            prev_raw = getattr(prev, f"_raw_{role}", "")
                            setattr(prev, f"_raw_{role}", (prev_raw + " " + values[role]).strip())
                    continue
                if area.tasks and not number and task_text and not any(others):
                    prev = area.tasks[-1]
                    prev.content += " " + task_text
                    prev.lines.append(line)
                    continue
                task = ParsedTask(
                    content=task_text, marker=number.rstrip(".)"), lines=[line], origin="appendix"
                )
                for role in ("lead", "coordinating", "time", "output", "budget", "target"):
                    if values.get(role):
                        setattr(task, f"_raw_{role}", values[role])
                area.tasks.append(task)
        for area in areas:
            for task in area.tasks:
                for role in ("lead", "coordinating", "time", "output", "budget", "target"):
                    raw = getattr(task, f"_raw_{role}", "")
                    if raw:
                        self.set_field(task, role, raw)
                        if role == "lead":
                            task.lead_source = "appendix"
                task.title = _task_title(task.content)
                if not task.targets:
                    task.targets = find_targets(task.content)
        return areas

    def join_appendix(self) -> None:
        appendix = self.appendix_areas()
        if not appendix:
            return
        if not self.plan.areas:
            self.plan.areas = appendix
            self.plan.shape = "appendix"
            return
        self.plan.shape = "both"
        used: set[int] = set()
        for a_index, app_area in enumerate(appendix):
            target = self._match_area(app_area, a_index, used)
            if target is None:
                self.plan.areas.append(app_area)
                continue
            used.add(id(target))
            taken: set[int] = set()
            for t_index, app_task in enumerate(app_area.tasks):
                inline = self._match_task(target, app_task, t_index, taken)
                if inline is None:
                    target.tasks.append(app_task)
                    continue
                taken.add(id(inline))
                inline.origin = "both"
                inline.lines.extend(app_task.lines)
                if app_task.content and len(app_task.content) < len(inline.content):
                    inline.title = _task_title(app_task.content)
                if app_task.lead and (inline.lead is None or not inline.lead.matched):
                    inline.lead, inline.lead_source = app_task.lead, "appendix"
                if app_task.coordinating and not inline.coordinating:
                    inline.coordinating = app_task.coordinating
                if app_task.time and (inline.time is None or not inline.time.text):
                    inline.time = app_task.time
                if app_task.output and not inline.output:
                    inline.output = app_task.output
                if app_task.budget is not None and inline.budget is None:
                    inline.budget, inline.budget_text = app_task.budget, app_task.budget_text
                if app_task.targets and not inline.targets:
                    inline.targets = app_task.targets

    def _match_area(self, app_area: ParsedArea, index: int, used: set[int]) -> ParsedArea | None:
        free = [a for a in self.plan.areas if id(a) not in used]
        if app_area.kind != AreaKind.LOCAL:
            return next((a for a in free if a.kind == app_area.kind), None)
        best, score = None, 0.0
        for a in free:
            if a.kind != AreaKind.LOCAL:
                continue
            s = difflib.SequenceMatcher(None, search_key(a.heading), search_key(app_area.heading)).ratio()
            if s > score:
                best, score = a, s
        if best is None and index < len(self.plan.areas) and id(self.plan.areas[index]) not in used:
            candidate = self.plan.areas[index]
            if candidate.kind == AreaKind.LOCAL:
                return candidate
        return best if score >= 0.3 else best

    def _match_task(
        self, area: ParsedArea, app_task: ParsedTask, index: int, taken: set[int]
    ) -> ParsedTask | None:
        free = [t for t in area.tasks if id(t) not in taken and t.origin == "text"]
        if app_task.marker:
            same = [t for t in free if t.marker == app_task.marker]
            if same:
                return same[0]
        best, score = None, 0.0
        for t in free:
            s = difflib.SequenceMatcher(
                None, search_key(t.content)[:200], search_key(app_task.content)[:200]
            ).ratio()
            if s > score:
                best, score = t, s
        return best if score >= 0.45 else None

    # -- section V: who leads each area ----------------------------------------------------
    def apply_responsibilities(self) -> None:
        """Areas whose tasks state no lead take the department that section V makes
        responsible for them ("Tư pháp – Hộ tịch: chủ trì … cải cách thể chế"); the
        standing office (thường trực) leads the rest."""
        by_kind: dict[str, DeptMatch] = {}
        standing: DeptMatch | None = None
        groups: list[str] = []
        for para in self.responsibility_paras:
            if _NUMBERED.match(para.text) or not groups:
                groups.append(para.text)
            else:
                groups[-1] += " " + para.text
        for text in groups:
            text = _NUMBERED.match(text).group(2) if _NUMBERED.match(text) else text
            name = re.split(r":|\s+(?:có trách nhiệm|là cơ quan|chủ trì|tăng cường)\b", text, maxsplit=1)[0]
            match = self.matcher.match(name)
            if not match.matched:
                continue
            key = search_key(text)
            claims = "chu tri" in key or "thuong truc" in key
            if "thuong truc" in key and standing is None:
                standing = match
            if not claims:
                continue
            for kind, pattern in AREA_KINDS:
                if kind == AreaKind.PROCEDURES and "thu tuc hanh chinh" not in key:
                    continue
                if pattern.search(key) and kind not in by_kind:
                    by_kind[kind] = match
        if standing is None and self.cchc_office_id is not None:
            standing = next(
                (
                    DeptMatch(name, pk, name, "matched")
                    for pk, name, _ in self.matcher.departments
                    if pk == self.cchc_office_id
                ),
                None,
            )
        for area in self.plan.areas:
            lead = by_kind.get(area.kind) or standing
            if lead is None:
                continue
            for task in area.tasks:
                if task.lead is None:
                    task.lead = DeptMatch(lead.text, lead.department_id, lead.department_name, "matched")
                    task.lead_source = "responsibilities"

    # -- year, titles, warnings ------------------------------------------------------------
    def year_guess(self) -> int:
        if self.plan.year:
            return self.plan.year
        return _year_from(self.plan.header.get("title", "")) or date.today().year

    def finish(self) -> None:
        plan = self.plan
        title_year = _year_from(plan.header.get("title", ""))
        body_years = [int(y) for y in _YEAR.findall("\n".join(plan.source_lines))]
        common = max(set(body_years), key=body_years.count) if body_years else None
        if plan.year is None:
            plan.year = title_year or common
        if title_year and plan.year and title_year != plan.year:
            plan.warnings.append(
                f"Trích yếu ghi năm {title_year} nhưng kế hoạch là năm {plan.year}: đã sửa trích yếu, cần xem lại."
            )
            plan.header["title"] = re.sub(rf"\b{title_year}\b", str(plan.year), plan.header["title"])
        if plan.year:
            for area in plan.areas:
                for task in area.tasks:
                    if task.time is None:
                        task.time = parse_time("", plan.year)
                    elif task.time.end_date and task.time.end_date.year != plan.year and not task.time.text:
                        task.time = parse_time(task.time.text, plan.year)
        standard = [a.kind for a in plan.areas if a.kind != AreaKind.LOCAL]
        for kind in set(standard):
            if standard.count(kind) > 1:
                plan.warnings.append(
                    f"Lĩnh vực “{AreaKind(kind).label}” xuất hiện {standard.count(kind)} lần: cần gộp hoặc đổi thành chương trình của địa phương."
                )
        for area in plan.areas:
            if len(area.tasks) > len(LETTERS):
                plan.warnings.append(f"Lĩnh vực “{area.title}” có hơn {len(LETTERS)} nhiệm vụ.")


_YEAR_PHRASE = re.compile(r"(tháng\s*\d{1,2}\s*)?năm\s*((?:19|20)\d{2})(?![\d/])", re.IGNORECASE)


def _main_year(text: str) -> int | None:
    """The year a plan's text speaks of most ("năm 2024"), dates of documents
    ("ngày 29 tháng 12 năm 2023") left out; on a tie, the later year."""
    years = [int(m.group(2)) for m in _YEAR_PHRASE.finditer(text) if not m.group(1)]
    if not years:
        return None
    counts = {y: years.count(y) for y in set(years)}
    return max(counts, key=lambda y: (counts[y], y))


def _year_from(text: str) -> int | None:
    years = _YEAR.findall(text or "")
    return int(years[-1]) if years else None


def _strip_bullet(text: str) -> str:
    m = _BULLET.match(text)
    return m.group(2) if m and m.group(1) in "-–•" else text


def _labelled(text: str) -> tuple[str, str] | None:
    m = _LABELLED.match(text)
    if not m:
        return None
    name = field_label(m.group(1))
    return (name, m.group(2)) if name else None


def _marker(text: str) -> tuple[str, str]:
    for pattern in (_LETTER, _NUMBERED):
        m = pattern.match(text)
        if m:
            return m.group(1), m.group(2).strip()
    m = _SUBNUMBERED.match(text)
    if m:
        return (m.group(1) or m.group(3)), (m.group(2) or m.group(4)).strip()
    m = _BULLET.match(text)
    if m:
        return "", m.group(2).strip()
    return "", text


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() and w[1:].islower() for w in words if w.isalpha())


def _looks_like_area(heading: str) -> bool:
    key = search_key(heading)
    return bool(re.search(r"\b(de an|chuong trinh|du an|ke hoach)\b", key)) or len(heading) < 80


_PROGRAMME_START = re.compile(r"^\s*(chương trình|đề án|dự án)\b", re.IGNORECASE)
_PROGRAMME = re.compile(
    r"\b(Đề án|đề án|Chương trình|chương trình|Dự án|dự án|Kế hoạch|kế hoạch)\s+(.+?)(?=\s+(?:trên địa bàn|giai đoạn|năm\s+\d{4}|của\s)|[.;]|$)"
)


def _area_title(heading: str) -> str:
    """The area's name: a standard area keeps its heading; a programme sentence
    ("Tiếp tục triển khai … Đề án xây dựng chính quyền thân thiện trên địa bàn …")
    gives the programme's object ("Xây dựng chính quyền thân thiện")."""
    heading = heading.strip().rstrip(".:")
    if area_kind(heading) != AreaKind.LOCAL:
        return heading[:1].upper() + heading[1:].lower() if _is_caps_line(heading) else heading
    matches = list(_PROGRAMME.finditer(heading))
    if matches and len(heading) > 80:
        obj = matches[-1].group(2).strip()
        if search_key(obj).startswith(("thuc hien ", "trien khai ")):
            inner = list(_PROGRAMME.finditer(obj))
            obj = inner[-1].group(2) if inner else obj
        return obj[:1].upper() + obj[1:]
    if _is_caps_line(heading):
        return heading[:1].upper() + heading[1:].lower()
    return heading[:300]


def _task_title(content: str) -> str:
    """The first sentence of the task (up to 160 characters, cut at a word)."""
    first = content.split("\n", 1)[0].strip()
    m = re.search(r"(?<=[^\d\s])\.(\s|$)", first)
    if m and m.start() > 20:
        first = first[: m.start()]
    first = first.rstrip(" .;:")
    if len(first) > 160:
        cut = first[:160]
        for sep in (";", ",", " "):
            idx = cut.rfind(sep)
            if idx > 60:
                cut = cut[:idx]
                break
        first = cut.rstrip(" ,;") + "…"
    return first


def parse_plan(
    extracted: Extracted, *, departments, year: int | None = None, cchc_office_id=None
) -> ParsedPlan:
    """The structured plan read from `extracted` for a commune with `departments`."""
    return _Parser(extracted, DepartmentMatcher(departments), year, cchc_office_id).run()
