"""Operations on the procedure catalogue. Views, the API, the import command, the
demo loader and tests all call these functions.

Re-import rule (what a new file may overwrite)
----------------------------------------------
A procedure is identified by (commune, code). Importing a file again:
- creates procedures whose code is new, updates the others in place (never
  duplicates), and leaves procedures that are not in the file untouched;
- always refreshes the raw text kept from the file (`source_row`, `time_text`,
  `fee_text`);
- does not overwrite what a person edited by hand: every field changed through
  `procedure_update` (or given explicitly to `procedure_create`) is listed in
  `manual_fields` and is kept. Related fields move together (processing time =
  amount + unit; channels = the three channels + online level), so a manual time is
  never half-replaced;
- recomputes the "needs review" flag from the file, except for topics a person
  already fixed by hand; a flag a person cleared stays cleared as long as the
  procedure's row in the file is unchanged (a changed row is reviewed again);
- the handling department follows the commune's field → department table unless
  a person chose the department by hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.core import audit
from cchc.core.concurrency import lock_fresh
from cchc.core.permissions import check_commune, require_perm
from cchc.core.text import clean_text, search_key
from cchc.core.workcal import TimeUnit
from cchc.core.workflow import Conflict
from cchc.org.models import Department, Unit, User

from . import details, parsing
from .models import (
    PART_FIELDS,
    PARTS,
    DepartmentRule,
    OnlineLevel,
    Procedure,
    ProcedureDetail,
    ProcedureImport,
    RequiredDocument,
    Requirement,
)
from .parsing import TOPIC_CHANNELS, TOPIC_DEPARTMENT, TOPIC_FEE, TOPIC_TIME, CatalogueFileError

__all__ = ["CatalogueFileError", "ProcedureConflict"]


class ProcedureConflict(Conflict):
    """The commune already has a procedure with this code (HTTP 409)."""


# Fields a person may edit; groups move together (see the module docstring).
EDITABLE_FIELDS = (
    "name",
    "field",
    "level",
    "decision",
    "in_person",
    "online",
    "postal",
    "online_level",
    "time_amount",
    "time_unit",
    "fee_amount",
    "documents",
    "department",
    "is_published",
)
GROUPS: dict[str, tuple[str, ...]] = {
    "time_amount": ("time_amount", "time_unit"),
    "time_unit": ("time_amount", "time_unit"),
    "in_person": ("in_person", "online", "postal", "online_level"),
    "online": ("in_person", "online", "postal", "online_level"),
    "postal": ("in_person", "online", "postal", "online_level"),
    "online_level": ("in_person", "online", "postal", "online_level"),
}
TOPIC_FIELDS = {
    TOPIC_TIME: ("time_amount", "time_unit"),
    TOPIC_FEE: ("fee_amount",),
    TOPIC_CHANNELS: ("in_person", "online", "postal", "online_level"),
    TOPIC_DEPARTMENT: ("department",),
}

# --- handling department by field ---------------------------------------------------

# Default table "field → department", after the commune civil-servant titles of
# NĐ 33/2023/NĐ-CP (a commune's "Địa chính – nông nghiệp – xây dựng và môi trường"
# officer also takes agriculture, forestry, fisheries and irrigation; fields of the
# Ministry of Finance, including household businesses and cooperatives, go to
# finance). Order matters: the first keyword contained in the field wins, so
# "Tài chính đất đai" goes to Địa chính. Fields matching nothing (e.g. police
# procedures: căn cước, cư trú) go to the one-stop department and are flagged.
DEFAULT_RULES: list[tuple[str, str]] = [
    ("Hộ tịch", "justice"),
    ("Chứng thực", "justice"),
    ("Nuôi con nuôi", "justice"),
    ("Hòa giải", "justice"),
    ("Bồi thường nhà nước", "justice"),
    ("Đất đai", "land"),
    ("Xây dựng", "land"),
    ("Môi trường", "land"),
    ("Quy hoạch", "land"),
    ("Hạ tầng kỹ thuật", "land"),
    ("Nhà ở", "land"),
    ("Tài nguyên nước", "land"),
    ("Đê điều", "land"),
    ("Thủy lợi", "land"),
    ("Nông nghiệp", "land"),
    ("Lâm nghiệp", "land"),
    ("Kiểm lâm", "land"),
    ("Thủy sản", "land"),
    ("Trồng trọt", "land"),
    ("Chăn nuôi", "land"),
    ("Thú y", "land"),
    ("Phát triển nông thôn", "land"),
    ("Văn hóa", "culture"),
    ("Gia đình", "culture"),
    ("Thể thao", "culture"),
    ("Du lịch", "culture"),
    ("Bảo trợ xã hội", "culture"),
    ("Người có công", "culture"),
    ("Lao động", "culture"),
    ("Giáo dục", "culture"),
    ("Y tế", "culture"),
    ("Giảm nghèo", "culture"),
    ("Trẻ em", "culture"),
    ("Ma túy", "culture"),
    ("Tài chính", "finance"),
    ("Kế hoạch", "finance"),
    ("Công sản", "finance"),
    ("Hộ kinh doanh", "finance"),
    ("Hợp tác xã", "finance"),
    ("Tổ hợp tác", "finance"),
]
# kind → (usual department code, words its name contains)
DEPARTMENT_KINDS = {
    "justice": ("tu-phap-ho-tich", "tu phap"),
    "land": ("dia-chinh-xay-dung", "dia chinh"),
    "culture": ("van-hoa-xa-hoi", "van hoa"),
    "finance": ("tai-chinh-ke-toan", "tai chinh"),
}


def _check(user, commune: Unit, perm: str, message: str) -> None:
    """Server-side permission check; `user=None` means a command or the demo loader."""
    if user is None:
        return
    check_commune(user, commune.pk, write=True)
    require_perm(user, perm, message)


def _department_of_kind(departments: list[Department], kind: str) -> Department | None:
    code, words = DEPARTMENT_KINDS[kind]
    for dept in departments:
        if dept.code == code:
            return dept
    for dept in departments:
        if words in search_key(dept.name):
            return dept
    return None


def one_stop_department(commune: Unit) -> Department | None:
    return Department.objects.filter(commune=commune, is_one_stop=True).order_by("order", "pk").first()


@transaction.atomic
def department_rules_ensure_defaults(*, commune: Unit) -> list[DepartmentRule]:
    """Create the default field → department table for a commune that has none.

    Rules whose department the commune does not have are skipped (those fields
    then fall to the one-stop department and are flagged).
    """
    if DepartmentRule.objects.filter(commune=commune).exists():
        return []
    departments = list(Department.objects.filter(commune=commune))
    created = []
    for order, (keyword, kind) in enumerate(DEFAULT_RULES, start=1):
        dept = _department_of_kind(departments, kind)
        if dept is not None:
            created.append(
                DepartmentRule.objects.create(
                    commune=commune, keyword=keyword, department=dept, order=order * 10
                )
            )
    return created


def assign_department(
    field_name: str, rules: list[DepartmentRule], fallback: Department | None
) -> tuple[Department | None, str]:
    """The department for a field (first matching rule), or the one-stop
    department with a note saying a person must choose."""
    key = search_key(field_name)
    for rule in rules:
        if rule.matches(key):
            return rule.department, ""
    where = f"tạm giao {fallback.name}" if fallback else "chưa giao bộ phận nào"
    label = f"Lĩnh vực '{field_name}'" if field_name else "Thủ tục không ghi lĩnh vực"
    return fallback, f"{label} chưa có trong bảng phân công ({where}): chọn bộ phận giải quyết."


def _rules(commune: Unit) -> list[DepartmentRule]:
    return list(
        DepartmentRule.objects.filter(commune=commune).select_related("department").order_by("order", "pk")
    )


@transaction.atomic
def department_rule_save(
    *,
    user: User | None,
    commune: Unit,
    keyword: str,
    department: Department,
    order: int = 100,
    rule: DepartmentRule | None = None,
) -> DepartmentRule:
    """Add a line to the commune's field → department table, or change one."""
    _check(user, commune, "procedures.change_departmentrule", "Bạn không có quyền sửa bảng phân công.")
    keyword = clean_text(keyword)
    if rule is not None and rule.commune_id != commune.pk:
        raise ValidationError("Dòng phân công không thuộc xã này.")
    duplicate = DepartmentRule.objects.filter(commune=commune, keyword_key=search_key(keyword))
    if rule is not None:
        duplicate = duplicate.exclude(pk=rule.pk)
    if duplicate.exists():
        raise ValidationError({"keyword": f"Lĩnh vực '{keyword}' đã có trong bảng phân công."})
    rule = rule or DepartmentRule(commune=commune)
    rule.keyword, rule.department, rule.order = keyword, department, order
    rule.full_clean(exclude=["keyword_key"], validate_unique=False, validate_constraints=False)
    rule.save()
    return rule


