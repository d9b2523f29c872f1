"""Importing a plan document: read it into a pending `PlanImport` (nothing else
changes), then save the officer's corrected version as a draft plan, all or nothing.

Who may: the CCHC standing office of the commune (`plans.edit_plan`), like writing a
plan by hand; `user=None` is the system (the `import-plan` command).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cchc.core import audit
from cchc.core.forms import service_error_messages
from cchc.core.permissions import check_commune
from cchc.core.uploads import FILE_TYPES, original_name, random_token, size_problem
from cchc.core.workflow import Conflict
from cchc.org.models import Department, Unit, User

from .. import services as plan_services
from ..models import LETTERS, AreaKind, Plan, PlanEvent, PlanStatus, Recurrence, TimeFrame
from .extract import extract, format_of
from .models import ImportStatus, PlanImport
from .parse import parse_plan


def _check_office(user: User | None, commune: Unit) -> None:
    if user is None:
        return
    check_commune(user, commune.pk, write=True)
    if not user.has_perm("plans.edit_plan"):
        raise PermissionDenied("Chỉ cơ quan thường trực CCHC được nhập kế hoạch.")


def _check_file(name: str, data: bytes, size: int) -> str:
    fmt = format_of(name)
    if fmt is None:
        raise ValidationError(
            f"Tệp “{name}” không đúng loại: chỉ nhận Word (.docx), PDF (.pdf) hoặc văn bản (.txt)."
        )
    if fmt in FILE_TYPES and not data.startswith(FILE_TYPES[fmt].signatures):
        raise ValidationError(f"Nội dung tệp “{name}” không phải tệp {FILE_TYPES[fmt].label} hợp lệ.")
    return fmt


def read_document(*, name: str, data: bytes, commune: Unit, year: int | None = None) -> dict:
    """What the importer reads from a document (no database writes): the parsed plan
    as a dict, with the source lines. ValidationError when it cannot be read."""
    _check_file(name, data, len(data))
    extracted = extract(name, data)
    departments = list(Department.objects.filter(commune=commune).order_by("order", "name"))
    office = next((d.pk for d in departments if d.is_cchc_office), None)
    parsed = parse_plan(extracted, departments=departments, year=year, cchc_office_id=office)
    if not parsed.areas:
        parsed.warnings.append(
            "Không nhận ra lĩnh vực, nhiệm vụ nào: kiểm tra tệp có mục “Nhiệm vụ” hoặc bảng phụ lục không."
        )
    out = parsed.as_dict()
    out["source_lines"] = parsed.source_lines
    out["format"] = extracted.format
    return out


@transaction.atomic
def plan_import_read(
    *, user: User | None, commune: Unit, upload: UploadedFile, year: int | None = None
) -> PlanImport:
    """Read an uploaded plan document into a pending import (for the preview). The
    file is kept; no plan is written yet."""
    _check_office(user, commune)
    name = original_name(upload)
    problem = size_problem(upload)
    if problem:
        raise ValidationError(problem)
    upload.seek(0)
    data = upload.read()
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError({"year": "Năm kế hoạch phải trong khoảng 2000–2100."})
    parsed = read_document(name=name, data=data, commune=commune, year=year)
    record = PlanImport(
        commune=commune,
        year=parsed.get("year"),
        token=random_token(),
        file_format=format_of(name),
        original_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        parsed=parsed,
        created_by=user,
    )
    record.file.save(f"{record.token}.{record.file_format}", ContentFile(data), save=False)
    record.save()
    return record


@dataclass
class Existing:
    """A plan that already exists for the import's commune and year."""

    plan: Plan
    same_file: bool

    @property
    def replaceable(self) -> bool:
        return self.plan.status == PlanStatus.DRAFT


def existing_plan(record: PlanImport, year: int | None = None) -> Existing | None:
    year = year or record.year
    if not year:
        return None
    plan = Plan.objects.filter(commune_id=record.commune_id, year=year).first()
    if plan is None:
        return None
    same = plan.imports.filter(sha256=record.sha256, status=ImportStatus.SAVED).exists()
    return Existing(plan, same)


