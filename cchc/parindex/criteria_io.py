"""Criteria sets in and out: the province's appendix table (.xlsx), the example's
JSON and our own JSON (docs/par-index.md, "Importing a criteria set").

Reading produces a `SetSpec` (the set's settings and its nodes in document order);
`validate` names every problem with the row it is on ("Dòng 12: …" for a
spreadsheet, "Tiêu chí 1.2: …" for JSON) and nothing is written unless there is
none. Writing produces the same layouts, so that an exported set re-imports to the
same tree.

The spreadsheet is laid out the way provinces publish their appendix: a header row
with STT | Tiêu chí | Điểm tối đa | Hướng dẫn chấm | Tài liệu kiểm chứng (found by
name, anywhere in the first rows, in any order), then one row per area, criterion and
sub-criterion. Codes: "1", "1.2", "1.2.3" as written; areas numbered "I", "II" make
the numbers under them relative to the area ("II" then "1" is criterion 2.1, "1.1"
is 2.1.1); lettered rows ("a", "b)") are children of the row above them with a
number; a row without STT adds its text to the guidance of the row above; a
"Tổng cộng" row states the total. Rule details are in extra columns (all optional):
Cách chấm, Bước điểm, Ngưỡng (%), Các mức, Trừ mỗi lần, Điểm sàn, Khi không có số
liệu, Số liệu, Số liệu tử số, Số liệu mẫu số, Được loại trừ, Cộng tiêu chí con, Ghi
chú.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from cchc.core import figures as catalogue
from cchc.core.text import clean_text, search_key

from .bindings import resolve_names
from .rules import (
    RATE_KINDS,
    Band,
    Rule,
    RuleKind,
    WhenNone,
    format_bands,
    parse_bands,
    pts,
    to_decimal,
)

FORMAT = "cchc-par-index-criteria"
FORMAT_VERSION = 1
_CODE = re.compile(r"^\d{1,3}(\.\d{1,3}){0,5}$")
_ROMAN = {
    "I": 1,
    "II": 2,
    "III": 3,
    "IV": 4,
    "V": 5,
    "VI": 6,
    "VII": 7,
    "VIII": 8,
    "IX": 9,
    "X": 10,
    "XI": 11,
    "XII": 12,
}
_LETTER = re.compile(r"^([a-zđ])\)?\.?$", re.I)
MAX_NODES = 2000


class CriteriaFileError(ValidationError):
    """The file cannot be read as a criteria set (wrong type, no header…)."""


@dataclass
class NodeSpec:
    where: str  # "Dòng 12" / "Tiêu chí 1.2 (lĩnh vực 1, mục 2)"
    code: str
    title: str
    max_points: Decimal | None
    rule: Rule = field(default_factory=Rule)
    rule_given: bool = False
    figure: str = ""
    numerator_figure: str = ""
    denominator_figure: str = ""
    data_source: str = ""
    guidance: str = ""
    evidence_required: str = ""
    notes: str = ""
    na_allowed: bool = False
    sum_rule: str = ""
    errors: list[str] = field(default_factory=list)  # found while reading the row

    @property
    def parent_code(self) -> str:
        return self.code.rsplit(".", 1)[0] if "." in self.code else ""

    @property
    def label(self) -> str:
        return (
            f"{self.where} (tiêu chí {self.code})"
            if self.code and not self.where.startswith("Tiêu chí")
            else self.where
        )


@dataclass
class SetSpec:
    title: str = ""
    year: int | None = None
    level: str = "commune"
    scale: Decimal = Decimal(100)
    sum_rule: str = "equal"
    points_step: Decimal | None = None
    bands: list[dict] = field(default_factory=list)
    decision: str = ""
    is_example: bool = False
    example_note: str = ""
    window_from: date | None = None
    window_to: date | None = None
    submit_due: date | None = None
    appraisal_due: date | None = None
    publish_due: date | None = None
    explanation_days: int | None = None
    stated_total: Decimal | None = None
    stated_total_where: str = ""
    nodes: list[NodeSpec] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- validation ---------------------------------------------------------------------
def _check_binding(node: NodeSpec, errors: list[str]) -> None:
    keys = [k for k in (node.figure, node.numerator_figure, node.denominator_figure) if k]
    found: dict[str, catalogue.Figure] = {}
    for key in keys:
        try:
            found[key] = catalogue.get(key)
        except catalogue.UnknownFigure as exc:
            errors.append(f"{node.label}: {exc}")
    if not keys or len(found) != len(keys):
        return
    kind = node.rule.kind
    if kind in (RuleKind.ENTERED, RuleKind.SURVEY):
        errors.append(f"{node.label}: tiêu chí chấm theo minh chứng không gắn với số liệu.")
        return
    if bool(node.numerator_figure) != bool(node.denominator_figure):
        errors.append(f"{node.label}: cần cả số liệu tử số và số liệu mẫu số.")
        return
    if node.figure and node.numerator_figure:
        errors.append(f"{node.label}: gắn một số liệu tỷ lệ, hoặc một cặp tử số/mẫu số, không cả hai.")
        return
    if kind in RATE_KINDS:
        if node.figure and not found[node.figure].is_rate:
            errors.append(
                f"{node.label}: cách chấm theo tỷ lệ cần số liệu là tỷ lệ (%), “{node.figure}” không phải."
            )
        for key in (node.numerator_figure, node.denominator_figure):
            if key and found[key].is_rate:
                errors.append(f"{node.label}: tử số, mẫu số phải là số đếm, “{key}” là tỷ lệ.")
    elif kind == RuleKind.DEDUCTION:
        if node.numerator_figure or (node.figure and found[node.figure].is_rate):
            errors.append(f"{node.label}: cách chấm trừ điểm cần một số liệu đếm số lần vi phạm.")


def validate(spec: SetSpec) -> list[str]:
    """Every problem of the tree, each named with its row; empty when it can be imported."""
    errors: list[str] = []
    if not spec.nodes:
        return ["Không có tiêu chí nào (kiểm tra dòng tiêu đề STT, Tiêu chí, Điểm tối đa)."]
    if len(spec.nodes) > MAX_NODES:
        return [f"Bộ tiêu chí có {len(spec.nodes)} dòng, vượt giới hạn {MAX_NODES}."]
    if spec.scale is None or spec.scale <= 0:
        errors.append("Thang điểm phải lớn hơn 0.")
    by_code: dict[str, NodeSpec] = {}
    for node in spec.nodes:
        errors.extend(f"{node.label}: {e.rstrip('.')}." for e in node.errors)
        if not node.code:
            errors.append(f"{node.where}: thiếu STT (mã tiêu chí).")
            continue
        if not _CODE.match(node.code):
            errors.append(f"{node.where}: mã “{node.code}” không đúng dạng 1, 1.2, 1.2.3.")
            continue
        if node.code in by_code:
            errors.append(f"{node.where}: mã “{node.code}” trùng với {by_code[node.code].where.lower()}.")
            continue
        if node.parent_code and node.parent_code not in by_code:
            errors.append(f"{node.label}: không có tiêu chí cha “{node.parent_code}” ở phía trên.")
        by_code[node.code] = node
        if not node.title:
            errors.append(f"{node.label}: thiếu tên tiêu chí.")
        if node.max_points is None:
            errors.append(f"{node.label}: thiếu điểm tối đa.")
        elif node.max_points < 0:
            errors.append(f"{node.label}: điểm tối đa không thể âm.")
        if node.sum_rule and node.sum_rule not in ("equal", "at_most"):
            errors.append(f"{node.label}: quy tắc cộng tiêu chí con “{node.sum_rule}” không hợp lệ.")
    children: dict[str, list[NodeSpec]] = {}
    for node in by_code.values():
        children.setdefault(node.parent_code, []).append(node)
    for node in by_code.values():
        kids = children.get(node.code, [])
        if node.max_points is None:
            continue
        if kids:
            if node.rule_given and node.rule.kind != RuleKind.ENTERED:
                errors.append(
                    f"{node.label}: tiêu chí có tiêu chí con lấy tổng điểm các tiêu chí con, không có cách chấm riêng."
                )
            if any(k.max_points is None for k in kids):
                continue
            total = sum((k.max_points for k in kids), Decimal(0))
            rule = node.sum_rule or spec.sum_rule
            if rule == "at_most" and total > node.max_points:
                errors.append(
                    f"{node.label}: tổng điểm tối đa các tiêu chí con {pts(total)} vượt điểm tối đa {pts(node.max_points)}."
                )
            elif rule != "at_most" and total != node.max_points:
                errors.append(
                    f"{node.label}: tổng điểm tối đa các tiêu chí con {pts(total)} khác điểm tối đa {pts(node.max_points)}."
                )
        else:
            errors.extend(f"{node.label}: {p}." for p in node.rule.problems(node.max_points))
            _check_binding(node, errors)
    roots = children.get("", [])
    if roots and all(r.max_points is not None for r in roots) and spec.scale:
        total = sum((r.max_points for r in roots), Decimal(0))
        if total != spec.scale:
            errors.append(
                f"Tổng điểm tối đa các lĩnh vực là {pts(total)}, khác thang điểm {pts(spec.scale)}."
            )
        if spec.stated_total is not None and spec.stated_total != total:
            errors.append(
                f"{spec.stated_total_where}: dòng tổng ghi {pts(spec.stated_total)} điểm, tổng các lĩnh vực là {pts(total)}."
            )
    for i, band in enumerate(spec.bands):
        try:
            bound = to_decimal(band.get("from"), "Cận dưới của nhóm")
        except ValidationError as exc:
            errors.extend(f"Nhóm kết quả {i + 1}: {m}" for m in exc.messages)
            continue
        if not clean_text(str(band.get("label") or "")):
            errors.append(f"Nhóm kết quả {i + 1}: thiếu tên nhóm.")
        if not 0 <= bound <= 100:
            errors.append(f"Nhóm kết quả {i + 1}: cận dưới phải từ 0 đến 100 (%).")
    return errors


# --- shared cell parsing -------------------------------------------------------------
_KIND_ALIASES = {
    **{k: k for k in RuleKind.values},
    **{search_key(label): value for value, label in RuleKind.choices},
    "manual_evidence": RuleKind.ENTERED,
    "manual": RuleKind.ENTERED,
    "cham tay": RuleKind.ENTERED,
    "minh chung": RuleKind.ENTERED,
    "ratio_linear": RuleKind.RATIO,
    "ty le": RuleKind.RATIO,
    "ratio_capped": RuleKind.RATIO_THRESHOLD,
    "nguong": RuleKind.RATIO_THRESHOLD,
    "muc": RuleKind.BANDS,
    "theo muc": RuleKind.BANDS,
    "tru diem": RuleKind.DEDUCTION,
    "dieu tra": RuleKind.SURVEY,
    "dieu tra xa hoi hoc": RuleKind.SURVEY,
}
_WHEN_ALIASES = {
    **{k: k for k in WhenNone.values},
    **{search_key(label): value for value, label in WhenNone.choices},
    "max": WhenNone.FULL,
    "toi da": WhenNone.FULL,
    "dat toi da": WhenNone.FULL,
    "0": WhenNone.ZERO,
    "khong ap dung": WhenNone.NOT_APPLICABLE,
    "na": WhenNone.NOT_APPLICABLE,
}
_YES = {"x", "co", "1", "true", "yes", "dung", "c"}


def _kind(value) -> str | None:
    text = search_key(str(value or ""))
    return _KIND_ALIASES.get(text) if text else None


def _when(value) -> str:
    text = search_key(str(value or ""))
    return _WHEN_ALIASES.get(text, text) if text else WhenNone.ENTER


def _threshold(value) -> Decimal:
    """A threshold as percent: 90, '90%', or a fraction 0.9 (the example's form)."""
    number = to_decimal(value, "Ngưỡng")
    return number * 100 if 0 < number <= 1 and "%" not in str(value) else number


def _sum_rule(value) -> str:
    text = search_key(str(value or ""))
    if not text:
        return ""
    if text in ("equal", "bang"):
        return "equal"
    if text in ("at_most", "khong vuot qua", "toi da", "<="):
        return "at_most"
    return text


def _points(value, what: str = "Điểm tối đa") -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = re.sub(r"\s*(điểm|đ)\.?\s*$", "", value.strip(), flags=re.I)
    return to_decimal(value, what)


def _catch(node: NodeSpec, fn: Callable[[], object], default=None):
    try:
        return fn()
    except ValidationError as exc:
        node.errors.extend(m.rstrip(".") for m in exc.messages)
        return default


# --- xlsx ---------------------------------------------------------------------------------
_COLUMNS: list[tuple[str, Callable[[str], bool]]] = [
    ("code", lambda k: k in ("stt", "tt", "so tt", "ma", "ma tieu chi") or k.startswith("stt")),
    ("numerator_figure", lambda k: "tu so" in k),
    ("denominator_figure", lambda k: "mau so" in k),
    ("when_none", lambda k: k.startswith("khi khong co")),
    ("figure", lambda k: k in ("so lieu", "ma so lieu", "so lieu gan")),
    ("max_points", lambda k: "diem toi da" in k or "diem chuan" in k or k == "diem"),
    ("guidance", lambda k: "huong dan" in k or "cach tinh" in k),
    ("evidence_required", lambda k: "kiem chung" in k or "minh chung" in k),
    ("rule_kind", lambda k: k.startswith("cach cham") or k == "loai quy tac"),
    ("step", lambda k: k.startswith("buoc diem")),
    ("threshold", lambda k: k.startswith("nguong")),
    ("bands", lambda k: k.startswith("cac muc") or k == "muc diem"),
    ("per_occurrence", lambda k: k.startswith("tru moi lan") or k.startswith("diem tru")),
    ("floor", lambda k: k.startswith("diem san")),
    ("na_allowed", lambda k: "loai tru" in k or "khong ap dung" in k),
    ("sum_rule", lambda k: "cong tieu chi con" in k),
    ("notes", lambda k: k.startswith("ghi chu")),
    ("title", lambda k: "tieu chi" in k or "noi dung" in k or k.startswith("linh vuc")),
]


def _map_header(values: list) -> dict[str, int]:
    out: dict[str, int] = {}
    for index, value in enumerate(values):
        key = search_key(str(value or "")).strip(" :*")
        if not key:
            continue
        for name, test in _COLUMNS:
            if name not in out and test(key):
                out[name] = index
                break
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


def read_xlsx(content: bytes) -> SetSpec:
    """The criteria of the first sheet of a province's appendix table."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise CriteriaFileError(
            "Tệp không phải bảng tính .xlsx hợp lệ: mở bằng Excel và lưu lại dạng .xlsx."
        ) from exc
    spec = SetSpec()
    try:
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=MAX_NODES + 50))
    finally:
        workbook.close()
    header_at, columns = None, {}
    for number, values in enumerate(rows[:20], start=1):
        mapped = _map_header(list(values))
        if "code" in mapped and "title" in mapped:
            header_at, columns = number, mapped
            break
    if header_at is None:
        raise CriteriaFileError(
            "Không tìm thấy dòng tiêu đề có cột “STT” và “Tiêu chí” trong 20 dòng đầu của trang tính thứ nhất."
        )
    if "max_points" not in columns:
        raise CriteriaFileError(f"Dòng {header_at}: không có cột “Điểm tối đa”.")
    area: int | None = None
    last_numbered: NodeSpec | None = None
    letters: dict[str, int] = {}
    for number, values in enumerate(rows[header_at:], start=header_at + 1):
        values = list(values)

        def get(name: str, values=values) -> str:
            index = columns.get(name)
            return _cell(values[index]) if index is not None and index < len(values) else ""

        raw_code, title = get("code"), get("title")
        if not raw_code and not title and not get("max_points"):
            continue
        where = f"Dòng {number}"
        if not raw_code:
            if search_key(title).startswith("tong"):
                spec.stated_total = _points(values[columns["max_points"]]) if get("max_points") else None
                spec.stated_total_where = where
            elif spec.nodes and title:
                previous = spec.nodes[-1]
                previous.guidance = "\n".join(filter(None, [previous.guidance, title]))
            continue
        code = raw_code.rstrip(".")
        if isinstance(values[columns["code"]], float) and not float(values[columns["code"]]).is_integer():
            spec.warnings.append(
                f"{where}: STT “{code}” là số trong Excel; định dạng cột STT là văn bản để phân biệt 1.1 với 1.10."
            )
        if code.upper() in _ROMAN:
            area = _ROMAN[code.upper()]
            code = str(area)
        elif _LETTER.match(code) and last_numbered is not None:
            parent = last_numbered.code
            letters[parent] = letters.get(parent, 0) + 1
            code = f"{parent}.{letters[parent]}"
        elif area is not None and re.match(r"^\d", code):
            code = f"{area}.{code}"
        node = NodeSpec(where=where, code=code, title=title, max_points=None)
        max_cell = values[columns["max_points"]] if columns["max_points"] < len(values) else None
        node.max_points = _catch(node, lambda max_cell=max_cell: _points(max_cell))
        node.guidance, node.evidence_required, node.notes = (
            get("guidance"),
            get("evidence_required"),
            get("notes"),
        )
        _rule_from_cells(node, get)
        if not _LETTER.match(raw_code.rstrip(".")):
            last_numbered = node
        spec.nodes.append(node)
    return spec


def _rule_from_cells(node: NodeSpec, get: Callable[[str], str]) -> None:
    kind_text = get("rule_kind")
    kind = _kind(kind_text) if kind_text else RuleKind.ENTERED
    if kind is None:
        node.errors.append(f"cách chấm “{kind_text}” không có (dùng: {', '.join(RuleKind.values)})")
        kind = RuleKind.ENTERED
    node.rule_given = bool(kind_text)
    step = _catch(node, lambda: _points(get("step"), "Bước điểm"))
    threshold = _catch(node, lambda: _threshold(get("threshold")) if get("threshold") else None)
    bands = _catch(node, lambda: parse_bands(get("bands")), ())
    per = _catch(node, lambda: _points(get("per_occurrence"), "Điểm trừ mỗi lần"))
    floor = _catch(node, lambda: _points(get("floor"), "Điểm sàn"))
    node.rule = Rule(
        kind=kind,
        step=step,
        threshold=threshold,
        bands=bands or (),
        per_occurrence=per,
        floor=floor or Decimal(0),
        when_none=_when(get("when_none")),
    )
    node.figure = get("figure")
    node.numerator_figure, node.denominator_figure = get("numerator_figure"), get("denominator_figure")
    node.na_allowed = search_key(get("na_allowed")) in _YES
    node.sum_rule = _sum_rule(get("sum_rule"))


XLSX_HEAD = [
    "STT",
    "Tiêu chí",
    "Điểm tối đa",
    "Hướng dẫn chấm",
    "Tài liệu kiểm chứng",
    "Cách chấm",
    "Bước điểm",
    "Ngưỡng (%)",
    "Các mức",
    "Trừ mỗi lần",
    "Điểm sàn",
    "Khi không có số liệu",
    "Số liệu",
    "Số liệu tử số",
    "Số liệu mẫu số",
    "Được loại trừ",
    "Cộng tiêu chí con",
    "Ghi chú",
]


def write_xlsx(criteria_set) -> bytes:
    """The set as an appendix table: the five published columns, then the rule columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from cchc.core.exports import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = f"Bộ tiêu chí {criteria_set.year}"[:31]
    title = f"BỘ TIÊU CHÍ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {criteria_set.year} – {criteria_set.title.upper()}"
    append_row(ws, [("[VÍ DỤ – KHÔNG PHẢI VĂN BẢN PHÁP LÝ] " if criteria_set.is_example else "") + title])
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=13)
    append_row(
        ws,
        [
            f"Phiên bản {criteria_set.version}; thang điểm {pts(criteria_set.scale)}"
            + (f"; căn cứ {criteria_set.decision}" if criteria_set.decision else "")
        ],
    )
    append_row(ws, list(XLSX_HEAD))
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in ws[3]:
        cell.font = Font(name="Times New Roman", bold=True)
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for c in criteria_set.criteria.all():
        rule = c.rule_obj
        is_leaf = not any(True for _ in c.children.all())
        row = [
            c.code,
            c.title,
            float(c.max_points) if c.max_points == c.max_points.to_integral_value() else str(c.max_points),
            c.guidance,
            c.evidence_required,
            c.rule_kind if is_leaf else "",
            str(rule.step) if rule.step is not None else "",
            str(rule.threshold) if rule.kind == RuleKind.RATIO_THRESHOLD else "",
            "; ".join(f"{b.lower}:{b.points}" for b in rule.ordered_bands)
            if rule.kind == RuleKind.BANDS
            else "",
            str(rule.per_occurrence) if rule.kind == RuleKind.DEDUCTION else "",
            str(rule.floor) if rule.kind == RuleKind.DEDUCTION else "",
            rule.when_none if rule.is_computed and rule.when_none != WhenNone.ENTER else "",
            c.figure,
            c.numerator_figure,
            c.denominator_figure,
            "x" if c.na_allowed else "",
            c.sum_rule,
            "\n".join(
                filter(
                    None,
                    [c.notes, f"Nguồn số liệu theo bộ tiêu chí: {c.data_source}" if c.data_source else ""],
                )
            ),
        ]
        append_row(ws, row)
        for cell in ws[ws.max_row]:
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if c.depth == 0:
                cell.font = Font(bold=True)
        ws.cell(row=ws.max_row, column=1).number_format = "@"
    append_row(ws, ["", "Tổng cộng", float(criteria_set.scale)])
    ws.cell(row=ws.max_row, column=2).font = Font(bold=True)
    for col, width in zip(
        "ABCDEFGHIJKLMNOPQR", [8, 50, 10, 40, 30, 16, 8, 8, 16, 8, 8, 14, 22, 22, 22, 8, 10, 30], strict=True
    ):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- JSON -----------------------------------------------------------------------------------
