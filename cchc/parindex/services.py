"""Operations of the PAR index. Views, the JSON API, commands, the demo loader and
tests all call these functions; each validates everything first, then writes inside
one transaction, records an `AssessmentEvent` per change, and notifies.

Who may do what (checked here for every channel; `user=None` is the system — demo
loader, commands — and skips the checks):
- criteria sets: the issuing unit's managers (`parindex.manage_criteria_set`,
  province home-affairs staff and administrators) import, edit, open and version
  them; nothing in a set changes once a commune has submitted against it, except
  its deadlines (which a province extends in practice);
- the commune's self-assessment: the CCHC standing office (`parindex.self_assess`)
  scores, attaches evidence, answers explanation requests; the chairman or a
  vice-chairman (`parindex.approve_assessment`) approves and signs; either sends it;
- appraisal: a superior viewer of the issuing unit (`parindex.appraise_assessment`)
  scores each criterion beside the commune's score (never over it), asks for
  explanations, closes the appraisal and publishes.

The state machine (`WORKFLOW`): draft → self-assessed → approved → submitted →
under appraisal ⇄ explanation requested → explained → appraised → published
(returns: self-assessed/approved → draft by the chairman; appraised → under
appraisal by the appraiser before publication).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cchc.core import figures as catalogue
from cchc.core.concurrency import StaleEdit
from cchc.core.permissions import check_commune
from cchc.core.services import notify
from cchc.core.text import clean_text
from cchc.core.uploads import UploadPolicy
from cchc.core.workcal import get_calendar
from cchc.core.workflow import Conflict, Move, Workflow
from cchc.org.models import LEADER_ROLES, Role, Unit, User

from . import criteria_io
from .bindings import example_binding
from .criteria_io import NodeSpec, SetSpec
from .models import (
    APPRAISING_STATUSES,
    Assessment,
    AssessmentEvent,
    CriteriaSet,
    Criterion,
    EvidenceItem,
    EvidenceKind,
    ExplanationRequest,
    Level,
    Score,
    SetStatus,
    Status,
    SumRule,
)
from .rules import Rule, RuleKind, pts, to_decimal
from .suggest import Suggestion, suggestions_for

# Evidence: office documents, scans and photos, a zip of several.
EVIDENCE_UPLOADS = UploadPolicy(types=("pdf", "docx", "xlsx", "jpg", "png", "zip"), max_files=10)


# --- who --------------------------------------------------------------------------------
def _actor_label(user: User | None) -> str:
    if user is None:
        return "Hệ thống"
    return (f"{user.full_name} ({user.get_username()})" if user.full_name else user.get_username())[:200]


def _unit_ids_up(unit: Unit) -> list[int]:
    return [int(pk) for pk in unit.path.strip("/").split("/") if pk]


def can_manage_set(user: User | None, owner: Unit) -> bool:
    """Managers of the issuing unit (or a unit above it), and global administrators."""
    if user is None:
        return True
    if not user.has_perm("parindex.manage_criteria_set"):
        return False
    if user.sees_all_units:
        return True
    return user.unit_id is not None and user.unit_id in _unit_ids_up(owner)


def capabilities(user: User | None, assessment: Assessment) -> set[str]:
    """What `user` may do on `assessment`: "edit" (the commune's standing office),
    "approve" (the commune's leaders), "appraise" (the issuing unit's appraisers)."""
    if user is None:
        return {"edit", "approve", "appraise"}
    caps: set[str] = set()
    if not user.is_authenticated or not user.is_active:
        return caps
    if user.can_write_commune(assessment.commune_id):
        if user.has_perm("parindex.self_assess"):
            caps.add("edit")
        if user.has_perm("parindex.approve_assessment"):
            caps.add("approve")
    if (
        user.has_perm("parindex.appraise_assessment")
        and user.can_see_commune(assessment.commune_id)
        and (
            user.sees_all_units
            or (user.unit_id and user.unit_id in _unit_ids_up(assessment.criteria_set.owner))
        )
    ):
        caps.add("appraise")
    return caps


def can_view(user: User, assessment: Assessment) -> bool:
    return user.can_see_commune(assessment.commune_id) and user.has_perm("parindex.view_assessment")


# --- criteria sets ----------------------------------------------------------------------
def _check_manage(user: User | None, owner: Unit) -> None:
    if user is not None and not can_manage_set(user, owner):
        raise PermissionDenied("Chỉ cán bộ của đơn vị ban hành được nhập, sửa bộ tiêu chí.")


def _check_set_editable(criteria_set: CriteriaSet) -> None:
    if criteria_set.locked_at is not None:
        raise Conflict(
            f"Bộ tiêu chí “{criteria_set.title}” (phiên bản {criteria_set.version}) đã có xã gửi kết quả "
            f"từ {timezone.localtime(criteria_set.locked_at):%d/%m/%Y}: không sửa được nữa. "
            "Muốn đính chính, tạo phiên bản mới."
        )
    if criteria_set.status == SetStatus.SUPERSEDED:
        raise Conflict("Phiên bản này đã được thay bằng phiên bản khác: sửa phiên bản mới nhất.")


@dataclass
class ImportResult:
    criteria_set: CriteriaSet
    warnings: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    removed: int = 0


def _apply_spec_settings(criteria_set: CriteriaSet, spec: SetSpec, *, title: str = "") -> None:
    criteria_set.title = (
        clean_text(title)
        or spec.title
        or criteria_set.title
        or f"Bộ tiêu chí Chỉ số CCHC cấp xã năm {criteria_set.year}"
    )
    criteria_set.title = criteria_set.title[:300]
    criteria_set.scale = spec.scale
    criteria_set.sum_rule = spec.sum_rule if spec.sum_rule in SumRule.values else SumRule.EQUAL
    if spec.points_step:
        criteria_set.points_step = spec.points_step
    criteria_set.bands = [
        {"label": clean_text(str(b["label"])), "from": str(to_decimal(b["from"]))} for b in spec.bands
    ]
    for name in ("decision", "example_note"):
        if getattr(spec, name):
            setattr(
                criteria_set, name, getattr(spec, name)[:300] if name == "decision" else getattr(spec, name)
            )
    criteria_set.is_example = criteria_set.is_example or spec.is_example
    for name in ("window_from", "window_to", "submit_due", "appraisal_due", "publish_due"):
        if getattr(spec, name):
            setattr(criteria_set, name, getattr(spec, name))
    if spec.explanation_days:
        criteria_set.explanation_days = int(spec.explanation_days)


def _node_fields(node: NodeSpec) -> dict:
    return dict(
        title=node.title[:600],
        max_points=node.max_points,
        rule_kind=node.rule.kind,
        rule=node.rule.to_json(),
        figure=node.figure,
        numerator_figure=node.numerator_figure,
        denominator_figure=node.denominator_figure,
        data_source=node.data_source[:200],
        guidance=node.guidance,
        evidence_required=node.evidence_required,
        notes=node.notes,
        na_allowed=node.na_allowed,
        sum_rule=node.sum_rule,
    )


def _write_tree(criteria_set: CriteriaSet, spec: SetSpec) -> tuple[int, int, int]:
    """Make the set's criteria those of `spec`, in place by code (so that scores of
    draft assessments on unchanged criteria stay). Returns (created, updated, removed)."""
    existing = {c.code: c for c in criteria_set.criteria.all()}
    wanted = {n.code for n in spec.nodes}
    removed = [c for code, c in existing.items() if code not in wanted]
    for criterion in removed:
        criterion.delete()
    created = updated = 0
    by_code: dict[str, Criterion] = {}
    for position, node in enumerate(spec.nodes):
        fields = _node_fields(node)
        parent = by_code.get(node.parent_code)
        criterion = existing.get(node.code)
        if criterion is None:
            criterion = Criterion(criteria_set=criteria_set, code=node.code)
            created += 1
        else:
            changed = any(getattr(criterion, k) != v for k, v in fields.items())
            changed = changed or criterion.parent_id != (parent.pk if parent else None)
            updated += int(changed)
        for name, value in fields.items():
            setattr(criterion, name, value)
        criterion.parent = parent
        criterion.position = position
        criterion.depth = node.code.count(".")
        criterion.save()
        by_code[node.code] = criterion
    # Assessments in progress get score rows for new leaves and lose those of nodes
    # that became parents.
    leaves = {c.pk for c in by_code.values() if not any(n.parent_code == c.code for n in spec.nodes)}
    for assessment in criteria_set.assessments.all():
        have = set(assessment.scores.values_list("criterion_id", flat=True))
        Score.objects.filter(assessment=assessment).exclude(criterion_id__in=leaves).delete()
        for pk in leaves - have:
            Score.objects.create(assessment=assessment, criterion_id=pk)
    return created, updated, len(removed)


def _raise_if_invalid(spec: SetSpec) -> None:
    errors = criteria_io.validate(spec)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def criteria_set_import(
    *,
    user: User | None,
    owner: Unit,
    year: int,
    spec: SetSpec,
    title: str = "",
    source_name: str = "",
    level: str = Level.COMMUNE,
) -> ImportResult:
    """Create a new version of the set (owner, year, level) from a read file. Every
    problem is named with its row and nothing is written when there is one."""
    _check_manage(user, owner)
    if owner.is_commune:
        raise ValidationError(
            {"owner": ["Bộ tiêu chí do tỉnh (hoặc đơn vị trên xã) ban hành, không phải do xã."]}
        )
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": ["Năm đánh giá phải trong khoảng 2000–2100."]})
    if spec.year and int(spec.year) != int(year):
        spec.warnings.append(f"Tệp ghi năm {spec.year}; bộ tiêu chí được nhập cho năm {year} như đã chọn.")
    if level not in Level.values:
        raise ValidationError({"level": [f"Cấp áp dụng “{level}” không hợp lệ."]})
    _raise_if_invalid(spec)
    family = CriteriaSet.objects.select_for_update().filter(owner=owner, year=year, level=level)
    latest = family.order_by("-version").first()
    criteria_set = CriteriaSet(
        owner=owner,
        year=year,
        level=level,
        version=(latest.version + 1) if latest else 1,
        previous=latest,
        created_by=user,
        source_name=clean_text(source_name)[:200],
    )
    _apply_spec_settings(criteria_set, spec, title=title)
    try:
        with transaction.atomic():
            criteria_set.save()
    except IntegrityError:
        raise Conflict("Một phiên bản khác của bộ tiêu chí vừa được tạo cùng lúc; thử lại.") from None
    created, _, _ = _write_tree(criteria_set, spec)
    return ImportResult(criteria_set, spec.warnings, created=created)


@transaction.atomic
def criteria_set_replace(*, user: User | None, criteria_set: CriteriaSet, spec: SetSpec) -> ImportResult:
    """Re-import the tree of a set no commune has submitted against (corrections
    before any submission; codes kept keep their scores in draft assessments)."""
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    _check_manage(user, criteria_set.owner)
    _check_set_editable(criteria_set)
    _raise_if_invalid(spec)
    _apply_spec_settings(criteria_set, spec)
    criteria_set.save()
    created, updated, removed = _write_tree(criteria_set, spec)
    return ImportResult(criteria_set, spec.warnings, created=created, updated=updated, removed=removed)


def spec_of(criteria_set: CriteriaSet) -> SetSpec:
    """The stored set as a `SetSpec` (to validate an edit against the whole tree)."""
    spec = SetSpec(
        title=criteria_set.title,
        year=criteria_set.year,
        scale=criteria_set.scale,
        sum_rule=criteria_set.sum_rule,
        points_step=criteria_set.points_step,
        bands=list(criteria_set.bands),
    )
    for c in criteria_set.criteria.all():
        spec.nodes.append(
            NodeSpec(
                where=f"Tiêu chí {c.code}",
                code=c.code,
                title=c.title,
                max_points=c.max_points,
                rule=c.rule_obj,
                rule_given=c.rule_kind != RuleKind.ENTERED,
                figure=c.figure,
                numerator_figure=c.numerator_figure,
                denominator_figure=c.denominator_figure,
                data_source=c.data_source,
                guidance=c.guidance,
                evidence_required=c.evidence_required,
                notes=c.notes,
                na_allowed=c.na_allowed,
                sum_rule=c.sum_rule,
            )
        )
    return spec


CRITERION_FIELDS = (
    "title",
    "max_points",
    "rule_kind",
    "rule",
    "figure",
    "numerator_figure",
    "denominator_figure",
    "guidance",
    "evidence_required",
    "notes",
    "na_allowed",
    "sum_rule",
)


@transaction.atomic
def criterion_update(*, user: User | None, criterion: Criterion, **changes: Any) -> Criterion:
    """Change one criterion (texts, maximum, rule, bound figures) of an editable set;
    the whole tree is validated again (sums, scale, rule, figure keys)."""
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criterion.criteria_set_id)
    _check_manage(user, criteria_set.owner)
    _check_set_editable(criteria_set)
    unknown = set(changes) - set(CRITERION_FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    spec = spec_of(criteria_set)
    node = next(n for n in spec.nodes if n.code == criterion.code)
    for name, value in changes.items():
        if name == "rule_kind" or name == "rule":
            continue
        if name == "max_points":
            value = to_decimal(value, "Điểm tối đa") if value not in (None, "") else None
        elif name in ("title",):
            value = clean_text(value or "")
        elif isinstance(value, str):
            value = value.strip()
        setattr(node, name, value)
    if "rule_kind" in changes or "rule" in changes:
        kind = changes.get("rule_kind", criterion.rule_kind)
        params = changes.get("rule", criterion.rule)
        node.rule = Rule.from_json(kind, params) if not isinstance(params, Rule) else params
        node.rule_given = True
    _raise_if_invalid(spec)
    for name, value in _node_fields(node).items():
        setattr(criterion, name, value)
    criterion.save()
    return criterion


@transaction.atomic
def criteria_set_update(*, user: User | None, criteria_set: CriteriaSet, **values: Any) -> CriteriaSet:
    """Settings of a set. Deadlines (and the explanation time) may change at any
    time — a province extends them; everything else only while the set is editable."""
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    _check_manage(user, criteria_set.owner)
    deadlines = {"submit_due", "appraisal_due", "publish_due", "explanation_days"}
    content = {"title", "decision", "bands", "window_from", "window_to", "points_step"}
    unknown = set(values) - deadlines - content
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    if set(values) & content:
        _check_set_editable(criteria_set)
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if name == "title":
            value = clean_text(value or "")
            if not value:
                errors["title"] = ["Cần tên bộ tiêu chí."]
        elif name == "decision":
            value = clean_text(value or "")
        elif name == "bands":
            spec = SetSpec(
                bands=list(value or []), nodes=[NodeSpec("", "1", "x", Decimal(1))], scale=Decimal(1)
            )
            problems = [e for e in criteria_io.validate(spec) if e.startswith("Nhóm")]
            if problems:
                errors["bands"] = problems
            else:
                value = [
                    {"label": clean_text(str(b["label"])), "from": str(to_decimal(b["from"]))}
                    for b in value or []
                ]
        elif name == "explanation_days" and (value is None or not 1 <= int(value) <= 60):
            errors["explanation_days"] = ["Số ngày làm việc để giải trình phải từ 1 đến 60."]
        setattr(criteria_set, name, value)
    if (
        criteria_set.window_from
        and criteria_set.window_to
        and criteria_set.window_from > criteria_set.window_to
    ):
        errors["window_to"] = ["Ngày kết thúc kỳ số liệu phải sau ngày bắt đầu."]
    if errors:
        raise ValidationError(errors)
    criteria_set.save()
    return criteria_set


@transaction.atomic
def criteria_set_open(*, user: User | None, criteria_set: CriteriaSet) -> CriteriaSet:
    """Make a version the one communes assess against; the family's other open
    version (if any) is superseded — its assessments keep it."""
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    _check_manage(user, criteria_set.owner)
    if criteria_set.status != SetStatus.DRAFT:
        raise Conflict(
            f"Bộ tiêu chí đang ở trạng thái “{criteria_set.get_status_display()}”: chỉ áp dụng được bản dự thảo."
        )
    criteria_set.family().filter(status=SetStatus.OPEN).update(status=SetStatus.SUPERSEDED)
    criteria_set.status = SetStatus.OPEN
    criteria_set.opened_at = timezone.now()
    criteria_set.save()
    return criteria_set


@transaction.atomic
def criteria_set_new_version(*, user: User | None, criteria_set: CriteriaSet) -> CriteriaSet:
    """A draft copy of `criteria_set` as the family's next version (the way to
    correct a set that is locked)."""
    _check_manage(user, criteria_set.owner)
    family = CriteriaSet.objects.select_for_update().filter(
        owner_id=criteria_set.owner_id, year=criteria_set.year, level=criteria_set.level
    )
    if family.filter(status=SetStatus.DRAFT).exists():
        draft = family.filter(status=SetStatus.DRAFT).first()
        raise Conflict(f"Đã có phiên bản {draft.version} đang dự thảo: sửa phiên bản đó.")
    latest = family.order_by("-version").first()
    spec = spec_of(criteria_set)
    copy = CriteriaSet(
        owner_id=criteria_set.owner_id,
        year=criteria_set.year,
        level=criteria_set.level,
        version=latest.version + 1,
        previous=criteria_set,
        created_by=user,
        **{
            name: getattr(criteria_set, name)
            for name in (
                "title",
                "decision",
                "is_example",
                "example_note",
                "scale",
                "sum_rule",
                "points_step",
                "bands",
                "window_from",
                "window_to",
                "submit_due",
                "appraisal_due",
                "explanation_days",
                "publish_due",
            )
        },
    )
    copy.save()
    _write_tree(copy, spec)
    return copy


@transaction.atomic
def criteria_set_delete(*, user: User | None, criteria_set: CriteriaSet) -> None:
    """Delete a draft version that no commune has used."""
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    _check_manage(user, criteria_set.owner)
    if criteria_set.status != SetStatus.DRAFT or criteria_set.assessments.exists():
        raise Conflict("Chỉ xóa được bản dự thảo chưa có xã nào đánh giá.")
    criteria_set.delete()


def bind_example(criteria_set: CriteriaSet) -> list[str]:
    """Bind the example set's criteria that name no data to the catalogue's figures
    (`bindings.EXAMPLE_BINDINGS`); returns the codes bound."""
    bound = []
    for criterion in criteria_set.criteria.filter(figure="", numerator_figure=""):
        binding = example_binding(criterion.code)
        if binding and criterion.rule_obj.is_computed:
            criterion_update(
                user=None,
                criterion=criterion,
                figure=binding.get("figure", ""),
                numerator_figure=binding.get("numerator", ""),
                denominator_figure=binding.get("denominator", ""),
            )
            bound.append(criterion.code)
    return bound


# --- the assessment's state machine ---------------------------------------------------------
def _status_label(status: str) -> str:
    try:
        return Status(status).label
    except ValueError:
        return status


WORKFLOW = Workflow(
    [
        Move(
            "self_assess",
            "Hoàn thành tự đánh giá, trình Chủ tịch",
            (Status.DRAFT,),
            Status.SELF_ASSESSED,
            {"edit"},
        ),
        Move(
            "return",
            "Trả lại để chấm lại",
            (Status.SELF_ASSESSED, Status.APPROVED),
            Status.DRAFT,
            {"approve"},
        ),
        Move("approve", "Duyệt kết quả tự đánh giá", (Status.SELF_ASSESSED,), Status.APPROVED, {"approve"}),
        Move("submit", "Gửi cấp trên thẩm định", (Status.APPROVED,), Status.SUBMITTED, {"edit", "approve"}),
        Move(
            "start_appraisal", "Bắt đầu thẩm định", (Status.SUBMITTED,), Status.UNDER_APPRAISAL, {"appraise"}
        ),
        Move(
            "request_explanation",
            "Gửi yêu cầu giải trình",
            APPRAISING_STATUSES,
            Status.EXPLANATION_REQUESTED,
            {"appraise"},
        ),
        Move(
            "explain",
            "Gửi giải trình",
            (Status.EXPLANATION_REQUESTED,),
            Status.EXPLAINED,
            {"edit", "approve"},
        ),
        Move("appraise", "Hoàn thành thẩm định", APPRAISING_STATUSES, Status.APPRAISED, {"appraise"}),
        Move("reopen", "Thẩm định lại", (Status.APPRAISED,), Status.UNDER_APPRAISAL, {"appraise"}),
        Move("publish", "Công bố kết quả", (Status.APPRAISED,), Status.PUBLISHED, {"appraise"}),
    ],
    status_label=_status_label,
    denied_message=lambda move: {
        "edit": "Chỉ thường trực CCHC của xã được thực hiện thao tác này.",
        "approve": "Chỉ Chủ tịch, Phó Chủ tịch UBND xã được duyệt kết quả tự đánh giá.",
        "appraise": "Chỉ cán bộ thẩm định của đơn vị ban hành bộ tiêu chí được thực hiện thao tác này.",
    }.get(
        sorted(move.allowed)[0] if len(move.allowed) == 1 else "",
        "Bạn không có quyền thực hiện thao tác này.",
    ),
)

ACTION_LABELS = {
    "create": "Tạo bản tự đánh giá",
    "switch_version": "Chuyển sang phiên bản bộ tiêu chí mới",
    "self_score": "Xã chấm điểm",
    "appraise_score": "Thẩm định điểm",
    "evidence_add": "Thêm minh chứng",
    "evidence_remove": "Bỏ minh chứng",
    "explanation_request": "Yêu cầu giải trình (dự thảo)",
    "explanation_withdraw": "Rút yêu cầu giải trình",
    "explanation_answer": "Xã giải trình",
    "letter": "Sửa công văn đề nghị thẩm định",
    **{m.action: m.label for m in WORKFLOW},
}
FIELD_LABELS = {
    "status": "Trạng thái",
    "self_points": "Điểm tự chấm",
    "self_not_applicable": "Xã xác định không áp dụng",
    "self_numerator": "Tử số / số lần (xã)",
    "self_denominator": "Mẫu số (xã)",
    "self_note": "Thuyết minh của xã",
    "appraised_points": "Điểm thẩm định",
    "appraised_not_applicable": "Thẩm định: không áp dụng",
    "appraised_numerator": "Tử số / số lần (thẩm định)",
    "appraised_denominator": "Mẫu số (thẩm định)",
    "appraisal_comment": "Nhận xét thẩm định",
    "evidence": "Minh chứng",
    "explanation": "Giải trình",
    "letter": "Công văn",
    "criteria_set": "Bộ tiêu chí",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Decimal):
        return pts(value) if value == value.quantize(Decimal("0.01")) else str(value.normalize())
    return str(value)


def _event(
    assessment: Assessment,
    user: User | None,
    action: str,
    *,
    criterion: Criterion | None = None,
    field: str = "",
    from_value="",
    to_value="",
    note: str = "",
    at: datetime | None = None,
) -> AssessmentEvent:
    return AssessmentEvent.objects.create(
        assessment=assessment,
        criterion=criterion,
        at=at or timezone.now(),
        actor=user,
        actor_label=_actor_label(user),
        action=action,
        field=field,
        from_value=_text(from_value),
        to_value=_text(to_value),
        note=note,
    )


def _lock(assessment: Assessment) -> Assessment:
    """The assessment row locked for this transaction (two users acting at once are
    serialised; the second sees the first one's result)."""
    return (
        Assessment.objects.select_for_update()
        .select_related("criteria_set__owner", "commune")
        .get(pk=assessment.pk)
    )


def _block(value: str) -> str:
    lines = [clean_text(line) for line in (value or "").splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _need_caps(user: User | None, assessment: Assessment, cap: str, message: str) -> None:
    if user is None:
        return
    check_commune(user, assessment.commune_id)
    if cap not in capabilities(user, assessment):
        raise PermissionDenied(message)


def available_moves(user: User, assessment: Assessment) -> list[Move]:
    return WORKFLOW.available(assessment.status, capabilities(user, assessment))


@transaction.atomic
def assessment_create(*, user: User | None, commune: Unit, criteria_set: CriteriaSet) -> Assessment:
    """Start the commune's self-assessment against an open set (one per commune and
    set family: owner, year, level)."""
    if user is not None:
        check_commune(user, commune.pk, write=True)
        if not user.has_perm("parindex.self_assess"):
            raise PermissionDenied("Chỉ thường trực CCHC của xã được lập bản tự đánh giá.")
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if not commune.is_commune:
        raise ValidationError("Bản tự đánh giá Chỉ số CCHC lập cho một xã.")
    if criteria_set.status != SetStatus.OPEN:
        raise Conflict("Bộ tiêu chí chưa được áp dụng (hoặc đã có phiên bản mới): chưa tự đánh giá được.")
    if criteria_set.owner_id not in _unit_ids_up(commune)[:-1]:
        raise ValidationError("Bộ tiêu chí này không áp dụng cho xã (do đơn vị khác ban hành).")
    existing = Assessment.objects.filter(commune=commune, criteria_set__in=criteria_set.family()).first()
    if existing is not None:
        raise Conflict(
            f"{commune} đã có bản tự đánh giá Chỉ số CCHC năm {criteria_set.year} "
            f"(phiên bản {existing.criteria_set.version} của bộ tiêu chí)."
        )
    assessment = Assessment.objects.create(
        commune=commune,
        criteria_set=criteria_set,
        year=criteria_set.year,
        created_by=user,
        recipients=f"{criteria_set.owner.name}\nLãnh đạo UBND xã\nLưu: VT, VP",
    )
    criteria = list(criteria_set.criteria.all())
    parents = {c.parent_id for c in criteria}
    Score.objects.bulk_create(
        [Score(assessment=assessment, criterion=c) for c in criteria if c.pk not in parents]
    )
    _event(assessment, user, "create", field="status", to_value=Status.DRAFT.label, note=str(criteria_set))
    return assessment


@transaction.atomic
def assessment_switch_version(*, user: User | None, assessment: Assessment) -> Assessment:
    """Move a draft self-assessment to the family's open version (after a correction),
    keeping the scores, notes and evidence of every criterion whose code exists in
    both; the others are listed in the history."""
    assessment = _lock(assessment)
    _need_caps(user, assessment, "edit", "Chỉ thường trực CCHC của xã được chuyển phiên bản bộ tiêu chí.")
    if assessment.status != Status.DRAFT:
        raise Conflict("Chỉ chuyển phiên bản khi bản tự đánh giá còn đang chấm (chưa trình).")
    target = assessment.criteria_set.family().filter(status=SetStatus.OPEN).first()
    if target is None or target.pk == assessment.criteria_set_id:
        raise Conflict("Không có phiên bản bộ tiêu chí mới hơn đang áp dụng.")
    old_set = assessment.criteria_set
    new_criteria = {c.code: c for c in target.criteria.all()}
    parents = {c.parent_id for c in new_criteria.values()}
    dropped = []
    kept_codes = set()
    for score in assessment.scores.select_related("criterion"):
        new = new_criteria.get(score.criterion.code)
        if new is None or new.pk in parents:
            dropped.append(score.criterion.code)
            score.delete()
            continue
        score.criterion = new
        score.save()
        kept_codes.add(new.code)
    for code, criterion in new_criteria.items():
        if criterion.pk not in parents and code not in kept_codes:
            Score.objects.create(assessment=assessment, criterion=criterion)
    assessment.criteria_set = target
    assessment.save()
    note = f"Từ phiên bản {old_set.version} sang phiên bản {target.version}."
    if dropped:
        note += f" Bỏ điểm các tiêu chí không còn: {', '.join(dropped)}."
    _event(
        assessment,
        user,
        "switch_version",
        field="criteria_set",
        from_value=old_set.version,
        to_value=target.version,
        note=note,
    )
    return assessment


# --- scoring: the commune's side --------------------------------------------------------------
def _score(assessment: Assessment, criterion: Criterion) -> Score:
    try:
        return Score.objects.select_related("criterion").get(assessment=assessment, criterion=criterion)
    except Score.DoesNotExist:
        raise ValidationError(
            f"Tiêu chí {criterion.code} không phải tiêu chí được chấm của bản đánh giá này."
        ) from None


def _record_changes(score: Score, before: dict, user, action: str, note: str, at: datetime) -> list[str]:
    changed = []
    for name, old in before.items():
        new = getattr(score, name)
        if _text(old) != _text(new):
            _event(
                score.assessment,
                user,
                action,
                criterion=score.criterion,
                field=name,
                from_value=old,
                to_value=new,
                note=note,
                at=at,
            )
            changed.append(name)
    return changed


def _outcome_from_inputs(rule: Rule, criterion: Criterion, numerator, denominator):
    """(points or None, not_applicable, numerator, denominator) from entered measures."""
    if rule.kind == RuleKind.DEDUCTION:
        count = to_decimal(numerator, "Số lần vi phạm")
        if count != count.to_integral_value():
            raise ValidationError({"numerator": ["Số lần vi phạm phải là số nguyên."]})
        outcome = rule.apply(criterion.max_points, occurrences=count)
        return outcome, count, None
    num = to_decimal(numerator, "Tử số")
    den = to_decimal(denominator, "Mẫu số") if denominator not in (None, "") else None
    if den is None:
        raise ValidationError({"denominator": ["Nhập mẫu số (tổng số để tính tỷ lệ)."]})
    outcome = rule.apply(criterion.max_points, numerator=num, denominator=den)
    return outcome, num, den


@transaction.atomic
def score_self(
    *,
    user: User | None,
    assessment: Assessment,
    criterion: Criterion,
    accept_suggestion: bool = False,
    points: Decimal | int | None = None,
    numerator: Decimal | int | None = None,
    denominator: Decimal | int | None = None,
    not_applicable: bool = False,
    reason: str = "",
    note: str | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Score:
    """The commune scores one criterion: accept the suggestion computed from its data,
    or enter points (or the numbers a data rule computes them from), or declare the
    criterion not applicable where the set allows it. A score that differs from the
    suggestion, and "not applicable", need a reason. `note` is the commune's
    explanation (needed when no evidence is attached). Every change is a history row."""
    at = at or timezone.now()
    assessment = _lock(assessment)
    _need_caps(user, assessment, "edit", "Chỉ thường trực CCHC của xã được chấm điểm tự đánh giá.")
    if assessment.status != Status.DRAFT:
        raise Conflict(
            f"Bản tự đánh giá đang ở trạng thái “{assessment.get_status_display()}”: không chấm lại được."
        )
    score = _score(assessment, criterion)  # the assessment is locked: so are its scores
    if expected_version is not None and score.version != expected_version:
        raise StaleEdit(score)
    criterion = score.criterion
    rule = criterion.rule_obj
    reason = _block(reason)
    if rule.appraiser_only:
        raise ValidationError("Điểm điều tra xã hội học do cấp trên chấm; xã không tự chấm tiêu chí này.")
    suggestion = suggestions_for(assessment, [criterion]).get(criterion.pk)
    before = {
        n: getattr(score, n)
        for n in ("self_points", "self_not_applicable", "self_numerator", "self_denominator", "self_note")
    }

    num = den = None
    na = False
    if accept_suggestion:
        if suggestion is None or not suggestion.available:
            raise ValidationError("Tiêu chí này chưa có điểm gợi ý từ số liệu; nhập điểm kèm minh chứng.")
        new_points, na = suggestion.points, suggestion.not_applicable
        num, den = suggestion.numerator, suggestion.denominator if rule.kind != RuleKind.DEDUCTION else None
        origin = Score.Origin.SUGGESTED
    elif not_applicable:
        if not criterion.na_allowed:
            raise ValidationError("Bộ tiêu chí không cho phép xác định tiêu chí này là không áp dụng.")
        if not reason:
            raise ValidationError({"reason": ["Ghi lý do tiêu chí không áp dụng đối với xã."]})
        new_points, na, origin = None, True, Score.Origin.ENTERED
    elif rule.is_computed and numerator not in (None, ""):
        outcome, num, den = _outcome_from_inputs(rule, criterion, numerator, denominator)
        if outcome.not_applicable:
            if not reason:
                raise ValidationError(
                    {"reason": ["Ghi lý do (không có gì để tính nên tiêu chí không áp dụng)."]}
                )
            new_points, na = None, True
        elif outcome.points is None:
            if points in (None, ""):
                raise ValidationError({"points": [f"{outcome.explanation} Nhập điểm."]})
            new_points = rule.check_entered(
                criterion.max_points, points, set_step=assessment.criteria_set.points_step
            )
        else:
            new_points = outcome.points
        origin = Score.Origin.ENTERED
    else:
        if points in (None, ""):
            raise ValidationError({"points": ["Nhập điểm, hoặc dùng điểm gợi ý."]})
        try:
            new_points = rule.check_entered(
                criterion.max_points, points, set_step=assessment.criteria_set.points_step
            )
        except ValidationError as exc:
            raise ValidationError({"points": exc.messages}) from None
        origin = Score.Origin.ENTERED
    if origin == Score.Origin.ENTERED and suggestion is not None and suggestion.available:
        differs = (new_points != suggestion.points) or (na != suggestion.not_applicable)
        if differs and not reason:
            raise ValidationError(
                {
                    "reason": [
                        f"Điểm khác điểm gợi ý từ số liệu ({pts(suggestion.points) if not suggestion.not_applicable else 'không áp dụng'}): ghi lý do."
                    ]
                }
            )
    score.self_points = None if na else new_points
    score.self_not_applicable = na
    score.self_numerator, score.self_denominator = num, den
    score.self_origin = origin
    score.self_reason = reason
    if note is not None:
        score.self_note = _block(note)
    score.suggestion = suggestion.as_json() if suggestion is not None else None
    score.self_scored_at, score.self_scored_by = at, user
    score.save()
    why = reason or (Score.Origin(origin).label if origin == Score.Origin.SUGGESTED else "")
    _record_changes(score, before, user, "self_score", why, at)
    return score


@transaction.atomic
def score_note(*, user: User | None, assessment: Assessment, criterion: Criterion, note: str) -> Score:
    """Change only the commune's explanation of a criterion (draft only)."""
    assessment = _lock(assessment)
    _need_caps(user, assessment, "edit", "Chỉ thường trực CCHC của xã được sửa thuyết minh.")
    if assessment.status != Status.DRAFT:
        raise Conflict(
            f"Bản tự đánh giá đang ở trạng thái “{assessment.get_status_display()}”: không sửa được."
        )
    score = _score(assessment, criterion)
    before = {"self_note": score.self_note}
    score.self_note = _block(note)
    score.save()
    _record_changes(score, before, user, "self_score", "", timezone.now())
    return score


# --- evidence ----------------------------------------------------------------------------------
def _check_evidence_writable(user: User | None, assessment: Assessment, score: Score) -> None:
    _need_caps(user, assessment, "edit", "Chỉ thường trực CCHC của xã được thêm, bỏ minh chứng.")
    if assessment.status == Status.DRAFT:
        return
    if assessment.status == Status.EXPLANATION_REQUESTED and any(
        r.is_open for r in score.explanation_requests.all()
    ):
        return
    raise Conflict("Chỉ thêm, bỏ minh chứng khi đang tự chấm, hoặc cho tiêu chí cấp trên yêu cầu giải trình.")


@transaction.atomic
def evidence_add_files(
    *,
    user: User | None,
    assessment: Assessment,
    criterion: Criterion,
    files: Sequence[UploadedFile],
    location: str = "",
) -> list[EvidenceItem]:
    """Upload evidence files for one criterion (the shared upload rules)."""
    assessment = _lock(assessment)
    score = _score(assessment, criterion)
    _check_evidence_writable(user, assessment, score)
    if not files:
        raise ValidationError({"files": ["Chọn ít nhất một tệp minh chứng."]})
    try:
        checked = EVIDENCE_UPLOADS.check(files)
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from None
    location = clean_text(location)[:200]
    items = []
    for upload in checked:
        item = EvidenceItem(
            score=score,
            kind=EvidenceKind.FILE,
            original_name=upload.original_name,
            extension=upload.extension,
            size=upload.size,
            label=upload.original_name,
            location=location,
            added_by=user,
        )
        item.file.save("upload", upload.file, save=False)
        item.save()
        items.append(item)
        _event(
            assessment,
            user,
            "evidence_add",
            criterion=score.criterion,
            field="evidence",
            to_value=item.label,
            note=location,
        )
    return items


@transaction.atomic
def evidence_add_link(
    *, user: User | None, assessment: Assessment, criterion: Criterion, key: str, location: str = ""
) -> EvidenceItem:
    """Link one thing the product already holds (a key from `links.candidates`) as
    evidence for a criterion; it must belong to the assessment's commune."""
    from .links import resolve

    assessment = _lock(assessment)
    score = _score(assessment, criterion)
    _check_evidence_writable(user, assessment, score)
    link = resolve(assessment, key)
    if link is None:
        raise ValidationError({"link": ["Không tìm thấy dữ liệu được chọn trong dữ liệu của xã."]})
    if score.evidence.filter(kind=EvidenceKind.LINK, link_kind=link.kind, link_id=link.object_id).exists():
        raise ValidationError({"link": [f"“{link.label}” đã là minh chứng của tiêu chí này."]})
    item = EvidenceItem.objects.create(
        score=score,
        kind=EvidenceKind.LINK,
        link_kind=link.kind,
        link_id=link.object_id,
        label=link.label[:300],
        url=link.url,
        location=clean_text(location)[:200],
        added_by=user,
    )
    _event(
        assessment,
        user,
        "evidence_add",
        criterion=score.criterion,
        field="evidence",
        to_value=item.label,
        note=item.location,
    )
    return item


@transaction.atomic
def evidence_remove(*, user: User | None, item: EvidenceItem, reason: str = "") -> None:
    assessment = _lock(item.score.assessment)
    score = item.score
    _check_evidence_writable(user, assessment, score)
    label = item.label
    if item.file:
        item.file.delete(save=False)
    item.delete()
    _event(
        assessment,
        user,
        "evidence_remove",
        criterion=score.criterion,
        field="evidence",
        from_value=label,
        note=_block(reason),
    )


# --- appraisal ----------------------------------------------------------------------------------
def _check_appraising(user: User | None, assessment: Assessment) -> None:
    _need_caps(
        user, assessment, "appraise", "Chỉ cán bộ thẩm định của đơn vị ban hành bộ tiêu chí được thẩm định."
    )
    if assessment.status not in APPRAISING_STATUSES:
        raise Conflict(
            f"Bản đánh giá đang ở trạng thái “{assessment.get_status_display()}”: chỉ chấm thẩm định khi đang thẩm định."
        )


@transaction.atomic
def score_appraise(
    *,
    user: User | None,
    assessment: Assessment,
    criterion: Criterion,
    agree: bool = False,
    points: Decimal | int | None = None,
    numerator: Decimal | int | None = None,
    denominator: Decimal | int | None = None,
    not_applicable: bool = False,
    comment: str | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Score:
    """The appraiser's score of one criterion, beside the commune's (which stays):
    agree with the self-score, or enter points (or the numbers the rule computes them
    from), or mark it not applicable. A score below the commune's needs a comment."""
    at = at or timezone.now()
    assessment = _lock(assessment)
    _check_appraising(user, assessment)
    score = _score(assessment, criterion)
    if expected_version is not None and score.version != expected_version:
        raise StaleEdit(score)
    criterion = score.criterion
    rule = criterion.rule_obj
    before = {
        n: getattr(score, n)
        for n in (
            "appraised_points",
            "appraised_not_applicable",
            "appraised_numerator",
            "appraised_denominator",
            "appraisal_comment",
        )
    }
    comment = _block(comment) if comment is not None else score.appraisal_comment
    num = den = None
    if agree:
        if rule.appraiser_only or not score.self_scored:
            raise ValidationError("Tiêu chí này không có điểm tự chấm để đồng ý; nhập điểm thẩm định.")
        new_points, na = score.self_points, score.self_not_applicable
        num, den = score.self_numerator, score.self_denominator
    elif not_applicable:
        if not (criterion.na_allowed or rule.appraiser_only or rule.when_none == "not_applicable"):
            raise ValidationError("Bộ tiêu chí không cho phép xác định tiêu chí này là không áp dụng.")
        if not comment:
            raise ValidationError({"comment": ["Ghi nhận xét: vì sao tiêu chí không áp dụng."]})
        new_points, na = None, True
    elif rule.is_computed and numerator not in (None, ""):
        outcome, num, den = _outcome_from_inputs(rule, criterion, numerator, denominator)
        na = outcome.not_applicable
        if outcome.points is None and not na:
            new_points = rule.check_entered(
                criterion.max_points, points, set_step=assessment.criteria_set.points_step
            )
        else:
            new_points = outcome.points
    else:
        if points in (None, ""):
            raise ValidationError({"points": ["Nhập điểm thẩm định, hoặc đồng ý với điểm tự chấm."]})
        try:
            new_points = rule.check_entered(
                criterion.max_points, points, set_step=assessment.criteria_set.points_step
            )
        except ValidationError as exc:
            raise ValidationError({"points": exc.messages}) from None
        na = False
    lower = score.self_points is not None and (
        na or (new_points is not None and new_points < score.self_points)
    )
    if lower and not comment:
        raise ValidationError(
            {"comment": [f"Điểm thẩm định thấp hơn điểm tự chấm ({pts(score.self_points)}): ghi nhận xét."]}
        )
    score.appraised_points = None if na else new_points
    score.appraised_not_applicable = na
    score.appraised_numerator, score.appraised_denominator = num, den
    score.appraisal_comment = comment
    score.appraised_at, score.appraised_by = at, user
    score.save()
    _record_changes(score, before, user, "appraise_score", comment if lower else "", at)
    return score


@transaction.atomic
def appraise_agree_rest(*, user: User | None, assessment: Assessment) -> int:
    """Agree with the self-score of every criterion not appraised yet (survey criteria
    excepted: they have no self-score). Returns how many were set."""
    assessment = _lock(assessment)
    _check_appraising(user, assessment)
    count = 0
    for score in assessment.scores.select_related("criterion").filter(
        appraised_points__isnull=True, appraised_not_applicable=False
    ):
        if score.criterion.rule_kind == RuleKind.SURVEY or not score.self_scored:
            continue
        score_appraise(user=user, assessment=assessment, criterion=score.criterion, agree=True)
        count += 1
    return count


def _current_round(assessment: Assessment) -> int:
    last = (
        ExplanationRequest.objects.filter(score__assessment=assessment, sent_at__isnull=False)
        .order_by("-round")
        .values_list("round", flat=True)
        .first()
    )
    return (last or 0) + 1


@transaction.atomic
def explanation_request_add(
    *, user: User | None, assessment: Assessment, criterion: Criterion, request: str
) -> ExplanationRequest:
    """Prepare a request for the commune to explain one criterion; it is sent, with
    the round's others and a deadline, by the "request explanation" move."""
    assessment = _lock(assessment)
    _check_appraising(user, assessment)
    score = _score(assessment, criterion)
    request = _block(request)
    if not request:
        raise ValidationError({"request": ["Ghi nội dung cần xã giải trình."]})
    if score.explanation_requests.filter(sent_at__isnull=True).exists():
        raise ValidationError(
            {"request": [f"Tiêu chí {criterion.code} đã có yêu cầu giải trình chưa gửi; sửa yêu cầu đó."]}
        )
    item = ExplanationRequest.objects.create(
        score=score, round=_current_round(assessment), request=request, requested_by=user
    )
    _event(
        assessment,
        user,
        "explanation_request",
        criterion=score.criterion,
        field="explanation",
        to_value=request,
    )
    return item


@transaction.atomic
def explanation_request_withdraw(*, user: User | None, item: ExplanationRequest) -> None:
    assessment = _lock(item.score.assessment)
    _check_appraising(user, assessment)
    if item.sent_at is not None:
        raise Conflict("Yêu cầu giải trình đã gửi cho xã, không rút được.")
    _event(
        assessment,
        user,
        "explanation_withdraw",
        criterion=item.score.criterion,
        field="explanation",
        from_value=item.request,
    )
    item.delete()


@transaction.atomic
def explanation_answer(*, user: User | None, item: ExplanationRequest, response: str) -> ExplanationRequest:
    """The commune's explanation of one criterion (before sending the explanations)."""
    assessment = _lock(item.score.assessment)
    _need_caps(user, assessment, "edit", "Chỉ thường trực CCHC của xã được giải trình.")
    if assessment.status != Status.EXPLANATION_REQUESTED or item.sent_at is None:
        raise Conflict("Chỉ giải trình khi cấp trên đang yêu cầu giải trình.")
    item = ExplanationRequest.objects.select_for_update().get(pk=item.pk)
    response = _block(response)
    if not response:
        raise ValidationError({"response": ["Nhập nội dung giải trình."]})
    before = item.response
    item.response, item.responded_at, item.responded_by = response, timezone.now(), user
    item.save()
    _event(
        assessment,
        user,
        "explanation_answer",
        criterion=item.score.criterion,
        field="explanation",
        from_value=before,
        to_value=response,
    )
    return item


@transaction.atomic
def assessment_letter(
    *,
    user: User | None,
    assessment: Assessment,
    letter_number: str = "",
    letter_symbol: str | None = None,
    letter_date: date | None = None,
    recipients: str | None = None,
) -> Assessment:
    """The number, date and recipients of the letter asking for appraisal (until sent)."""
    assessment = _lock(assessment)
    caps = capabilities(user, assessment) if user is not None else {"edit"}
    if user is not None:
        check_commune(user, assessment.commune_id)
    if not caps & {"edit", "approve"}:
        raise PermissionDenied("Chỉ thường trực CCHC, lãnh đạo UBND xã sửa công văn đề nghị thẩm định.")
    if assessment.is_sent:
        raise Conflict("Công văn đã gửi kèm kết quả tự đánh giá, không sửa được.")
    number = clean_text(letter_number)
    if number and not number.isdigit():
        raise ValidationError({"letter_number": ["Số công văn chỉ gồm chữ số, ví dụ 125."]})
    before = assessment.letter_number_display
    assessment.letter_number = number
    if letter_symbol is not None:
        assessment.letter_symbol = clean_text(letter_symbol) or assessment.letter_symbol
    assessment.letter_date = letter_date
    if recipients is not None:
        assessment.recipients = _block(recipients)
    assessment.save()
    _event(
        assessment,
        user,
        "letter",
        field="letter",
        from_value=before,
        to_value=assessment.letter_number_display,
    )
    return assessment


def _missing_for_self_assessment(assessment: Assessment) -> list[str]:
    problems = []
    scores = list(
        assessment.scores.select_related("criterion")
        .prefetch_related("evidence")
        .order_by("criterion__position")
    )
    unscored = [
        s.criterion.code for s in scores if s.criterion.rule_kind != RuleKind.SURVEY and not s.self_scored
    ]
    if unscored:
        problems.append(f"Còn {len(unscored)} tiêu chí chưa chấm: {', '.join(unscored)}.")
    # A score accepted from the product's own data is evidenced by that data (the
    # figure, its window and its records, kept with the score); others need a file,
    # a link or the commune's explanation.
    bare = [
        s.criterion.code
        for s in scores
        if s.self_scored
        and not s.self_not_applicable
        and s.self_origin != Score.Origin.SUGGESTED
        and not list(s.evidence.all())
        and not s.self_note
    ]
    if bare:
        problems.append(f"Tiêu chí chấm điểm mà không có minh chứng cần thuyết minh: {', '.join(bare)}.")
    return problems


@transaction.atomic
def assessment_act(
    *,
    user: User | None,
    assessment: Assessment,
    action: str,
    note: str = "",
    due_date: date | None = None,
    at: datetime | None = None,
) -> Assessment:
    """One move of the state machine: checked against `WORKFLOW` (409 when the state
    does not allow it, 403 without the capability), validated by its handler, written
    with an event row, followed by notices to whoever acts next."""
    at = at or timezone.now()
    assessment = _lock(assessment)
    if user is not None:
        check_commune(user, assessment.commune_id)
    move = WORKFLOW.check(action, assessment.status, capabilities(user, assessment))
    note = _block(note)
    from_status = assessment.status
    _HANDLERS[action](assessment, user=user, note=note, due_date=due_date, at=at)
    assessment.status = WORKFLOW.target(move, assessment.status)
    assessment.save()
    _event(
        assessment,
        user,
        action,
        field="status",
        from_value=_status_label(from_status),
        to_value=_status_label(assessment.status),
        note=note,
        at=at,
    )
    _notify_after(assessment, action, at)
    return assessment


def _do_self_assess(a: Assessment, **_) -> None:
    problems = _missing_for_self_assessment(a)
    if problems:
        raise ValidationError(problems)


def _do_return(a: Assessment, *, note: str, **_) -> None:
    if not note:
        raise ValidationError({"note": ["Ghi lý do trả lại, nội dung cần chấm lại."]})
    a.signer, a.signer_name = None, ""


def _do_approve(a: Assessment, *, user: User | None, **_) -> None:
    problems = _missing_for_self_assessment(a)
    if problems:
        raise ValidationError(problems)
    if user is not None:
        a.signer = user
        a.signer_name = user.full_name or user.username
        a.signer_title = "CHỦ TỊCH" if user.role == Role.CHAIRMAN else "PHÓ CHỦ TỊCH"


def _do_submit(a: Assessment, *, at: datetime, **_) -> None:
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=a.criteria_set_id)
    if criteria_set.status == SetStatus.SUPERSEDED:
        raise Conflict(
            "Bộ tiêu chí đã có phiên bản đính chính đang áp dụng: trả lại dự thảo và chuyển sang phiên bản mới trước khi gửi."
        )
    if criteria_set.locked_at is None:
        # The first submission freezes the set: from now on it never changes.
        criteria_set.locked_at = at
        criteria_set.save(update_fields=["locked_at"])
    a.submitted_at = at
    a.letter_date = a.letter_date or timezone.localdate(at)


def _do_start_appraisal(a: Assessment, *, user: User | None, **_) -> None:
    if user is not None:
        a.appraiser = user


def _do_request_explanation(a: Assessment, *, at: datetime, due_date: date | None, **_) -> None:
    pending = list(ExplanationRequest.objects.filter(score__assessment=a, sent_at__isnull=True))
    if not pending:
        raise ValidationError("Chưa có tiêu chí nào được ghi yêu cầu giải trình.")
    today = timezone.localdate(at)
    if due_date is None:
        due_date = get_calendar().add_working_days(today, a.criteria_set.explanation_days)
    elif due_date < today:
        raise ValidationError({"due_date": ["Hạn giải trình không thể trước hôm nay."]})
    for item in pending:
        item.sent_at, item.due_date = at, due_date
        item.save()
    a.explanation_due = due_date


def _do_explain(a: Assessment, **_) -> None:
    open_items = ExplanationRequest.objects.filter(
        score__assessment=a, sent_at__isnull=False, responded_at__isnull=True
    ).select_related("score__criterion")
    missing = sorted({i.score.criterion.code for i in open_items})
    if missing:
        raise ValidationError(f"Chưa giải trình tiêu chí: {', '.join(missing)}.")
    a.explanation_due = None


def _do_appraise(a: Assessment, *, user: User | None, at: datetime, **_) -> None:
    pending = ExplanationRequest.objects.filter(score__assessment=a, sent_at__isnull=True)
    if pending.exists():
        raise ValidationError(
            "Còn yêu cầu giải trình chưa gửi: gửi cho xã hoặc rút yêu cầu trước khi hoàn thành."
        )
    missing = [
        s.criterion.code
        for s in a.scores.select_related("criterion").order_by("criterion__position")
        if not s.appraised
    ]
    if missing:
        raise ValidationError(
            f"Còn {len(missing)} tiêu chí chưa có điểm thẩm định: {', '.join(missing)} "
            "(tiêu chí điều tra xã hội học không tổ chức: đánh dấu không áp dụng)."
        )
    a.appraised_at = at
    if a.appraiser_id is None and user is not None:
        a.appraiser = user


def _do_reopen(a: Assessment, *, note: str, **_) -> None:
    if not note:
        raise ValidationError({"note": ["Ghi lý do thẩm định lại."]})
    a.appraised_at = None


def _do_publish(a: Assessment, *, at: datetime, **_) -> None:
    a.published_at = at


_HANDLERS = {
    "self_assess": _do_self_assess,
    "return": _do_return,
    "approve": _do_approve,
    "submit": _do_submit,
    "start_appraisal": _do_start_appraisal,
    "request_explanation": _do_request_explanation,
    "explain": _do_explain,
    "appraise": _do_appraise,
    "reopen": _do_reopen,
    "publish": _do_publish,
}


# --- notices ---------------------------------------------------------------------------------
def commune_people(assessment: Assessment, *, leaders: bool = False, office: bool = False) -> QuerySet[User]:
    roles = []
    if leaders:
        roles += list(LEADER_ROLES)
    if office:
        roles.append(Role.CCHC_OFFICE)
    return User.objects.filter(is_active=True, unit_id=assessment.commune_id, role__in=roles)


def appraisers(assessment: Assessment) -> QuerySet[User]:
    """The appraiser in charge, else every superior viewer of the issuing unit."""
    if assessment.appraiser_id and assessment.appraiser.is_active:
        return User.objects.filter(pk=assessment.appraiser_id)
    return User.objects.filter(
        is_active=True, unit_id=assessment.criteria_set.owner_id, role=Role.SUPERIOR_VIEWER
    )


def _notify_after(assessment: Assessment, action: str, at: datetime) -> None:
    url = reverse("parindex:assessment", args=[assessment.pk])
    who = {
        "self_assess": (
            "Kết quả tự đánh giá Chỉ số CCHC năm {y} chờ Chủ tịch duyệt",
            commune_people(assessment, leaders=True),
        ),
        "return": (
            "Kết quả tự đánh giá Chỉ số CCHC năm {y} bị trả lại để chấm lại",
            commune_people(assessment, office=True),
        ),
        "approve": (
            "Kết quả tự đánh giá Chỉ số CCHC năm {y} đã được duyệt: gửi cấp trên",
            commune_people(assessment, office=True),
        ),
        "submit": ("{c} đã gửi kết quả tự đánh giá Chỉ số CCHC năm {y}", appraisers(assessment)),
        "request_explanation": (
            "Cấp trên yêu cầu giải trình Chỉ số CCHC năm {y} (hạn {d})",
            commune_people(assessment, leaders=True, office=True),
        ),
        "explain": ("{c} đã giải trình Chỉ số CCHC năm {y}", appraisers(assessment)),
        "publish": (
            "Đã công bố kết quả Chỉ số CCHC năm {y}",
            commune_people(assessment, leaders=True, office=True),
        ),
    }
    if action not in who:
        return
    title, people = who[action]
    text = title.format(
        y=assessment.year,
        c=assessment.commune,
        d=f"{assessment.explanation_due:%d/%m/%Y}" if assessment.explanation_due else "",
    )
    for person in people:
        notify(
            user=person,
            title=text,
            body=str(assessment),
            url=url,
            dedupe_key=f"par:{assessment.pk}:{action}:{at.isoformat()}",
        )


@dataclass
class RemindResult:
    sent: int = 0
    already_sent: int = 0
    lines: list[str] = field(default_factory=list)


def par_index_remind(*, today: date, days: int = 5) -> RemindResult:
    """Remind whoever must act before a stage deadline of the set passes, or after it
    passed: communes that have not sent their self-assessment (submit deadline),
    communes asked for an explanation (its deadline), appraisers of assessments not
    appraised (appraisal deadline). One notice per person, stage, deadline and day:
    running it twice sends nothing twice."""
    if days < 0:
        raise ValidationError("Số ngày làm việc phải ≥ 0.")
    horizon = get_calendar().add_working_days(today, days)
    result = RemindResult()

    def send(people, title: str, url: str, key: str) -> None:
        for person in people:
            if notify(user=person, title=title, body="", url=url, dedupe_key=f"{key}:{today.isoformat()}"):
                result.sent += 1
            else:
                result.already_sent += 1

    def when(due: date) -> str:
        return f"đã quá hạn {due:%d/%m/%Y}" if due < today else f"hạn {due:%d/%m/%Y}"

    for criteria_set in CriteriaSet.objects.open().select_related("owner"):
        communes = criteria_set.owner.descendant_communes().filter(is_active=True)
        family = criteria_set.family()
        assessments = {a.commune_id: a for a in Assessment.objects.filter(criteria_set__in=family)}
        if criteria_set.submit_due and criteria_set.submit_due <= horizon:
            for commune in communes:
                a = assessments.get(commune.pk)
                if a is not None and a.is_sent:
                    continue
                title = f"Chỉ số CCHC năm {criteria_set.year}: chưa gửi kết quả tự đánh giá, {when(criteria_set.submit_due)}"
                people = User.objects.filter(
                    is_active=True, unit_id=commune.pk, role__in=[Role.CCHC_OFFICE, *LEADER_ROLES]
                )
                url = reverse("parindex:assessment", args=[a.pk]) if a else reverse("parindex:index")
                send(
                    people, title, url, f"par:submit:{criteria_set.pk}:{commune.pk}:{criteria_set.submit_due}"
                )
                result.lines.append(f"{commune}: {title}")
        if criteria_set.appraisal_due and criteria_set.appraisal_due <= horizon:
            for a in assessments.values():
                if a.status not in (Status.SUBMITTED, Status.UNDER_APPRAISAL, Status.EXPLAINED):
                    continue
                title = (
                    f"Thẩm định Chỉ số CCHC năm {a.year} của {a.commune}: {when(criteria_set.appraisal_due)}"
                )
                send(
                    appraisers(a),
                    title,
                    reverse("parindex:assessment", args=[a.pk]),
                    f"par:appraise:{a.pk}:{criteria_set.appraisal_due}",
                )
                result.lines.append(title)
    for a in Assessment.objects.filter(
        status=Status.EXPLANATION_REQUESTED, explanation_due__lte=horizon
    ).select_related("commune"):
        title = f"Giải trình Chỉ số CCHC năm {a.year}: {when(a.explanation_due)}"
        send(
            commune_people(a, leaders=True, office=True),
            title,
            reverse("parindex:assessment", args=[a.pk]),
            f"par:explain:{a.pk}:{a.explanation_due}",
        )
        result.lines.append(f"{a.commune}: {title}")
    return result


def figure_choices(kind: str) -> list[tuple[str, str]]:
    """Catalogue figures a criterion of `kind` may be bound to (rates for rate rules,
    counts for deductions)."""
    if kind == RuleKind.DEDUCTION:
        return [(f.key, f.label) for f in catalogue.all_figures() if not f.is_rate]
    return catalogue.choices(unit=catalogue.PERCENT)


def suggestion_for(assessment: Assessment, criterion: Criterion) -> Suggestion | None:
    return suggestions_for(assessment, [criterion]).get(criterion.pk)


def iter_leaves(criteria: Iterable[Criterion]) -> list[Criterion]:
    criteria = list(criteria)
    parents = {c.parent_id for c in criteria}
    return [c for c in criteria if c.pk not in parents]