# --- the data the officer saves -----------------------------------------------------
def initial_data(parsed: dict) -> dict:
    """The editable values of a parsed plan (what the preview form starts from)."""
    header, texts = parsed.get("header", {}), parsed.get("texts", {})
    areas = []
    for area in parsed.get("areas", []):
        tasks = []
        for task in area["tasks"]:
            time = task.get("time") or {}
            target = next((t for t in task.get("targets", []) if t.get("metric")), None)
            lead = task.get("lead") or {}
            tasks.append(
                {
                    "keep": True,
                    "title": task["title"][:300],
                    "content": task["content"],
                    "lead": lead.get("department_id"),
                    "coordinating": [
                        c["department_id"] for c in task.get("coordinating", []) if c.get("department_id")
                    ],
                    "coordinating_other": "; ".join(
                        c["text"] for c in task.get("coordinating", []) if not c.get("department_id")
                    )[:300],
                    "time_text": time.get("text", ""),
                    "time_frame": time.get("time_frame", TimeFrame.RANGE),
                    "start_date": time.get("start_date"),
                    "end_date": time.get("end_date"),
                    "recurrence": time.get("recurrence", ""),
                    "recurrence_day": time.get("recurrence_day"),
                    "output": (task.get("output") or "")[:300],
                    "budget": task.get("budget"),
                    "target_metric": target["metric"] if target else "",
                    "target_comparison": target["comparison"] if target else "",
                    "target_value": target["value"] if target else None,
                }
            )
        areas.append(
            {
                "kind": area["kind"],
                "title": area["title"][:300],
                "intro": area.get("intro", ""),
                "tasks": tasks,
            }
        )
    return {
        "year": parsed.get("year"),
        "title": header.get("title", ""),
        "number": header.get("number", ""),
        "symbol": header.get("symbol") or "KH-UBND",
        "issued_on": header.get("issued_on"),
        "signer_name": header.get("signer_name", ""),
        "signer_title": header.get("signer_title") or "CHỦ TỊCH",
        **{k: texts.get(k, "") for k in plan_services.PLAN_TEXT_FIELDS if k != "title"},
        "areas": areas,
    }


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(f"Ngày “{value}” không hợp lệ.") from exc


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation as exc:
        raise ValidationError(f"Số “{value}” không hợp lệ.") from exc


def _task_fields(task: dict, departments: dict[int, Department], year: int) -> dict:
    lead = departments.get(int(task["lead"])) if task.get("lead") else None
    if task.get("lead") and lead is None:
        raise ValidationError("Đơn vị chủ trì không thuộc xã này.")
    coordinating = []
    for pk in task.get("coordinating") or []:
        dept = departments.get(int(pk))
        if dept is None:
            raise ValidationError("Đơn vị phối hợp không thuộc xã này.")
        if lead is None or dept.pk != lead.pk:
            coordinating.append(dept)
    frame = task.get("time_frame") or TimeFrame.RANGE
    if frame not in TimeFrame.values:
        raise ValidationError("Kiểu thời gian không hợp lệ.")
    end = _date(task.get("end_date")) or date(year, 12, 31)
    start = _date(task.get("start_date"))
    if frame != TimeFrame.DEADLINE and start is None:
        start = date(year, 1, 1)
    recurrence = task.get("recurrence") or ""
    if recurrence and recurrence not in Recurrence.values:
        raise ValidationError("Chu kỳ không hợp lệ.")
    metric = task.get("target_metric") or ""  # checked against the catalogue by Task.clean
    day = task.get("recurrence_day")
    fields = {
        "content": task.get("content") or "",
        "lead_department": lead,
        "coordinating": coordinating,
        "coordinating_other": task.get("coordinating_other") or "",
        "time_frame": frame,
        "start_date": start if frame != TimeFrame.DEADLINE else None,
        "end_date": end,
        "recurrence": recurrence if frame == TimeFrame.RECURRING else "",
        "recurrence_day": int(day) if day not in (None, "") and frame == TimeFrame.RECURRING else None,
        "output": task.get("output") or "",
        "budget": _decimal(task.get("budget")),
        "target_metric": metric,
        "target_comparison": task.get("target_comparison") or "" if metric else "",
        "target_value": _decimal(task.get("target_value")) if metric else None,
        "target_unit": "%",  # Task.clean sets the bound figure's unit
    }
    return fields


def _label(area_no: int, task_no: int | None = None) -> str:
    if task_no is None:
        return f"Lĩnh vực {area_no}"
    letter = LETTERS[task_no] if task_no < len(LETTERS) else str(task_no + 1)
    return f"Nhiệm vụ {area_no}.{letter})"