def read_json(content: bytes | str) -> SetSpec:
    """Our own export format, or the example's format (areas → criteria)."""
    try:
        data = json.loads(content.decode("utf-8-sig") if isinstance(content, bytes) else content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CriteriaFileError(f"Tệp không phải JSON hợp lệ: {exc}.") from exc
    if not isinstance(data, dict):
        raise CriteriaFileError("Tệp JSON phải là một đối tượng (bắt đầu bằng “{”).")
    if data.get("format") == FORMAT:
        return _read_own(data)
    if isinstance(data.get("areas"), list):
        return _read_example(data)
    raise CriteriaFileError(
        f"Không nhận ra cấu trúc JSON: cần “format”: “{FORMAT}” (tệp xuất từ phần mềm) hoặc danh sách “areas”."
    )


def _date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"Ngày “{value}” không đúng dạng YYYY-MM-DD.") from None


def _read_own(data: dict) -> SetSpec:
    spec = SetSpec(
        title=clean_text(str(data.get("title") or "")),
        year=data.get("year"),
        level=data.get("level") or "commune",
        sum_rule=data.get("sum_rule") or "equal",
        decision=clean_text(str(data.get("decision") or "")),
        is_example=bool(data.get("is_example")),
        example_note=str(data.get("example_note") or ""),
        bands=list(data.get("bands") or []),
    )
    try:
        spec.scale = to_decimal(data.get("scale", 100), "Thang điểm")
        spec.points_step = to_decimal(data["points_step"], "Bước điểm") if data.get("points_step") else None
        window = data.get("window") or {}
        spec.window_from, spec.window_to = _date(window.get("from")), _date(window.get("to"))
        deadlines = data.get("deadlines") or {}
        spec.submit_due = _date(deadlines.get("submit"))
        spec.appraisal_due = _date(deadlines.get("appraisal"))
        spec.publish_due = _date(deadlines.get("publish"))
        spec.explanation_days = deadlines.get("explanation_working_days")
    except ValidationError as exc:
        raise CriteriaFileError(exc.messages) from exc

    def walk(items, path: str) -> None:
        if not isinstance(items, list):
            raise CriteriaFileError(f"{path}: “children” phải là một danh sách.")
        for i, item in enumerate(items, start=1):
            where = (
                f"Tiêu chí {item.get('code') or '?'} ({path}mục {i})"
                if isinstance(item, dict)
                else f"{path}mục {i}"
            )
            if not isinstance(item, dict):
                raise CriteriaFileError(f"{where}: phải là một đối tượng.")
            node = NodeSpec(
                where=where,
                code=clean_text(str(item.get("code") or "")),
                title=clean_text(str(item.get("title") or "")),
                max_points=None,
            )
            node.max_points = _catch(node, lambda item=item: _points(item.get("max_points")))
            rule = item.get("rule") or {}
            kind = _kind(rule.get("kind")) if rule.get("kind") else RuleKind.ENTERED
            if kind is None:
                node.errors.append(f"cách chấm “{rule.get('kind')}” không có")
                kind = RuleKind.ENTERED
            node.rule_given = bool(rule.get("kind"))
            node.rule = _catch(node, lambda kind=kind, rule=rule: Rule.from_json(kind, rule), Rule(kind=kind))
            binding = item.get("figures") or {}
            node.figure = binding.get("figure") or ""
            node.numerator_figure = binding.get("numerator") or ""
            node.denominator_figure = binding.get("denominator") or ""
            node.data_source = clean_text(str(item.get("data_source") or ""))
            node.guidance = str(item.get("guidance") or "").strip()
            node.evidence_required = str(item.get("evidence_required") or "").strip()
            node.notes = str(item.get("notes") or "").strip()
            node.na_allowed = bool(item.get("na_allowed"))
            node.sum_rule = _sum_rule(item.get("sum_rule"))
            spec.nodes.append(node)
            walk(item.get("children") or [], f"{path}{node.code or i} → ")

    walk(data.get("criteria") or [], "")
    return spec