@transaction.atomic
def department_rule_delete(*, user: User | None, rule: DepartmentRule) -> None:
    _check(user, rule.commune, "procedures.change_departmentrule", "Bạn không có quyền sửa bảng phân công.")
    rule.delete()


def _notes_without(notes: str, topics: set[str]) -> str:
    return "\n".join(
        line for line in notes.splitlines() if line.strip() and line.split(":", 1)[0].strip() not in topics
    )


def _notes_with(notes: str, topic: str, note: str) -> str:
    lines = _notes_without(notes, {topic}).splitlines()
    return "\n".join([*lines, f"{topic}: {note}"])


@transaction.atomic
def department_rules_apply(*, user: User | None, commune: Unit) -> int:
    """Re-assign the handling department of every procedure whose department was
    not chosen by hand, after the table changed. Returns how many changed."""
    _check(user, commune, "procedures.change_departmentrule", "Bạn không có quyền sửa bảng phân công.")
    rules, fallback = _rules(commune), one_stop_department(commune)
    changed = 0
    for procedure in Procedure.objects.filter(commune=commune).select_related("department"):
        if "department" in procedure.manual_fields:
            continue
        dept, problem = assign_department(procedure.field, rules, fallback)
        if dept == procedure.department and procedure.reviewed_at and not procedure.needs_review:
            continue  # a person already accepted this procedure as it is
        notes = (
            _notes_with(procedure.review_notes, TOPIC_DEPARTMENT, problem)
            if problem
            else _notes_without(procedure.review_notes, {TOPIC_DEPARTMENT})
        )
        flagged = procedure.needs_review or bool(problem)
        if not notes.strip():
            flagged = False
        if (dept, notes, flagged) != (procedure.department, procedure.review_notes, procedure.needs_review):
            procedure.department, procedure.review_notes, procedure.needs_review = dept, notes, flagged
            procedure.save()
            changed += 1
    return changed