@transaction.atomic
def plan_import_save(*, user: User | None, record: PlanImport, data: dict, replace: bool = False) -> Plan:
    """Create the draft plan from the officer's corrected `data` (see `initial_data`),
    all or nothing: texts, areas and tasks through the plan services (so every rule of
    a hand-made plan holds), the source file kept as the plan's attachment, an event and
    an audit row saying it was imported. An existing draft of the same commune and year
    is replaced only when `replace` is set; an issued plan is never replaced."""
    record = PlanImport.objects.select_for_update().get(pk=record.pk)
    commune = record.commune
    _check_office(user, commune)
    if record.status != ImportStatus.PENDING:
        raise Conflict("Lần nhập này đã được lưu hoặc đã hủy; hãy tải tệp lên lại.")
    try:
        year = int(data.get("year") or 0)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Cần năm kế hoạch (2000–2100)."})
    areas = [a for a in data.get("areas", []) if any(t.get("keep", True) for t in a.get("tasks", []))]
    if not areas:
        raise ValidationError("Kế hoạch nhập vào chưa có lĩnh vực, nhiệm vụ nào.")
    kinds = [a["kind"] for a in areas if a["kind"] != AreaKind.LOCAL]
    for kind in set(kinds):
        if kinds.count(kind) > 1:
            raise ValidationError(
                f"Lĩnh vực “{AreaKind(kind).label}” có {kinds.count(kind)} lần: mỗi lĩnh vực chuẩn chỉ một lần "
                "(đổi một lĩnh vực thành “Chương trình, đề án của địa phương” hoặc gộp lại)."
            )
    texts = {k: data.get(k) or "" for k in plan_services.PLAN_TEXT_FIELDS}
    texts.update(
        number=data.get("number") or "",
        symbol=data.get("symbol") or "KH-UBND",
        issued_on=_date(data.get("issued_on")),
        signer_name=data.get("signer_name") or "",
        signer_title=data.get("signer_title") or "CHỦ TỊCH",
    )
    existing = Plan.objects.select_for_update().filter(commune=commune, year=year).first()
    if existing is not None:
        if existing.status != PlanStatus.DRAFT:
            raise Conflict(
                f"{commune} đã có kế hoạch CCHC năm {year} ở trạng thái “{existing.get_status_display()}”: "
                "không thay thế được bằng tệp nhập."
            )
        if not replace:
            raise Conflict(
                f"{commune} đã có dự thảo kế hoạch CCHC năm {year}. Chọn “Thay thế dự thảo đã có” để ghi đè "
                "bằng nội dung tệp này (không tạo bản trùng)."
            )
        plan = plan_services.plan_update(user=user, plan=existing, **texts)
        for area in list(plan.areas.all()):
            area.tasks.all().delete()
            area.delete()
    else:
        title = texts.pop("title")
        plan = plan_services.plan_create(user=user, commune=commune, year=year, title=title, **texts)
    departments = {d.pk: d for d in Department.objects.filter(commune=commune)}
    errors: list[str] = []
    for area_no, area_data in enumerate(areas, start=1):
        try:
            area = plan_services.area_add(
                user=user,
                plan=plan,
                kind=area_data["kind"],
                title=area_data.get("title") or "",
                intro=area_data.get("intro") or "",
            )
        except ValidationError as exc:
            errors.extend(f"{_label(area_no)}: {m}" for m in service_error_messages(exc))
            continue
        kept = [t for t in area_data.get("tasks", []) if t.get("keep", True)]
        for task_no, task_data in enumerate(kept):
            try:
                fields = _task_fields(task_data, departments, year)
                plan_services.task_create(user=user, area=area, title=task_data.get("title") or "", **fields)
            except ValidationError as exc:
                errors.extend(f"{_label(area_no, task_no)}: {m}" for m in service_error_messages(exc))
    if errors:
        # Nothing is kept: the caller shows every problem at once.
        raise ValidationError(errors)
    counts = {"areas": len(areas), "tasks": sum(1 for a in areas for t in a["tasks"] if t.get("keep", True))}
    record.plan, record.year, record.status = plan, year, ImportStatus.SAVED
    record.replaced = existing is not None
    record.saved_at = timezone.now()
    record.save()
    note = f"Nhập từ tệp “{record.original_name}” ({counts['areas']} lĩnh vực, {counts['tasks']} nhiệm vụ)"
    if existing is not None:
        note += "; thay thế nội dung dự thảo trước"
        PlanEvent.objects.create(
            plan=plan, actor=user, from_status=PlanStatus.DRAFT, to_status=PlanStatus.DRAFT, note=note + "."
        )
    else:
        plan.events.filter(to_status=PlanStatus.DRAFT, from_status="").update(note=note + ".")
    audit.record(
        plan,
        "update",
        {
            "imported_from": [None, record.original_name],
            "import_sha256": [None, record.sha256],
            "import_id": [None, record.pk],
            "replaced_draft": [None, existing is not None],
            **{k: [None, v] for k, v in counts.items()},
        },
    )
    return plan


@transaction.atomic
def plan_import_discard(*, user: User | None, record: PlanImport) -> None:
    """Drop a pending import (its file is deleted with it)."""
    record = PlanImport.objects.select_for_update().get(pk=record.pk)
    _check_office(user, record.commune)
    if record.status != ImportStatus.PENDING:
        raise Conflict("Chỉ hủy được lần nhập đang chờ lưu.")
    record.status = ImportStatus.DISCARDED
    record.save()
    record.file.delete(save=False)