def _example_rule(node: NodeSpec, rule: dict, spec: SetSpec) -> None:
    """The example's rule vocabulary: manual_evidence, ratio_linear (with
    if_denominator_zero), ratio_capped (threshold as a fraction), deduction
    (per_violation, floor), survey; plus bands and figure keys where given."""
    kind_text = rule.get("type") or rule.get("kind")
    kind = _kind(kind_text) if kind_text else RuleKind.ENTERED
    if kind is None:
        node.errors.append(f"cách chấm “{kind_text}” không có")
        kind = RuleKind.ENTERED
    node.rule_given = bool(kind_text)
    when = _when(rule.get("if_denominator_zero") or rule.get("when_none"))
    bands = ()
    if rule.get("bands"):
        raw = rule["bands"]
        if isinstance(raw, str):
            bands = _catch(node, lambda: parse_bands(raw), ())
        else:
            bands = _catch(
                node,
                lambda: tuple(
                    Band(
                        _threshold(b.get("from", 0)) if b.get("from") else Decimal(0), to_decimal(b["points"])
                    )
                    for b in raw
                ),
                (),
            )
    node.rule = Rule(
        kind=kind,
        step=_catch(node, lambda: _points(rule.get("step"), "Bước điểm")),
        threshold=_catch(
            node, lambda: _threshold(rule["threshold"]) if rule.get("threshold") is not None else None
        ),
        bands=bands or (),
        per_occurrence=_catch(
            node, lambda: _points(rule.get("per_violation") or rule.get("per_occurrence"), "Điểm trừ")
        ),
        floor=_catch(node, lambda: _points(rule.get("floor"), "Điểm sàn")) or Decimal(0),
        when_none=when,
    )
    if rule.get("figure"):
        node.figure = str(rule["figure"])
    names = (str(rule.get("numerator") or ""), str(rule.get("denominator") or ""))
    if any(names):
        bound = resolve_names(*names)
        if bound:
            node.figure = bound.get("figure", "")
            node.numerator_figure = bound.get("numerator", "")
            node.denominator_figure = bound.get("denominator", "")
        else:
            node.data_source = " / ".join(n for n in names if n)
            spec.warnings.append(
                f"Tiêu chí {node.code}: số liệu “{node.data_source}” chưa có trong danh mục số liệu; "
                "xã nhập tử số, mẫu số kèm minh chứng (hoặc gắn số liệu trên trang bộ tiêu chí)."
            )