# --- import ------------------------------------------------------------------------


@dataclass
class ImportItem:
    line: int
    code: str
    name: str
    action: str  # created / updated / unchanged
    flagged: bool
    notes: str = ""
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    commune: Unit
    dry_run: bool
    file_format: str
    items: list[ImportItem] = field(default_factory=list)

    def _count(self, action: str) -> int:
        return sum(1 for i in self.items if i.action == action)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def created(self) -> int:
        return self._count("created")

    @property
    def updated(self) -> int:
        return self._count("updated")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def flagged(self) -> int:
        return sum(1 for i in self.items if i.flagged)

    def counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "flagged": self.flagged,
        }

    def summary(self) -> str:
        head = "Chạy thử (không lưu gì)" if self.dry_run else "Đã nhập"
        return (
            f"{head}: {self.total} thủ tục cho {self.commune} — {self.created} tạo mới, {self.updated} cập nhật, "
            f"{self.unchanged} không đổi; {self.flagged} cần rà soát."
        )


def _file_values(row: parsing.ParsedRow) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": row.name,
        "field": row.field,
        "level": row.level,
        "decision": row.decision,
        "in_person": row.in_person,
        "online": row.online,
        "postal": row.postal,
        "online_level": row.online_level,
        "time_amount": row.time.amount,
        "time_unit": str(row.time.unit or ""),
        "time_text": row.time.text[:500],
        "fee_amount": row.fee.amount,
        "fee_text": row.fee_text,
    }
    if row.documents is not None:
        values["documents"] = row.documents
    return values


def _format_notes(problems: dict[str, str]) -> str:
    return "\n".join(f"{topic}: {note}" for topic, note in problems.items())


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return (a is None and b is None) or (a is not None and b is not None and Decimal(a) == Decimal(b))
    return a == b


