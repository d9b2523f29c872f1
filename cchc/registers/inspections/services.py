"""Writing the inspection register: the year's plan, inspections (planned, then
conducted or cancelled; or unplanned, recorded as conducted), recommendations and
their follow-up by the department responsible."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cchc.core.permissions import check_commune
from cchc.core.text import clean_text
from cchc.core.workflow import SAME, Move, Workflow
from cchc.org.models import Unit, User

from ..common import services as common
from .models import (
    Inspection,
    InspectionPlan,
    InspectionStatus,
    Kind,
    Recommendation,
    RecommendationEvent,
    RecommendationStatus,
)

PLAN_FIELDS = ("title", "number", "issued_on", "note")
INSPECTION_FIELDS = ("kind", "subject", "department", "scope", "planned_on", "team_lead")
RESULT_FIELDS = ("conducted_on", "findings", "conclusion_ref")
RECOMMENDATION_FIELDS = ("text", "department", "due_on")

IS = InspectionStatus
INSPECTION_FLOW = Workflow(
    [
        Move("conduct", "Ghi kết quả kiểm tra", (IS.PLANNED, IS.DONE), IS.DONE),
        Move("cancel", "Hủy, hoãn", (IS.PLANNED,), IS.CANCELLED),
        Move("reinstate", "Khôi phục (đưa lại vào kế hoạch)", (IS.CANCELLED,), IS.PLANNED),
    ],
    status_label=lambda s: InspectionStatus(s).label,
)
R = RecommendationStatus
# "manage": the standing office; "follow_up": an officer of the department responsible.
RECOMMENDATION_FLOW = Workflow(
    [
        Move("report", "Báo cáo tiến độ", (R.OPEN,), SAME, allowed={"manage", "follow_up"}),
        Move("complete", "Báo cáo đã thực hiện xong", (R.OPEN,), R.DONE, allowed={"manage", "follow_up"}),
        Move("reopen", "Chưa đạt, yêu cầu tiếp tục", (R.DONE,), R.OPEN, allowed={"manage"}),
    ],
    status_label=lambda s: RecommendationStatus(s).label,
    denied_message=lambda move: (
        "Chỉ thường trực CCHC hoặc công chức bộ phận được giao thực hiện kiến nghị mới báo cáo được."
        if move.action != "reopen"
        else "Chỉ thường trực CCHC đánh giá lại kết quả thực hiện kiến nghị."
    ),
)


def _spec():
    from .spec import SPEC

    return SPEC


def _block(value: str) -> str:
    lines = [clean_text(line) for line in (value or "").splitlines()]
    return "\n".join(line for line in lines if line)


# --- the plan ---------------------------------------------------------------------------------
@transaction.atomic
def plan_save(
    *, user: User | None, commune: Unit, year: int, expected_version: int | None = None, **values: Any
) -> InspectionPlan:
    """Create or update the commune's inspection plan of `year`."""
    common.check_manage(user, _spec(), commune.pk)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Năm không hợp lệ."})
    plan = InspectionPlan.objects.select_for_update().filter(commune=commune, year=year).first()
    if plan is None:
        plan = InspectionPlan(commune=commune, year=year)
    elif expected_version is not None and plan.version != expected_version:
        raise common.StaleEdit(plan)
    for name in ("title", "number"):
        if name in values:
            setattr(plan, name, clean_text(values[name] or ""))
    if "note" in values:
        plan.note = _block(values["note"])
    if "issued_on" in values:
        plan.issued_on = values["issued_on"]
    plan.title = plan.title or f"Kế hoạch kiểm tra công tác cải cách hành chính năm {year}"
    if plan.issued_on and plan.issued_on.year not in (year - 1, year):
        raise ValidationError({"issued_on": f"Ngày ban hành phải thuộc năm {year} hoặc cuối năm trước."})
    common.stamp(plan, user)
    plan.save()
    return plan


