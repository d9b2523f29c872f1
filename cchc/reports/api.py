"""JSON API of the periodic CCHC reports (mounted at /api/v1/). Every schema name
starts with "Report" so that the OpenAPI document has one meaning per name."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from cchc.core import periods
from cchc.org.models import Unit

from . import services, tables
from .models import Report
from .views import document_download, get_report, get_section, tables_download

router = Router(tags=["Báo cáo CCHC"])


class ReportOut(Schema):
    id: int
    commune: str
    period: str
    period_label: str
    date_from: date
    date_to: date
    deadline: date
    subject: str
    status: str
    status_label: str
    number: str
    issued_on: date | None
    sent_at: datetime | None
    sent_on_time: bool | None
    overdue: bool


class ReportAttachmentOut(Schema):
    id: int
    name: str
    size: int
    url: str


class ReportSectionOut(Schema):
    id: int
    position: int
    kind: str
    title: str
    department: str | None
    due_date: date
    status: str
    status_label: str
    body: str
    rendered: str
    version: int
    first_submitted_at: datetime | None
    late: bool
    attachments: list[ReportAttachmentOut]


class ReportCellOut(Schema):
    key: str
    label: str
    unit: str
    value: int | Decimal | None
    text: str


class ReportRowOut(Schema):
    key: str
    label: str
    cells: list[ReportCellOut | None]


class ReportTableOut(Schema):
    code: str
    title: str
    headers: list[str]
    rows: list[ReportRowOut]
    missing: list[str]


class ReportEventOut(Schema):
    at: datetime
    actor: str | None
    action: str
    from_status: str
    to_status: str
    note: str


class ReportDetailOut(ReportOut):
    recipients: list[str]
    signer_name: str
    signer_title: str
    figures_frozen: bool
    sections: list[ReportSectionOut]
    tables: list[ReportTableOut]
    events: list[ReportEventOut]


class ReportCreateIn(Schema):
    period: str
    commune: str | None = None


class ReportSectionWriteIn(Schema):
    body: str
    version: int | None = None


class ReportSectionActionIn(Schema):
    note: str = ""


class ReportActionIn(Schema):
    note: str = ""
    number: str = ""
    issued_on: date | None = None


class ReportCompletenessCellOut(Schema):
    period: str
    deadline: date
    state: str
    label: str
    report_id: int | None


class ReportCompletenessOut(Schema):
    commune: str
    owed: int
    sent: int
    on_time: int
    cells: list[ReportCompletenessCellOut]


def _report_out(report: Report, today: date) -> dict:
    return {
        "id": report.pk,
        "commune": report.commune.slug,
        "period": report.period_code,
        "period_label": report.period.label,
        "date_from": report.date_from,
        "date_to": report.date_to,
        "deadline": report.deadline,
        "subject": report.subject,
        "status": report.status,
        "status_label": report.get_status_display(),
        "number": report.number_display if report.number else "",
        "issued_on": report.issued_on,
        "sent_at": report.sent_at,
        "sent_on_time": report.sent_on_time,
        "overdue": report.is_overdue(today),
    }


def _cell_out(cell: tables.Cell | None) -> dict | None:
    if cell is None:
        return None
    return {"key": cell.key, "label": cell.label, "unit": cell.unit, "value": cell.value, "text": cell.text}


def _section_out(section, cells: dict, today: date) -> dict:
    report = section.report
    return {
        "id": section.pk,
        "position": section.position,
        "kind": section.kind,
        "title": section.title,
        "department": section.department.code if section.department else None,
        "due_date": section.due_date,
        "status": section.status,
        "status_label": section.get_status_display(),
        "body": section.body,
        "rendered": tables.render_quotes(section.body, cells),
        "version": section.version,
        "first_submitted_at": section.first_submitted_at,
        "late": section.is_late(today),
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "size": a.size,
                "url": f"/bao-cao/{report.pk}/phan/{section.pk}/tep/{a.pk}/",
            }
            for a in section.attachments.all()
        ],
    }


def _detail(report: Report) -> dict:
    today = timezone.localdate()
    sections = list(report.sections.select_related("department").prefetch_related("attachments"))
    for s in sections:
        s.report = report
    cells = tables.quote_cells(report, [s.body for s in sections])
    return {
        **_report_out(report, today),
        "recipients": report.recipient_list(),
        "signer_name": report.signer_name,
        "signer_title": report.signer_title,
        "figures_frozen": report.is_sent,
        "sections": [_section_out(s, cells, today) for s in sections],
        "tables": [
            {
                "code": t.code,
                "title": t.title,
                "headers": t.headers,
                "rows": [
                    {"key": r.key, "label": r.label, "cells": [_cell_out(c) for c in r.cells]} for r in t.rows
                ],
                "missing": t.missing,
            }
            for t in tables.report_tables(report)
        ],
        "events": [
            {
                "at": e.at,
                "actor": e.actor.username if e.actor else None,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
            }
            for e in report.events.select_related("actor")
        ],
    }


@router.get("/reports", response=list[ReportOut], summary="Danh sách báo cáo CCHC định kỳ")
def report_list(request: HttpRequest, year: int | None = None, commune: str | None = None):
    user = request.auth
    get_report_perm(user)
    qs = Report.objects.visible_to(user).select_related("commune")
    if year:
        qs = qs.filter(year=year)
    if commune:
        qs = qs.filter(commune__slug=commune)
    today = timezone.localdate()
    return [_report_out(r, today) for r in qs.order_by("-date_to", "commune__path")]


def get_report_perm(user) -> None:
    from cchc.core.permissions import require_perm

    require_perm(user, "reports.view_report", "Bạn không có quyền xem báo cáo CCHC.")


@router.post("/reports", response={201: ReportDetailOut}, summary="Lập báo cáo CCHC cho một kỳ")
def report_create(request: HttpRequest, payload: ReportCreateIn):
    user = request.auth
    commune = user.home_commune
    if payload.commune:
        commune = get_object_or_404(Unit.objects.communes(), slug=payload.commune)
    if commune is None:
        raise HttpError(422, "Cần chọn xã (commune) của báo cáo.")
    try:
        period = periods.parse(payload.period)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    report = services.report_create(user=user, commune=commune, period=period)
    return Status(201, _detail(report))


@router.get("/reports/completeness", response=list[ReportCompletenessOut], summary="Tình hình gửi báo cáo")
def report_completeness(request: HttpRequest, year: int = Query(..., ge=2000, le=2100, description="Năm")):
    user = request.auth
    get_report_perm(user)
    _, rows = services.completeness_table(
        communes=user.visible_communes(), year=year, today=timezone.localdate()
    )
    return [
        {
            "commune": row.commune.slug,
            "owed": row.owed,
            "sent": row.sent,
            "on_time": row.on_time,
            "cells": [
                {
                    "period": c.period.code,
                    "deadline": c.deadline,
                    "state": c.state,
                    "label": c.label,
                    "report_id": c.report.pk if c.report else None,
                }
                for c in row.cells
            ],
        }
        for row in rows
    ]


@router.get(
    "/reports/{report_id}", response=ReportDetailOut, summary="Báo cáo: các phần, biểu số liệu, lịch sử"
)
def report_detail(request: HttpRequest, report_id: int):
    return _detail(get_report(request.auth, report_id))


@router.get("/reports/{report_id}/docx", summary="Văn bản báo cáo (.docx, NĐ 30/2020)")
def report_docx(request: HttpRequest, report_id: int):
    return document_download(get_report(request.auth, report_id))


@router.get("/reports/{report_id}/xlsx", summary="Biểu số liệu của báo cáo (.xlsx)")
def report_xlsx(request: HttpRequest, report_id: int):
    return tables_download(get_report(request.auth, report_id))


# After the documents: `{action}` would otherwise match their paths.
@router.put(
    "/reports/{report_id}/sections/{section_id}", response=ReportSectionOut, summary="Viết nội dung một phần"
)
def section_write(request: HttpRequest, report_id: int, section_id: int, payload: ReportSectionWriteIn):
    section = get_section(request.auth, report_id, section_id)
    section = services.section_save(
        user=request.auth, section=section, body=payload.body, version=payload.version
    )
    return _section_out(section, tables.quote_cells(section.report, [section.body]), timezone.localdate())


@router.post(
    "/reports/{report_id}/sections/{section_id}/{action}",
    response=ReportSectionOut,
    summary="Nộp / trả lại / tiếp nhận một phần",
)
def section_action(
    request: HttpRequest,
    report_id: int,
    section_id: int,
    action: Literal["submit", "return", "accept"],
    payload: ReportSectionActionIn,
):
    section = get_section(request.auth, report_id, section_id)
    section = services.section_act(user=request.auth, section=section, action=action, note=payload.note)
    return _section_out(section, tables.quote_cells(section.report, [section.body]), timezone.localdate())


@router.post(
    "/reports/{report_id}/{action}",
    response=ReportDetailOut,
    summary="Trình / trả lại / duyệt / mở lại / vào số và gửi báo cáo",
)
def report_action(
    request: HttpRequest,
    report_id: int,
    action: Literal["submit", "return", "approve", "reopen", "send"],
    payload: ReportActionIn,
):
    report = get_report(request.auth, report_id)
    report = services.report_act(
        user=request.auth,
        report=report,
        action=action,
        note=payload.note,
        number=payload.number,
        issued_on=payload.issued_on,
    )
    return _detail(report)
