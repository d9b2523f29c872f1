"""Operations on periodic CCHC reports (docs/reports.md). Views, the JSON API, the
reminder command, the demo and tests all call these functions; each checks
permissions, validates, writes, records an event row and notifies, in one
transaction.

Two state machines on the shared `cchc.core.workflow` shape:
- the report: drafting → submitted (to the chairman) → approved → sent, with
  "return" (submitted → drafting) and "reopen" (approved → drafting);
- each section: assigned → submitted → accepted, or → returned → submitted again.
While the report is being drafted the standing office may edit any section
(consolidation); a department writes only its own sections while they are
assigned or returned. Sending numbers the report and freezes its figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodKind
from cchc.core.permissions import check_commune
from cchc.core.services import notify
from cchc.core.text import clean_text
from cchc.core.uploads import UploadPolicy, random_token
from cchc.core.workcal import TZ, get_calendar
from cchc.core.workflow import Conflict, Move, Workflow
from cchc.org.models import Department, Role, Unit, User
from cchc.plans.models import ReformArea

from . import tables
from .models import (
    REPORTABLE_KINDS,
    Report,
    ReportEvent,
    ReportStatus,
    Section,
    SectionAttachment,
    SectionEvent,
    SectionKind,
    SectionStatus,
)

# What departments may attach to their section: documents, tables, scans, photos.
ATTACHMENT_UPLOADS = UploadPolicy(types=("pdf", "docx", "xlsx", "jpg", "png"), max_files=5)
MAX_BODY = 50_000

EDIT, APPROVE, WRITE, CONSOLIDATE = "edit", "approve", "write", "consolidate"

REPORT_WORKFLOW = Workflow(
    [
        Move("submit", "Trình duyệt", (ReportStatus.DRAFTING,), ReportStatus.SUBMITTED, {EDIT}),
        Move("return", "Trả lại để sửa", (ReportStatus.SUBMITTED,), ReportStatus.DRAFTING, {APPROVE}),
        Move("approve", "Duyệt báo cáo", (ReportStatus.SUBMITTED,), ReportStatus.APPROVED, {APPROVE}),
        Move("reopen", "Mở lại để sửa", (ReportStatus.APPROVED,), ReportStatus.DRAFTING, {APPROVE}),
        Move("send", "Vào số và gửi", (ReportStatus.APPROVED,), ReportStatus.SENT, {EDIT, APPROVE}),
    ],
    status_label=lambda s: ReportStatus(s).label,
)
SECTION_WORKFLOW = Workflow(
    [
        Move(
            "submit",
            "Nộp phần báo cáo",
            (SectionStatus.ASSIGNED, SectionStatus.RETURNED),
            SectionStatus.SUBMITTED,
            {WRITE},
        ),
        Move(
            "return",
            "Trả lại để sửa",
            (SectionStatus.SUBMITTED, SectionStatus.ACCEPTED),
            SectionStatus.RETURNED,
            {CONSOLIDATE},
        ),
        Move("accept", "Tiếp nhận", (SectionStatus.SUBMITTED,), SectionStatus.ACCEPTED, {CONSOLIDATE}),
    ],
    status_label=lambda s: SectionStatus(s).label,
)
REPORT_ACTION_LABELS = {"create": "Lập báo cáo", **{m.action: m.label for m in REPORT_WORKFLOW}}
SECTION_ACTION_LABELS = {"assign": "Giao viết", **{m.action: m.label for m in SECTION_WORKFLOW}}


# --- configuration ------------------------------------------------------------------
def deadline_for(period: Period) -> date:
    """The report's deadline: the province's day of the period's last month
    (`CCHC_REPORT_DEADLINE_DAY`, default 15 — "before the 16th")."""
    return period.deadline(settings.REPORT_DEADLINE_DAY)


def section_due(deadline: date) -> date:
    """Departments' sections are due `CCHC_REPORT_SECTION_LEAD_DAYS` working days
    before the report's deadline, so the office has time to consolidate."""
    calendar = get_calendar()
    day = deadline
    for _ in range(settings.REPORT_SECTION_LEAD_DAYS):
        day = calendar.previous_working_day(day)
    return day