def _read_example(data: dict) -> SetSpec:
    label = str(data.get("_label") or "")
    scale = data.get("scale")
    spec = SetSpec(
        title=clean_text(str(data.get("title") or "")),
        year=data.get("year"),
        level={"xa": "commune", "commune": "commune"}.get(
            str(data.get("level") or "xa"), str(data.get("level"))
        ),
        is_example="EXAMPLE" in label.upper() or str(data.get("province", "")).upper() == "EXAMPLE",
        example_note="\n".join(
            str(data[k]) for k in ("_label", "_structure_source", "_rule_source") if data.get(k)
        ),
    )
    try:
        if isinstance(scale, dict):
            spec.scale = to_decimal(scale.get("max_self_scored") or scale.get("total") or 100, "Thang điểm")
        elif scale is not None:
            spec.scale = to_decimal(scale, "Thang điểm")
    except ValidationError as exc:
        raise CriteriaFileError(exc.messages) from exc
    groups = data.get("groups") or data.get("bands")
    if isinstance(groups, list):
        spec.bands = groups
    elif spec.is_example:
        # The example's workflow names the groups "A >= 90 %, B 80-<90 %".
        spec.bands = [
            {"label": "Nhóm A", "from": "90"},
            {"label": "Nhóm B", "from": "80"},
            {"label": "Nhóm C", "from": "0"},
        ]

    def add(item: dict, code: str, where: str, depth_items_key: str = "criteria") -> None:
        node = NodeSpec(
            where=where,
            code=code,
            title=clean_text(str(item.get("name") or item.get("title") or "")),
            max_points=None,
        )
        node.max_points = _catch(node, lambda: _points(item.get("max")))
        _example_rule(node, item.get("rule") or {}, spec)
        notes = []
        if item.get("illustrative"):
            notes.append("Điểm minh họa (ví dụ), không phải theo văn bản.")
        if item.get("rule_source"):
            notes.append(f"Nguồn công thức: {item['rule_source']}.")
        if item.get("live_data"):
            # The example names the product's modules in English.
            source = {"plan module": "kế hoạch CCHC", "periodic-report module": "báo cáo CCHC định kỳ"}.get(
                item["live_data"], item["live_data"]
            )
            notes.append(f"Số liệu: {source}.")
        node.notes = " ".join(notes)
        node.guidance = str(item.get("guidance") or "")
        node.evidence_required = str(item.get("evidence") or item.get("evidence_required") or "")
        spec.nodes.append(node)
        for j, child in enumerate(item.get(depth_items_key) or [], start=1):
            if not isinstance(child, dict):
                raise CriteriaFileError(f"{where}, mục {j}: phải là một đối tượng.")
            child_code = clean_text(str(child.get("no") or f"{code}.{j}"))
            add(child, child_code, f"Tiêu chí {child_code} (lĩnh vực {code.split('.')[0]}, mục {j})")

    for i, area in enumerate(data["areas"], start=1):
        if not isinstance(area, dict):
            raise CriteriaFileError(f"Lĩnh vực {i}: phải là một đối tượng.")
        add(area, clean_text(str(area.get("no") or i)), f"Lĩnh vực {area.get('no') or i}")
    return spec