# --- inspections ------------------------------------------------------------------------------
def clean_inspection(values: dict, *, commune: Unit) -> dict:
    out = dict(values)
    for name in ("subject", "team_lead"):
        out[name] = clean_text(out.get(name) or "")
    out["scope"] = _block(out.get("scope") or "")
    errors: dict[str, str] = {}
    department = out.get("department")
    if department is not None and department.commune_id != commune.pk:
        errors["department"] = "Bộ phận phải thuộc xã."
    if not out["subject"] and department is not None:
        out["subject"] = department.name
    if not out["subject"]:
        errors["subject"] = "Ghi đơn vị, bộ phận được kiểm tra."
    if out.get("kind") not in Kind.values:
        errors["kind"] = "Chọn hình thức kiểm tra."
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def inspection_plan_add(*, user: User | None, plan: InspectionPlan, **values: Any) -> Inspection:
    """Add a planned inspection to the year's plan."""
    common.check_manage(user, _spec(), plan.commune_id)
    values = clean_inspection(values, commune=plan.commune)
    planned = values.get("planned_on")
    if planned is None:
        raise ValidationError({"planned_on": "Cần thời gian dự kiến kiểm tra."})
    if planned.year != plan.year:
        raise ValidationError({"planned_on": f"Thời gian dự kiến phải thuộc năm {plan.year} của kế hoạch."})
    inspection = Inspection(commune_id=plan.commune_id, plan=plan, status=IS.PLANNED, **values)
    common.stamp(inspection, user)
    inspection.save()
    return inspection


def _check_result(values: dict, inspection_or_planned, today: date) -> dict:
    out = dict(values)
    out["findings"] = _block(out.get("findings") or "")
    out["conclusion_ref"] = clean_text(out.get("conclusion_ref") or "")
    errors: dict[str, str] = {}
    on = out.get("conducted_on")
    if on is None:
        errors["conducted_on"] = "Cần ngày kiểm tra."
    elif on > today:
        errors["conducted_on"] = "Ngày kiểm tra không được sau hôm nay."
    if not out["findings"]:
        errors["findings"] = "Ghi kết quả kiểm tra (ưu điểm, tồn tại, hạn chế)."
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def inspection_record(
    *, user: User | None, commune: Unit, today: date | None = None, **values: Any
) -> Inspection:
    """Record an unplanned inspection (đột xuất) that was conducted."""
    common.check_manage(user, _spec(), commune.pk)
    today = today or timezone.localdate()
    result = _check_result({k: values.pop(k, None) for k in RESULT_FIELDS}, None, today)
    values = clean_inspection(values, commune=commune)
    inspection = Inspection(commune=commune, plan=None, status=IS.DONE, **values, **result)
    common.stamp(inspection, user)
    inspection.save()
    return inspection


@transaction.atomic
def inspection_update(
    *, user: User | None, inspection: Inspection, expected_version: int | None = None, **values: Any
) -> Inspection:
    """Correct an inspection's particulars (unit, scope, dates, team)."""
    common.check_manage(user, _spec(), inspection.commune_id)
    inspection = common.lock(inspection, expected_version)
    merged = {**{n: getattr(inspection, n) for n in INSPECTION_FIELDS}, **values}
    merged = clean_inspection(merged, commune=inspection.commune)
    if inspection.plan_id and (
        merged.get("planned_on") is None or merged["planned_on"].year != inspection.plan.year
    ):
        raise ValidationError(
            {"planned_on": f"Thời gian dự kiến phải thuộc năm {inspection.plan.year} của kế hoạch."}
        )
    for name, value in merged.items():
        setattr(inspection, name, value)
    common.stamp(inspection, user)
    inspection.save()
    return inspection