def expected_periods(year: int) -> list[Period]:
    """The reports a commune owes for `year` (`CCHC_REPORT_PERIODS`: Q1–Q4, H1, 9M,
    Y, or M for every month), in order of deadline."""
    out: list[Period] = []
    for code in settings.REPORT_PERIODS:
        if code == "M":
            out += [Period.month(year, m) for m in range(1, 13)]
        elif code.startswith("Q"):
            out.append(Period.quarter(year, int(code[1])))
        elif code == "H1":
            out.append(Period.half(year))
        elif code == "9M":
            out.append(Period.nine_months(year))
        elif code == "Y":
            out.append(Period.year_of(year))
    return sorted(set(out), key=lambda p: (p.date_to, p.days()))


# --- who may do what -------------------------------------------------------------
def capabilities(user: User, report: Report, section: Section | None = None) -> set[str]:
    """What `user` may do on `report` (and `section`): edit (standing office),
    approve (leaders), write (the section's department, or the office), consolidate."""
    if not user.is_authenticated or not user.can_write_commune(report.commune_id):
        return set()
    caps: set[str] = set()
    if user.has_perm("reports.edit_report"):
        caps |= {EDIT, CONSOLIDATE}
    if user.has_perm("reports.approve_report"):
        caps.add(APPROVE)
    if section is not None:
        if EDIT in caps or (
            user.has_perm("reports.write_report_section")
            and section.department_id is not None
            and user.department_id == section.department_id
        ):
            caps.add(WRITE)
    return caps


def can_edit_text(user: User, section: Section) -> bool:
    """May `user` change the section's text now? The office while the report is being
    drafted; the section's department while it is assigned or returned."""
    report = section.report
    if report.status != ReportStatus.DRAFTING:
        return False
    caps = capabilities(user, report, section)
    if CONSOLIDATE in caps:
        return True
    return WRITE in caps and section.is_pending


def _actor(user: User | None) -> str:
    return (user.full_name or user.username) if user else "hệ thống"


# --- creating a report ------------------------------------------------------------
def area_lead_department(area: ReformArea, fallback: Department | None) -> Department | None:
    """The department leading most of the area's tasks (ties: the department's
    order); `fallback` when no task has a lead department."""
    counts = Counter(t.lead_department_id for t in area.tasks.all() if t.lead_department_id)
    if not counts:
        return fallback
    departments = {d.pk: d for d in Department.objects.filter(pk__in=counts)}
    best = max(counts, key=lambda pk: (counts[pk], -departments[pk].order, -pk))
    return departments[best]


def subject_for(period: Period) -> str:
    when = {
        PeriodKind.MONTH: f"tháng {period.number} năm {period.year}",
        PeriodKind.QUARTER: f"quý {['I', 'II', 'III', 'IV'][(period.number or 1) - 1]} năm {period.year}",
        PeriodKind.HALF: f"6 tháng đầu năm {period.year}",
        PeriodKind.NINE_MONTHS: f"9 tháng năm {period.year}",
        PeriodKind.YEAR: f"năm {period.year}",
    }[period.kind]
    return f"Kết quả thực hiện công tác cải cách hành chính {when}"


def _default_recipients(commune: Unit) -> str:
    lines = []
    if commune.parent_id:
        lines.append(f"{commune.parent.name} (qua Sở Nội vụ)")
    lines += ["Thường trực Đảng ủy, HĐND xã", "Lãnh đạo UBND xã", "Lưu: VT, VP"]
    return "\n".join(lines)


def _office_department(commune: Unit) -> Department | None:
    return Department.objects.filter(commune=commune, is_cchc_office=True).order_by("order", "pk").first()