def write_json(criteria_set) -> dict:
    """The set in our own format (re-importable)."""
    nodes = list(criteria_set.criteria.all())
    by_parent: dict[int | None, list] = {}
    for c in nodes:
        by_parent.setdefault(c.parent_id, []).append(c)

    def node(c) -> dict:
        kids = by_parent.get(c.pk, [])
        out = {"code": c.code, "title": c.title, "max_points": str(c.max_points)}
        if not kids:
            out["rule"] = {"kind": c.rule_kind, **c.rule_obj.to_json()}
            out["rule_text"] = c.rule_text
        if c.figure or c.numerator_figure:
            out["figures"] = {
                k: v
                for k, v in (
                    ("figure", c.figure),
                    ("numerator", c.numerator_figure),
                    ("denominator", c.denominator_figure),
                )
                if v
            }
        for name in ("data_source", "guidance", "evidence_required", "notes", "sum_rule"):
            if getattr(c, name):
                out[name] = getattr(c, name)
        if c.na_allowed:
            out["na_allowed"] = True
        if kids:
            out["children"] = [node(k) for k in kids]
        return out

    s = criteria_set
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "title": s.title,
        "owner": s.owner.slug,
        "year": s.year,
        "level": s.level,
        "version": s.version,
        "decision": s.decision,
        "is_example": s.is_example,
        "example_note": s.example_note,
        "scale": str(s.scale),
        "sum_rule": s.sum_rule,
        "points_step": str(s.points_step),
        "bands": s.bands,
        "window": {"from": s.window.date_from.isoformat(), "to": s.window.date_to.isoformat()},
        "deadlines": {
            "submit": s.submit_due.isoformat() if s.submit_due else None,
            "appraisal": s.appraisal_due.isoformat() if s.appraisal_due else None,
            "publish": s.publish_due.isoformat() if s.publish_due else None,
            "explanation_working_days": s.explanation_days,
        },
        "criteria": [node(c) for c in by_parent.get(None, [])],
    }


def read_file(name: str, content: bytes) -> SetSpec:
    """By the file's type: .xlsx (a zip) or .json."""
    lower = (name or "").lower()
    if content[:4] == b"PK\x03\x04" or lower.endswith(".xlsx"):
        return read_xlsx(content)
    if lower.endswith(".json") or content.lstrip()[:1] in (b"{", b"\xef"):
        return read_json(content)
    raise CriteriaFileError("Chỉ nhận tệp .xlsx (bảng phụ lục tiêu chí) hoặc .json.")


def bands_text(bands: list[dict]) -> str:
    """'Nhóm A: từ 90%; Nhóm B: từ 80%' for pages."""
    ordered = sorted(bands or [], key=lambda b: Decimal(str(b["from"])), reverse=True)
    return "; ".join(f"{b['label']}: từ {pts(Decimal(str(b['from'])))}%" for b in ordered)


__all__ = [
    "CriteriaFileError",
    "NodeSpec",
    "SetSpec",
    "bands_text",
    "format_bands",
    "read_file",
    "read_json",
    "read_xlsx",
    "validate",
    "write_json",
    "write_xlsx",
]