@transaction.atomic
def inspection_act(
    *,
    user: User | None,
    inspection: Inspection,
    action: str,
    expected_version: int | None = None,
    today: date | None = None,
    note: str = "",
    **result: Any,
) -> Inspection:
    """Conduct (record the result of) a planned inspection, or correct that result;
    cancel or reinstate a planned one."""
    common.check_manage(user, _spec(), inspection.commune_id)
    inspection = common.lock(inspection, expected_version)
    INSPECTION_FLOW.check(action, inspection.status)
    today = today or timezone.localdate()
    note = clean_text(note)
    if action == "conduct":
        result = _check_result(result, inspection, today)
        for name, value in result.items():
            setattr(inspection, name, value)
        inspection.status, inspection.status_note = IS.DONE, ""
    elif action == "cancel":
        if not note:
            raise ValidationError({"note": "Ghi lý do hủy, hoãn."})
        inspection.status, inspection.status_note = IS.CANCELLED, note[:300]
    else:
        inspection.status, inspection.status_note = IS.PLANNED, ""
    common.stamp(inspection, user)
    inspection.save()
    return inspection


@transaction.atomic
def inspection_delete(*, user: User | None, inspection: Inspection) -> None:
    common.check_manage(user, _spec(), inspection.commune_id)
    if inspection.recommendations.exists():
        raise ValidationError("Cuộc kiểm tra đã có kiến nghị: xóa các kiến nghị trước.")
    inspection.delete()


# --- recommendations -----------------------------------------------------------------------------
def capabilities(user: User | None, recommendation: Recommendation) -> set[str]:
    if user is None:
        return {"manage", "follow_up"}
    caps = set()
    if common.can_manage(user, _spec(), recommendation.commune_id):
        caps.add("manage")
    if (
        user.has_perm("registers.follow_up_recommendation")
        and user.can_write_commune(recommendation.commune_id)
        and user.department_id is not None
        and user.department_id == recommendation.department_id
    ):
        caps.add("follow_up")
    return caps


def clean_recommendation(values: dict, *, inspection: Inspection) -> dict:
    out = dict(values)
    out["text"] = _block(out.get("text") or "")
    errors: dict[str, str] = {}
    if not out["text"]:
        errors["text"] = "Ghi nội dung kiến nghị."
    due = out.get("due_on")
    if due is None:
        errors["due_on"] = "Cần hạn thực hiện kiến nghị."
    elif inspection.conducted_on and due < inspection.conducted_on:
        errors["due_on"] = "Hạn thực hiện không được trước ngày kiểm tra."
    department = out.get("department")
    if department is not None and department.commune_id != inspection.commune_id:
        errors["department"] = "Bộ phận phải thuộc xã."
    if errors:
        raise ValidationError(errors)
    return out


def _event(recommendation, user, action, before, *, on=None, note="") -> None:
    RecommendationEvent.objects.create(
        recommendation=recommendation,
        actor=user,
        action=action,
        from_status=before,
        to_status=recommendation.status,
        on=on,
        note=note,
    )