@transaction.atomic
def procedures_import(
    *,
    commune: Unit,
    content: bytes,
    file_name: str = "",
    user: User | None = None,
    dry_run: bool = False,
    at: datetime | None = None,
    upload: ProcedureImport | None = None,
) -> ImportReport:
    """Load a catalogue file (CSV or XLSX) into a commune's catalogue, in one
    transaction: a bad file raises `CatalogueFileError` and changes nothing.

    With `dry_run` everything is computed and rolled back (the counts are exact).
    Otherwise the import is recorded as a `ProcedureImport` (the given `upload`,
    or a new one). See the module docstring for what a re-import overwrites.
    """
    _check(user, commune, "procedures.import_procedure", "Bạn không có quyền nhập danh mục thủ tục.")
    if not commune.is_commune:
        raise ValidationError("Danh mục thủ tục chỉ nhập cho một xã (phường, đặc khu).")
    at = at or timezone.now()
    table = parsing.read_catalogue(content)
    # Two imports into one commune at once would race on new codes: take turns.
    Unit.objects.select_for_update().filter(pk=commune.pk).first()
    report = ImportReport(commune=commune, dry_run=dry_run, file_format=table.file_format)
    department_rules_ensure_defaults(commune=commune)
    rules, fallback = _rules(commune), one_stop_department(commune)
    existing = {p.code: p for p in Procedure.objects.filter(commune=commune).select_related("department")}
    errors: list[str] = []
    for raw in table.rows:
        row = parsing.parse_row(raw.values)
        procedure = existing.get(row.code)
        manual = set(procedure.manual_fields) if procedure else set()
        values = {k: v for k, v in _file_values(row).items() if k not in manual}
        problems = {
            topic: note
            for topic, note in row.problems.items()
            if not manual.intersection(TOPIC_FIELDS.get(topic, ()))
        }
        if "department" not in manual:
            dept, problem = assign_department(row.field, rules, fallback)
            values["department"] = dept
            if problem:
                problems[TOPIC_DEPARTMENT] = problem
        if (
            procedure is not None
            and procedure.reviewed_at is not None
            and not procedure.needs_review
            and procedure.source_row == raw.source
        ):
            # A person reviewed this row as it still stands in the file.
            values["needs_review"], values["review_notes"] = False, procedure.review_notes
        else:
            values["needs_review"], values["review_notes"] = bool(problems), _format_notes(problems)
        values["source_row"] = raw.source
        if procedure is None:
            procedure = Procedure(commune=commune, code=row.code, imported_at=at, **values)
            action, changed = "created", []
        else:
            changed = [k for k, v in values.items() if not _same(getattr(procedure, k), v)]
            action = "updated" if changed else "unchanged"
            for k in changed:
                setattr(procedure, k, values[k])
            # What the file changed must be reviewed again before it is published.
            _unreview(procedure, {part for part, names in PART_FIELDS.items() if set(names) & set(changed)})
        if action != "unchanged":
            try:
                procedure.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                errors.append(f"Dòng {raw.line} (mã {row.code}): {'; '.join(exc.messages)}")
                continue
            if action == "updated":
                procedure.imported_at = at
            procedure.save()
        report.items.append(
            ImportItem(
                line=raw.line,
                code=row.code,
                name=row.name,
                action=action,
                flagged=procedure.needs_review,
                notes=procedure.review_notes if procedure.needs_review else "",
                changed=[f for f in changed if f not in ("source_row", "review_notes")],
            )
        )
    if errors:
        shown = errors[: parsing.MAX_ERRORS_SHOWN]
        more = f" … và {len(errors) - len(shown)} lỗi khác." if len(errors) > len(shown) else ""
        raise CatalogueFileError(
            f"Có {len(errors)} dòng không hợp lệ, chưa nhập gì: " + " ".join(shown) + more
        )
    if dry_run:
        transaction.set_rollback(True)
        return report
    upload = upload or ProcedureImport(
        commune=commune,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=user,
        created_at=at,
    )
    upload.status, upload.counts, upload.applied_at = ProcedureImport.Status.APPLIED, report.counts(), at
    upload.save()
    return report