@transaction.atomic
def report_create(*, user: User, commune: Unit, period: Period, at: datetime | None = None) -> Report:
    """Create the commune's report for `period` from the outline: general situation
    (the office), one section per reform area of the year's plan (its lead
    department), limitations and causes, next tasks, proposals (the office). Each
    assigned department is notified."""
    check_commune(user, commune.pk, write=True)
    if EDIT not in capabilities(user, Report(commune=commune)):
        raise PermissionDenied("Chỉ thường trực CCHC được lập báo cáo.")
    if period.kind not in REPORTABLE_KINDS:
        raise ValidationError({"period": "Báo cáo định kỳ lập theo tháng, quý, 6 tháng, 9 tháng hoặc năm."})
    if Report.objects.filter(commune=commune, period_code=period.code).exists():
        raise Conflict(f"{commune} đã có báo cáo CCHC {period.label.lower()}.")
    from cchc.plans.models import Plan

    at = at or timezone.now()
    plan = Plan.objects.filter(commune=commune, year=period.year).first()
    chairman = User.objects.filter(unit=commune, role=Role.CHAIRMAN, is_active=True).order_by("pk").first()
    deadline = deadline_for(period)
    report = Report(
        commune=commune,
        period_code=period.code,
        period_kind=period.kind,
        year=period.year,
        date_from=period.date_from,
        date_to=period.date_to,
        deadline=deadline,
        plan=plan,
        subject=subject_for(period),
        recipients=_default_recipients(commune),
        signer_name=(chairman.full_name or chairman.username) if chairman else "",
        created_by=user,
        created_at=at,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # created at the same moment by someone else
        raise Conflict(f"{commune} đã có báo cáo CCHC {period.label.lower()}.") from None
    office = _office_department(commune)
    due = section_due(deadline)
    outline: list[tuple[str, str, object, Department | None]] = [
        (SectionKind.GENERAL, SectionKind.GENERAL.label, None, office)
    ]
    if plan is not None:
        for area in plan.areas.prefetch_related("tasks"):
            outline.append((SectionKind.AREA, area.title, area, area_lead_department(area, office)))
    else:
        from cchc.plans.models import AreaKind

        for kind in AreaKind:
            if kind != AreaKind.LOCAL:
                outline.append((SectionKind.AREA, kind.label, None, office))
    for kind in (SectionKind.LIMITATIONS, SectionKind.NEXT_TASKS, SectionKind.PROPOSALS):
        outline.append((kind, kind.label, None, office))
    for position, (kind, title, area, department) in enumerate(outline, start=1):
        section = Section.objects.create(
            report=report,
            position=position,
            kind=kind,
            title=title,
            area=area,
            department=department,
            due_date=due,
        )
        SectionEvent.objects.create(
            section=section,
            at=at,
            actor=user,
            action="assign",
            to_status=SectionStatus.ASSIGNED,
            note=f"Giao {department or 'thường trực CCHC'}, hạn {due:%d/%m/%Y}.",
        )
    ReportEvent.objects.create(
        report=report, at=at, actor=user, action="create", to_status=ReportStatus.DRAFTING
    )
    _notify_assigned(report)
    return report


@transaction.atomic
def report_update(
    *,
    user: User,
    report: Report,
    subject: str,
    recipients: str,
    signer_name: str,
    signer_title: str,
) -> Report:
    """Change the report's heading and closing (subject, recipients, signer) while drafting."""
    report = _lock_report(report)
    if EDIT not in capabilities(user, report):
        raise PermissionDenied("Chỉ thường trực CCHC được sửa báo cáo.")
    if not report.is_editable:
        raise Conflict(f"Báo cáo đang ở trạng thái “{report.get_status_display()}”: không sửa được.")
    errors: dict[str, list[str]] = {}
    subject = clean_text(subject)
    if not subject:
        errors["subject"] = ["Cần trích yếu báo cáo."]
    elif len(subject) > 300:
        errors["subject"] = ["Trích yếu dài quá 300 ký tự."]
    signer_title = clean_text(signer_title).upper() or "CHỦ TỊCH"
    if len(signer_title) > 60:
        errors["signer_title"] = ["Chức danh ký dài quá 60 ký tự."]
    if errors:
        raise ValidationError(errors)
    report.subject = subject
    report.recipients = _text_block(recipients)
    report.signer_name = clean_text(signer_name)[:150]
    report.signer_title = signer_title
    report.save()
    return report


# --- sections ----------------------------------------------------------------------
def _text_block(value: str) -> str:
    """Multi-line text: NFC, control characters removed, trimmed lines, at most one
    blank line between paragraphs."""
    out: list[str] = []
    for line in (value or "").replace("\r\n", "\n").split("\n"):
        line = clean_text(line)
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _lock_report(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("commune").get(pk=report.pk)


def _lock_section(section: Section) -> Section:
    locked = Section.objects.select_for_update().get(pk=section.pk)
    locked.report = Report.objects.select_related("commune").get(pk=locked.report_id)
    return locked


@transaction.atomic
def section_save(
    *,
    user: User,
    section: Section,
    body: str,
    version: int | None = None,
    files: Sequence[UploadedFile] = (),
    at: datetime | None = None,
) -> Section:
    """Save a section's text (and attach files). Figures quoted as {{key}} must be
    in the catalogue. `version`, when given, must be the version the writer
    started from: otherwise someone else saved meanwhile and nothing is written."""
    section = _lock_section(section)
    check_commune(user, section.report.commune_id, write=True)
    if not can_edit_text(user, section):
        if WRITE not in capabilities(user, section.report, section) and CONSOLIDATE not in capabilities(
            user, section.report
        ):
            raise PermissionDenied("Phần này do bộ phận khác viết.")
        if section.report.status != ReportStatus.DRAFTING:
            raise Conflict(
                f"Báo cáo đang ở trạng thái “{section.report.get_status_display()}”: không sửa được nội dung."
            )
        raise Conflict(
            f"Phần này đã ở trạng thái “{section.get_status_display()}”: chờ thường trực CCHC xử lý."
        )
    if version is not None and version != section.version:
        who = section.updated_by
        raise Conflict(
            f"Phần này vừa được {_actor(who)} lưu lúc {timezone.localtime(section.updated_at):%H:%M %d/%m/%Y}. "
            "Hãy mở lại trang để xem bản mới rồi sửa tiếp."
        )
    errors: dict[str, list[str]] = {}
    body = _text_block(body)
    if len(body) > MAX_BODY:
        errors["body"] = [f"Nội dung dài quá {MAX_BODY:,} ký tự.".replace(",", ".")]
    else:
        try:
            tables.check_quotes(body)
        except ValidationError as exc:
            errors["body"] = exc.messages
    try:
        uploads = ATTACHMENT_UPLOADS.check(files)
    except ValidationError as exc:
        errors["files"] = exc.messages
        uploads = []
    if errors:
        raise ValidationError(errors)
    at = at or timezone.now()
    if body != section.body:
        section.body = body
        section.version += 1
        section.updated_by = user
        section.save()
    for upload in uploads:
        attachment = SectionAttachment(
            section=section,
            token=random_token(),
            extension=upload.extension,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_at=at,
            uploaded_by=user,
        )
        attachment.file.save("upload", upload.file, save=False)
        attachment.save()
    return section


@transaction.atomic
def attachment_delete(*, user: User, attachment: SectionAttachment) -> None:
    """Remove a file while the section's text may still be changed by `user`."""
    section = _lock_section(attachment.section)
    if not can_edit_text(user, section):
        raise Conflict("Không xóa được tệp: phần báo cáo này không còn sửa được.")
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def section_assign(*, user: User, section: Section, department: Department, due_date: date) -> Section:
    """Give a section to another department or move its due date (the office)."""
    section = _lock_section(section)
    report = section.report
    if CONSOLIDATE not in capabilities(user, report):
        raise PermissionDenied("Chỉ thường trực CCHC được giao viết các phần báo cáo.")
    if not report.is_editable:
        raise Conflict("Báo cáo đã trình duyệt: không giao lại được.")
    if department.commune_id != report.commune_id:
        raise ValidationError({"department": "Bộ phận không thuộc xã của báo cáo."})
    if due_date > report.deadline:
        raise ValidationError(
            {"due_date": f"Hạn nộp không được sau hạn gửi báo cáo ({report.deadline:%d/%m/%Y})."}
        )
    changes = []
    if department.pk != section.department_id:
        changes.append(f"giao {department}")
    if due_date != section.due_date:
        changes.append(f"hạn {due_date:%d/%m/%Y}")
    if not changes:
        return section
    section.department, section.due_date = department, due_date
    section.save()
    SectionEvent.objects.create(
        section=section,
        actor=user,
        action="assign",
        from_status=section.status,
        to_status=section.status,
        note="Đổi: " + ", ".join(changes) + ".",
    )
    _notify_department(
        section,
        title=f"Được giao viết phần báo cáo CCHC: {section.title[:120]}",
        body=f"{report.subject}; hạn nộp {section.due_date:%d/%m/%Y}.",
        key=f"assign:{section.department_id}:{section.due_date.isoformat()}",
    )
    return section


@transaction.atomic
def section_act(
    *, user: User, section: Section, action: str, note: str = "", at: datetime | None = None
) -> Section:
    """One move of a section: submit (its department or the office), return with a
    reason, or accept (the office). Only while the report is being drafted."""
    section = _lock_section(section)
    report = section.report
    check_commune(user, report.commune_id, write=True)
    move = SECTION_WORKFLOW.check(action, section.status, capabilities(user, report, section))
    if report.status != ReportStatus.DRAFTING:
        raise Conflict(
            f"Báo cáo đang ở trạng thái “{report.get_status_display()}”: các phần không đổi được nữa."
        )
    note = _text_block(note)
    at = at or timezone.now()
    if action == "submit":
        if not section.body.strip():
            raise ValidationError({"body": "Chưa có nội dung: viết phần báo cáo trước khi nộp."})
        if section.first_submitted_at is None:
            section.first_submitted_at = at
    if action == "return" and not note:
        raise ValidationError({"note": "Cần ghi lý do trả lại để bộ phận sửa."})
    from_status = section.status
    section.status = SECTION_WORKFLOW.target(move, from_status)
    section.save()
    event = SectionEvent.objects.create(
        section=section,
        at=at,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=section.status,
        note=note,
    )
    if action == "submit":
        late = (
            " (nộp muộn)"
            if section.first_submitted_on and section.first_submitted_on > section.due_date
            else ""
        )
        _notify_people(
            _office_people(report),
            title=f"{section.department or 'Bộ phận'} đã nộp phần báo cáo: {section.title[:120]}{late}",
            body=report.subject,
            url=reverse("reports:section", args=[report.pk, section.pk]),
            key=f"reports:section-event:{event.pk}",
        )
    elif action == "return":
        _notify_department(
            section,
            title=f"Phần báo cáo bị trả lại để sửa: {section.title[:120]}",
            body=note,
            key=f"event:{event.pk}",
        )
    return section


# --- the report's moves -------------------------------------------------------------
def next_number(report: Report, year: int) -> str:
    """A suggested document number: one more than the largest number of the
    commune's reports in `year` (the office may type another)."""
    numbers = Report.objects.filter(commune_id=report.commune_id, number_year=year, symbol=report.symbol)
    biggest = max((int(n) for n in numbers.values_list("number", flat=True) if n.isdigit()), default=0)
    return str(biggest + 1)


@transaction.atomic
def report_act(
    *,
    user: User,
    report: Report,
    action: str,
    note: str = "",
    number: str = "",
    issued_on: date | None = None,
    at: datetime | None = None,
) -> Report:
    """One move of the report (see the module docstring). Submitting needs every
    section accepted; returning and reopening need a reason; sending needs the
    document number and date, and freezes the figures."""
    report = _lock_report(report)
    check_commune(user, report.commune_id, write=True)
    move = REPORT_WORKFLOW.check(action, report.status, capabilities(user, report))
    at = at or timezone.now()
    note = _text_block(note)
    if action == "submit":
        waiting = [s for s in report.sections.order_by("position") if s.status != SectionStatus.ACCEPTED]
        if waiting:
            names = "; ".join(f"{s.title} ({s.get_status_display().lower()})" for s in waiting[:8])
            raise ValidationError(f"Còn {len(waiting)} phần chưa được tiếp nhận: {names}.")
    if action in ("return", "reopen") and not note:
        raise ValidationError({"note": "Cần ghi lý do để thường trực CCHC sửa."})
    if action == "approve":
        if user.role in (Role.CHAIRMAN, Role.VICE_CHAIRMAN):
            report.signer_name = user.full_name or user.username
            report.signer_title = "CHỦ TỊCH" if user.role == Role.CHAIRMAN else "PHÓ CHỦ TỊCH"
    if action == "send":
        number = clean_text(number)
        issued_on = issued_on or timezone.localdate(at)
        errors: dict[str, list[str]] = {}
        if not number.isdigit() or len(number) > 10:
            errors["number"] = ["Cần số văn bản (chỉ gồm chữ số), ví dụ 15."]
        if issued_on > timezone.localdate(at):
            errors["issued_on"] = ["Ngày ban hành không thể sau hôm nay."]
        elif issued_on < report.date_from:
            errors["issued_on"] = [f"Ngày ban hành không thể trước kỳ báo cáo ({report.date_from:%d/%m/%Y})."]
        if (
            not errors
            and Report.objects.filter(
                commune_id=report.commune_id, number_year=issued_on.year, number=number, symbol=report.symbol
            )
            .exclude(pk=report.pk)
            .exists()
        ):
            errors["number"] = [f"Số {number}/{report.symbol} năm {issued_on.year} đã dùng cho báo cáo khác."]
        if errors:
            raise ValidationError(errors)
        report.number, report.issued_on, report.number_year = number, issued_on, issued_on.year
        report.sent_at, report.sent_by = at, user
    from_status = report.status
    report.status = REPORT_WORKFLOW.target(move, from_status)
    report.save()
    if action == "send":
        tables.freeze(report, now=at)
    event = ReportEvent.objects.create(
        report=report,
        at=at,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=report.status,
        note=note,
    )
    _notify_after(report, action, event)
    return report


# --- notifications --------------------------------------------------------------------
def _department_people(department: Department | None) -> list[User]:
    if department is None:
        return []
    people = {u.pk: u for u in department.members.filter(is_active=True)}
    if department.head_id and department.head.is_active:
        people.setdefault(department.head_id, department.head)
    return list(people.values())


def _office_people(report: Report) -> list[User]:
    people = {
        u.pk: u for u in User.objects.filter(unit_id=report.commune_id, role=Role.CCHC_OFFICE, is_active=True)
    }
    for u in _department_people(_office_department(report.commune)):
        people.setdefault(u.pk, u)
    return list(people.values())


def _leaders(report: Report) -> list[User]:
    return list(
        User.objects.filter(
            unit_id=report.commune_id, role__in=[Role.CHAIRMAN, Role.VICE_CHAIRMAN], is_active=True
        )
    )


def _superiors(report: Report) -> list[User]:
    """Superior viewers of every unit above the commune (district, province)."""
    ancestors = [int(x) for x in report.commune.path.strip("/").split("/")[:-1] if x]
    return list(User.objects.filter(unit_id__in=ancestors, role=Role.SUPERIOR_VIEWER, is_active=True))


def _notify_people(people, *, title: str, body: str, url: str, key: str, email: bool = False) -> int:
    return sum(
        notify(user=person, title=title, body=body, url=url, dedupe_key=key, email=email) for person in people
    )


def _notify_department(section: Section, *, title: str, body: str, key: str) -> int:
    report = section.report
    return _notify_people(
        _department_people(section.department),
        title=title,
        body=body,
        url=reverse("reports:section", args=[report.pk, section.pk]),
        key=f"reports:section:{section.pk}:{key}",
        email=True,
    )


def _notify_assigned(report: Report) -> None:
    for section in report.sections.select_related("department__head"):
        _notify_department(
            section,
            title=f"Viết phần báo cáo CCHC {report.period.label}: {section.title[:120]}",
            body=f"Hạn nộp {section.due_date:%d/%m/%Y}; báo cáo gửi cấp trên trước {report.deadline:%d/%m/%Y}.",
            key=f"assign:{section.department_id}:{section.due_date.isoformat()}",
        )


def _notify_after(report: Report, action: str, event: ReportEvent) -> None:
    url = reverse("reports:detail", args=[report.pk])
    key = f"reports:report-event:{event.pk}"
    label = f"Báo cáo CCHC {report.period.label}"
    if action == "submit":
        _notify_people(
            _leaders(report), title=f"{label} trình duyệt", body=report.subject, url=url, key=key, email=True
        )
    elif action in ("return", "reopen"):
        _notify_people(
            _office_people(report), title=f"{label} trả lại để sửa", body=event.note, url=url, key=key
        )
    elif action == "approve":
        _notify_people(
            _office_people(report),
            title=f"{label} đã được duyệt: vào số và gửi",
            body=report.subject,
            url=url,
            key=key,
        )
    elif action == "send":
        _notify_people(
            _superiors(report),
            title=f"{report.commune} đã gửi {label.lower()} (số {report.number_display})",
            body=report.subject,
            url=url,
            key=key,
        )


# --- reminders --------------------------------------------------------------------------
@dataclass
class RemindResult:
    sections_due_soon: int = 0
    sections_overdue: int = 0
    reports_due_soon: int = 0
    reports_overdue: int = 0
    sent: int = 0
    already_sent: int = 0


def reports_remind(*, today: date, days: int = 3, commune: Unit | None = None) -> RemindResult:
    """Remind departments of sections not yet submitted that are overdue or due
    within `days` working days, and the office and leaders of reports not yet sent.
    Each notice is keyed by record, kind, due date and today: running twice a day
    sends nothing new, and an overdue item is reminded again the next day."""
    if days < 0:
        raise ValidationError("Số ngày làm việc phải ≥ 0.")
    calendar = get_calendar()
    horizon = calendar.add_working_days(today, days)
    result = RemindResult()
    reports = Report.objects.exclude(status=ReportStatus.SENT).select_related("commune")
    if commune is not None:
        reports = reports.filter(commune=commune)

    def count(sent: int, people: int) -> None:
        result.sent += sent
        result.already_sent += people - sent

    for report in reports:
        if report.status == ReportStatus.DRAFTING:
            pending = report.sections.filter(
                status__in=[SectionStatus.ASSIGNED, SectionStatus.RETURNED], due_date__lte=horizon
            ).select_related("department__head")
            for section in pending:
                if section.due_date < today:
                    kind, title = "overdue", f"Phần báo cáo CCHC quá hạn nộp: {section.title[:120]}"
                    result.sections_overdue += 1
                else:
                    kind, title = (
                        "due_soon",
                        f"Phần báo cáo CCHC hạn nộp {section.due_date:%d/%m/%Y}: {section.title[:100]}",
                    )
                    result.sections_due_soon += 1
                people = _department_people(section.department)
                body = f"{report.subject}; hạn nộp {section.due_date:%d/%m/%Y}."
                sent = _notify_department(
                    section,
                    title=title,
                    body=body,
                    key=f"{kind}:{section.due_date.isoformat()}:{today.isoformat()}",
                )
                count(sent, len(people))
        if report.deadline > horizon:
            continue
        if report.deadline < today:
            kind, title = (
                "overdue",
                f"Báo cáo CCHC {report.period.label} quá hạn gửi ({report.deadline:%d/%m/%Y})",
            )
            result.reports_overdue += 1
        else:
            kind, title = (
                "due_soon",
                f"Báo cáo CCHC {report.period.label} phải gửi trước {report.deadline:%d/%m/%Y}",
            )
            result.reports_due_soon += 1
        people = {u.pk: u for u in _office_people(report) + _leaders(report)}.values()
        sent = _notify_people(
            people,
            title=title,
            body=f"Trạng thái: {report.get_status_display()}.",
            url=reverse("reports:detail", args=[report.pk]),
            key=f"reports:report:{report.pk}:{kind}:{report.deadline.isoformat()}:{today.isoformat()}",
            email=True,
        )
        count(sent, len(people))
    return result


def local_today() -> date:
    return timezone.localtime(timezone.now(), TZ).date()


# --- the province's view ----------------------------------------------------------------
@dataclass(frozen=True)
class CompletenessCell:
    period: Period
    deadline: date
    report: Report | None
    state: str  # on_time / late / overdue / not_due / no_plan
    label: str


@dataclass(frozen=True)
class CompletenessRow:
    commune: Unit
    cells: list[CompletenessCell]

    @property
    def owed(self) -> int:
        return sum(c.state not in ("not_due", "no_plan") for c in self.cells)

    @property
    def sent(self) -> int:
        return sum(c.state in ("on_time", "late") for c in self.cells)

    @property
    def on_time(self) -> int:
        return sum(c.state == "on_time" for c in self.cells)


def completeness_table(
    *, communes: Iterable[Unit], year: int, today: date
) -> tuple[list[Period], list[CompletenessRow]]:
    """For each commune and each report owed in `year`: sent on time, sent late,
    overdue (not sent, deadline passed), being prepared or not yet due, or not owed
    (no CCHC plan issued for the year) — the province's reporting-rate table. Counts
    agree with `reports.figures`."""
    from .figures import planned_years

    periods = expected_periods(year)
    communes = list(communes)
    planned = planned_years([c.pk for c in communes], {p.year for p in periods})
    reports = {
        (r.commune_id, r.period_code): r
        for r in Report.objects.filter(commune__in=communes, period_code__in=[p.code for p in periods])
    }
    rows = []
    for commune in communes:
        cells = []
        for period in periods:
            deadline = deadline_for(period)
            report = reports.get((commune.pk, period.code))
            if report is not None and report.is_sent:
                on_time = report.sent_on_time
                state = "on_time" if on_time else "late"
                label = f"Đã gửi {report.sent_on:%d/%m/%Y}" + ("" if on_time else " (muộn)")
            elif (commune.pk, period.year) not in planned:
                state, label = "no_plan", f"Chưa ban hành Kế hoạch CCHC năm {period.year}"
            elif today > deadline:
                state = "overdue"
                label = "Chưa gửi, quá hạn" + (f" ({report.get_status_display().lower()})" if report else "")
            else:
                state = "not_due"
                label = f"Đang soạn ({report.get_status_display().lower()})" if report else "Chưa đến hạn"
            cells.append(
                CompletenessCell(
                    period, deadline, report if report and report.is_sent else None, state, label
                )
            )
        rows.append(CompletenessRow(commune, cells))
    return periods, rows