@transaction.atomic
def recommendation_save(
    *,
    user: User | None,
    inspection: Inspection | None = None,
    recommendation: Recommendation | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> Recommendation:
    """Add a recommendation to a conducted inspection, or correct it."""
    if recommendation is None:
        common.check_manage(user, _spec(), inspection.commune_id)
        if inspection.status != IS.DONE:
            raise ValidationError("Chỉ ghi kiến nghị của cuộc kiểm tra đã thực hiện.")
        recommendation = Recommendation(inspection=inspection, commune_id=inspection.commune_id)
        created = True
    else:
        common.check_manage(user, _spec(), recommendation.commune_id)
        recommendation = common.lock(recommendation, expected_version)
        inspection = recommendation.inspection
        values = {**{n: getattr(recommendation, n) for n in RECOMMENDATION_FIELDS}, **values}
        created = False
    values = clean_recommendation(values, inspection=inspection)
    for name, value in values.items():
        setattr(recommendation, name, value)
    common.stamp(recommendation, user)
    recommendation.save()
    if created:
        _event(recommendation, user, "create", "", note="Ghi kiến nghị.")
    return recommendation


@transaction.atomic
def recommendation_act(
    *,
    user: User | None,
    recommendation: Recommendation,
    action: str,
    note: str = "",
    on: date | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> Recommendation:
    """Follow up a recommendation: a progress report, its completion (dated: that
    date decides whether it was on time), or sending it back for more work."""
    if user is not None:
        check_commune(user, recommendation.commune_id, write=True)
    recommendation = common.lock(recommendation, expected_version)
    caps = capabilities(user, recommendation)
    if not caps and user is not None:
        raise PermissionDenied(RECOMMENDATION_FLOW.denied_message(RECOMMENDATION_FLOW.get(action)))
    move = RECOMMENDATION_FLOW.check(action, recommendation.status, caps)
    today = today or timezone.localdate()
    note = _block(note)
    errors: dict[str, str] = {}
    if not note:
        errors["note"] = "Ghi nội dung báo cáo, kết quả hoặc lý do."
    if action == "complete":
        if on is None:
            errors["on"] = "Cần ngày hoàn thành."
        elif on > today:
            errors["on"] = "Ngày hoàn thành không được sau hôm nay."
        elif recommendation.inspection.conducted_on and on < recommendation.inspection.conducted_on:
            errors["on"] = "Ngày hoàn thành không được trước ngày kiểm tra."
    if errors:
        raise ValidationError(errors)
    before = recommendation.status
    recommendation.status = RECOMMENDATION_FLOW.target(move, before)
    if action == "complete":
        recommendation.handled_on, recommendation.result = on, note
    elif action == "reopen":
        recommendation.handled_on = None
    common.stamp(recommendation, user)
    recommendation.save()
    _event(recommendation, user, action, before, on=on if action == "complete" else None, note=note)
    return recommendation


@transaction.atomic
def inspection_import(
    *,
    user: User | None,
    commune: Unit,
    inspection: Inspection | None,
    values: dict,
    result: dict,
    planned: bool,
    recommendations: list[dict],
) -> Inspection:
    """An inspection of an imported list with its recommendations (each added or
    its line updated; a recommendation done in the list is recorded as completed)."""
    today = timezone.localdate()
    if inspection is None:
        if planned:
            year = (values.get("planned_on") or result.get("conducted_on")).year
            plan = InspectionPlan.objects.filter(commune=commune, year=year).first() or plan_save(
                user=user, commune=commune, year=year
            )
            values.setdefault("planned_on", None)
            if values["planned_on"] is None:
                values["planned_on"] = result.get("conducted_on")
            inspection = inspection_plan_add(user=user, plan=plan, **values)
            if result.get("conducted_on"):
                inspection = inspection_act(
                    user=user, inspection=inspection, action="conduct", today=today, **result
                )
        else:
            inspection = inspection_record(user=user, commune=commune, today=today, **values, **result)
    else:
        inspection = inspection_update(user=user, inspection=inspection, **values)
        if result.get("conducted_on") and (
            inspection.status != IS.DONE or any(getattr(inspection, k) != v for k, v in result.items())
        ):
            inspection = inspection_act(
                user=user, inspection=inspection, action="conduct", today=today, **result
            )
    existing = {r.text: r for r in inspection.recommendations.all()}
    for item in recommendations:
        line = existing.get(item["values"]["text"])
        if line is None:
            line = recommendation_save(user=user, inspection=inspection, **item["values"])
        elif any(getattr(line, k) != v for k, v in item["values"].items()):
            line = recommendation_save(user=user, recommendation=line, **item["values"])
        done = item.get("handled_on")
        if done and line.status == R.OPEN:
            recommendation_act(
                user=user,
                recommendation=line,
                action="complete",
                on=done,
                note=item.get("result") or "Đã thực hiện (nhập từ Excel).",
                today=today,
            )
    return inspection