@transaction.atomic
def procedure_import_preview(
    *, user: User | None, commune: Unit, file_name: str, content: bytes
) -> ProcedureImport:
    """Check an uploaded file and keep it for confirmation, with the counts a real
    import would give now. A bad file raises and nothing is kept."""
    report = procedures_import(commune=commune, content=content, user=user, dry_run=True)
    return ProcedureImport.objects.create(
        commune=commune,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        counts=report.counts()
        | {
            "format": report.file_format,
            # What the preview page lists: every row that would change or needs review.
            "rows": [
                [i.line, i.code, i.name[:150], i.action, i.flagged, i.notes]
                for i in report.items
                if i.action != "unchanged" or i.flagged
            ],
        },
        created_by=user,
    )


@transaction.atomic
def procedure_import_apply(
    *, user: User | None, upload: ProcedureImport, at: datetime | None = None
) -> ImportReport:
    """Import a previewed file (the catalogue may have changed since the preview;
    the returned counts are the real ones)."""
    upload = ProcedureImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status != ProcedureImport.Status.PREVIEW:
        raise ValidationError(f"Tệp này đã được xử lý ({upload.get_status_display().lower()}).")
    return procedures_import(
        commune=upload.commune, content=bytes(upload.content), user=user, at=at, upload=upload
    )


@transaction.atomic
def procedure_import_discard(*, user: User | None, upload: ProcedureImport) -> None:
    _check(user, upload.commune, "procedures.import_procedure", "Bạn không có quyền nhập danh mục thủ tục.")
    if upload.status == ProcedureImport.Status.PREVIEW:
        upload.status = ProcedureImport.Status.DISCARDED
        upload.content = b""
        upload.save()


# --- editing -----------------------------------------------------------------------


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for key in ("name", "field", "level", "decision"):
        if key in out and isinstance(out[key], str):
            out[key] = clean_text(out[key])
    if "documents" in out and out["documents"] is not None:
        out["documents"] = parsing.parse_documents(out["documents"])
    if out.get("time_unit") == TimeUnit.SAME_DAY:
        out["time_amount"] = None
    if "time_unit" in out and out["time_unit"] is None:
        out["time_unit"] = ""
    return out


def _expand(fields: set[str]) -> set[str]:
    out = set(fields)
    for f in fields:
        out.update(GROUPS.get(f, ()))
    return out


@transaction.atomic
def procedure_create(*, user: User | None, commune: Unit, code: str, name: str, **values: Any) -> Procedure:
    """Add one procedure by hand (administrators). The fields given are marked as
    manual, so a later import of the national file keeps them.

    Raises `ProcedureConflict` when the code exists in the commune and
    `ValidationError` (Vietnamese messages) on bad data.
    """
    _check(user, commune, "procedures.add_procedure", "Chỉ quản trị viên được thêm thủ tục.")
    if not commune.is_commune:
        raise ValidationError({"commune": "Thủ tục phải thuộc một xã (phường, đặc khu)."})
    code = clean_text(code)
    if not code or not parsing.CODE_RE.match(code):
        raise ValidationError({"code": "Mã TTHC không hợp lệ (chỉ gồm chữ, số và . - _ /, tối đa 40 ký tự)."})
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Trường không được phép: {', '.join(sorted(unknown))}.")
    if Procedure.objects.filter(commune=commune, code=code).exists():
        raise ProcedureConflict(f"{commune} đã có thủ tục mã {code}.")
    values = _normalise({k: v for k, v in values.items() if v is not None} | {"name": name})
    manual = sorted(_expand(set(values)))
    if "online" in values and "online_level" not in values:
        values["online_level"] = OnlineLevel.PARTIAL if values["online"] else OnlineLevel.NONE
    problems: dict[str, str] = {}
    if "department" not in values:
        values["department"], problem = assign_department(
            values.get("field", ""), _rules(commune), one_stop_department(commune)
        )
        if problem:
            problems[TOPIC_DEPARTMENT] = problem
    procedure = Procedure(commune=commune, code=code, manual_fields=manual, **values)
    if not procedure.has_usable_time:
        problems[TOPIC_TIME] = "Chưa có thời hạn giải quyết."
    if procedure.fee_amount is None:
        problems[TOPIC_FEE] = "Chưa có mức phí, lệ phí."
    procedure.needs_review, procedure.review_notes = bool(problems), _format_notes(problems)
    procedure.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            procedure.save()
    except IntegrityError as exc:  # a concurrent create won the race
        raise ProcedureConflict(f"{commune} đã có thủ tục mã {code}.") from exc
    return procedure


@transaction.atomic
def procedure_update(
    *,
    user: User | None,
    procedure: Procedure,
    changes: dict[str, Any],
    clear_review: bool = False,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Procedure:
    """Edit a procedure by hand (`StaleEdit` when it was saved since
    `expected_version`, the version the editor's form was opened at). Changed fields are remembered as manual (a
    re-import keeps them); review notes about a fixed topic are removed, and the
    flag is cleared when no note is left or when `clear_review` is set.
    """
    _check(user, procedure.commune, "procedures.change_procedure", "Bạn không có quyền sửa thủ tục.")
    if clear_review and user is not None:
        require_perm(user, "procedures.review_procedure", "Bạn không có quyền rà soát thủ tục.")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Trường không được phép sửa: {', '.join(sorted(unknown))}.")
    procedure = lock_fresh(procedure, expected_version)
    changes = _normalise(changes)
    changed = {k for k, v in changes.items() if not _same(getattr(procedure, k), v)}
    for key in changed:
        setattr(procedure, key, changes[key])
    procedure.full_clean(validate_unique=False, validate_constraints=False)
    changed = _expand(changed)
    if changed:
        procedure.manual_fields = sorted(set(procedure.manual_fields) | changed)
        # A person wrote these parts: they are reviewed (a time still unusable is not).
        written = {part for part, names in PART_FIELDS.items() if changed & set(names)}
        if not procedure.has_usable_time:
            written.discard("time")
        procedure.reviewed_parts = [p for p in PARTS if p in written or p in procedure.reviewed_parts]
        fixed = {topic for topic, fields in TOPIC_FIELDS.items() if changed.intersection(fields)}
        procedure.review_notes = _notes_without(procedure.review_notes, fixed)
    if procedure.needs_review and (clear_review or not procedure.review_notes.strip()):
        procedure.needs_review = False
        procedure.reviewed_at, procedure.reviewed_by = at or timezone.now(), user
        if clear_review:
            procedure.review_notes = ""
    if changed or clear_review:
        procedure.save()
    return procedure


@transaction.atomic
def procedure_review_clear(
    *, user: User | None, procedure: Procedure, at: datetime | None = None
) -> Procedure:
    """A person checked the procedure and accepts it as it is: clear the flag.

    The notes go (the audit trail keeps them); the flag stays cleared on re-import
    while the file's row is unchanged.
    """
    _check(user, procedure.commune, "procedures.review_procedure", "Bạn không có quyền rà soát thủ tục.")
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if not procedure.needs_review:
        raise ValidationError("Thủ tục này không nằm trong danh sách cần rà soát.")
    procedure.needs_review = False
    procedure.review_notes = ""
    procedure.reviewed_at, procedure.reviewed_by = at or timezone.now(), user
    procedure.save()
    return procedure


# --- published details: required documents, steps, legal basis, results ------------
DETAIL_PARTS = ("steps", "conditions", "applicants", "legal_basis", "results")
DOCUMENT_EDITABLE = ("label", "requirement")


@dataclass
class DetailsItem:
    code: str
    name: str
    action: str  # created / updated / unchanged
    changed: list[str] = field(default_factory=list)  # the parts whose published text changed


@dataclass
class DetailsReport:
    commune: Unit
    dry_run: bool
    items: list[DetailsItem] = field(default_factory=list)
    not_in_catalogue: list[str] = field(default_factory=list)
    bad_rows: list[details.BadRow] = field(default_factory=list)

    def _count(self, action: str) -> int:
        return sum(1 for i in self.items if i.action == action)

    def counts(self) -> dict[str, int]:
        return {
            "created": self._count("created"),
            "updated": self._count("updated"),
            "unchanged": self._count("unchanged"),
            "not_in_catalogue": len(self.not_in_catalogue),
            "bad_rows": len(self.bad_rows),
        }

    def summary(self) -> str:
        c = self.counts()
        head = "Chạy thử (không lưu gì)" if self.dry_run else "Đã nhập"
        return (
            f"{head} thành phần hồ sơ và chi tiết thủ tục cho {self.commune}: {c['created']} thủ tục có dữ liệu "
            f"mới, {c['updated']} cập nhật, {c['unchanged']} không đổi; {c['not_in_catalogue']} mã không có trong "
            f"danh mục của xã; {c['bad_rows']} dòng không dùng được."
        )


def _document_rows(procedure: Procedure) -> list[RequiredDocument]:
    return list(procedure.required_documents.order_by("seq"))


def _unreview(procedure: Procedure, parts: set[str]) -> None:
    if parts:
        procedure.reviewed_parts = [p for p in procedure.reviewed_parts if p not in parts]


@transaction.atomic
def procedure_details_import(
    *,
    commune: Unit,
    documents_content: bytes | None,
    details_content: bytes | None,
    user: User | None = None,
    dry_run: bool = False,
    at: datetime | None = None,
) -> DetailsReport:
    """Load the published required documents and details of the commune's
    procedures (docs/rules.md §15), matched by procedure code. Re-runnable:

    - a procedure whose published lines did not change is left alone (a person's
      short label or requirement on a line is kept while the line is unchanged);
    - a changed list or detail replaces the old one, and that part of the
      publication needs a person's review again;
    - codes not in the commune's catalogue and rows that cannot be used are listed
      in the report (a national file has both), never imported half.
    With `dry_run` everything is computed and rolled back.
    """
    _check(user, commune, "procedures.import_procedure", "Bạn không có quyền nhập danh mục thủ tục.")
    if not commune.is_commune:
        raise ValidationError("Chi tiết thủ tục chỉ nhập cho một xã (phường, đặc khu).")
    if documents_content is None and details_content is None:
        raise ValidationError("Cần ít nhất một tệp: thành phần hồ sơ hoặc chi tiết thủ tục.")
    at = at or timezone.now()
    report = DetailsReport(commune=commune, dry_run=dry_run)
    documents, bad = details.read_documents(documents_content) if documents_content is not None else ({}, [])
    report.bad_rows.extend(bad)
    pages, bad = details.read_details(details_content) if details_content is not None else ({}, [])
    report.bad_rows.extend(bad)
    Unit.objects.select_for_update().filter(pk=commune.pk).first()
    catalogue = {
        p.code: p
        for p in Procedure.objects.filter(commune=commune)
        .select_related("detail")
        .prefetch_related("required_documents")
    }
    report.not_in_catalogue = sorted((set(documents) | set(pages)) - set(catalogue))
    for code in sorted((set(documents) | set(pages)) & set(catalogue)):
        procedure = catalogue[code]
        created, changed = False, set()
        if code in documents:
            new_lines = documents[code]
            old_rows = _document_rows(procedure)
            old = [(r.text, r.originals, r.copies, r.heading, r.form_name) for r in old_rows]
            if [d.published() for d in new_lines] != old:
                created = created or not old_rows
                kept = {(r.seq, r.text): r for r in old_rows}
                procedure.required_documents.all().delete()
                rows = []
                for d in new_lines:
                    row = RequiredDocument(
                        procedure=procedure,
                        seq=d.seq,
                        text=d.text,
                        label=d.label,
                        originals=d.originals,
                        copies=d.copies,
                        copies_text=d.copies_text,
                        heading=d.heading,
                        heading_kind=d.heading_kind,
                        requirement=d.requirement,
                        form_name=d.form_name,
                    )
                    before = kept.get((d.seq, d.text))
                    if before is not None:  # the same line: keep what a person set on it
                        for name in before.manual_fields:
                            setattr(row, name, getattr(before, name))
                        row.manual_fields = list(before.manual_fields)
                    rows.append(row)
                RequiredDocument.objects.bulk_create(rows)
                changed.add("documents")
        if code in pages:
            page = pages[code]
            detail = getattr(procedure, "detail", None)
            if detail is None:
                detail = ProcedureDetail(procedure=procedure)
                created = True
            values = {
                "applicants": page.applicants,
                "steps": page.steps,
                "conditions": page.conditions,
                "legal_basis": page.legal_basis,
                "results": page.results,
            }
            parts = {k for k, v in values.items() if getattr(detail, k) != v}
            others = {
                "result_codes": page.result_codes,
                "detail_url": page.detail_url,
                "source_row": page.source,
            }
            if parts or any(getattr(detail, k) != v for k, v in others.items()) or detail.pk is None:
                for k, v in (values | others).items():
                    setattr(detail, k, v)
                detail.imported_at = at
                detail.save()
            changed |= parts
        action = "created" if created else ("updated" if changed else "unchanged")
        if changed:
            _unreview(procedure, changed)
            procedure.save()
            audit.record(
                procedure,
                "update",
                {"nhập chi tiết": sorted(PARTS[p] for p in changed)},
            )
        report.items.append(
            DetailsItem(code=code, name=procedure.name, action=action, changed=sorted(changed))
        )
    if dry_run:
        transaction.set_rollback(True)
    return report


def _part_problem(procedure: Procedure, part: str) -> str:
    """Why a part cannot be marked reviewed (nothing publishable to review)."""
    detail = getattr(procedure, "detail", None)
    if part == "time" and not procedure.has_usable_time:
        return "Thời hạn giải quyết chưa có số và đơn vị dùng được: sửa thời hạn trước."
    if part == "documents" and not (procedure.required_documents.exists() or procedure.documents.strip()):
        return "Chưa có thành phần hồ sơ."
    if part in DETAIL_PARTS and (detail is None or not getattr(detail, part).strip()):
        return f"Chưa có {PARTS[part].lower()}."
    return ""


@transaction.atomic
def procedure_parts_review(
    *, user: User | None, procedure: Procedure, parts: Iterable[str], at: datetime | None = None
) -> Procedure:
    """Set which parts of the procedure's publication a person has reviewed (the
    public page shows only those; docs/rules.md §15). A part with nothing to
    publish cannot be marked reviewed."""
    _check(user, procedure.commune, "procedures.review_procedure", "Bạn không có quyền rà soát thủ tục.")
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    parts = set(parts)
    unknown = parts - set(PARTS)
    if unknown:
        raise ValidationError(f"Phần không hợp lệ: {', '.join(sorted(unknown))}.")
    problems = {
        PARTS[p]: problem
        for p in sorted(parts - set(procedure.reviewed_parts))
        if (problem := _part_problem(procedure, p))
    }
    if problems:
        raise ValidationError([f"{label}: {problem}" for label, problem in problems.items()])
    ordered = [p for p in PARTS if p in parts]
    if ordered != procedure.reviewed_parts:
        procedure.reviewed_parts = ordered
        procedure.reviewed_at, procedure.reviewed_by = at or timezone.now(), user
        procedure.save()
    return procedure


@transaction.atomic
def required_document_update(
    *, user: User | None, document: RequiredDocument, changes: dict[str, Any]
) -> RequiredDocument:
    """A person's short label (printed on the receipt) or requirement for one line;
    kept by later imports while the published line is unchanged."""
    procedure = document.procedure
    _check(user, procedure.commune, "procedures.review_procedure", "Bạn không có quyền rà soát thủ tục.")
    unknown = set(changes) - set(DOCUMENT_EDITABLE)
    if unknown:
        raise ValidationError(f"Trường không được phép sửa: {', '.join(sorted(unknown))}.")
    document = RequiredDocument.objects.select_for_update().get(pk=document.pk)
    changed = {}
    if "label" in changes:
        label = clean_text(changes["label"] or "")
        if not label:
            raise ValidationError({"label": "Tên ngắn không được để trống."})
        if len(label) > 200:
            raise ValidationError({"label": "Tên ngắn tối đa 200 ký tự."})
        changed["label"] = label
    if "requirement" in changes:
        if changes["requirement"] not in Requirement.values:
            raise ValidationError({"requirement": "Yêu cầu không hợp lệ."})
        changed["requirement"] = changes["requirement"]
    changed = {k: v for k, v in changed.items() if getattr(document, k) != v}
    if changed:
        before = {k: getattr(document, k) for k in changed}
        for k, v in changed.items():
            setattr(document, k, v)
        document.manual_fields = sorted(set(document.manual_fields) | set(changed))
        document.save()
        audit.record(
            procedure,
            "update",
            {f"thành phần hồ sơ {document.seq}": {k: [before[k], v] for k, v in changed.items()}},
        )
    return document
