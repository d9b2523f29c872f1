"""The public side of the commune: dossier look-up and the transparency figures.

Look-up (docs/rules.md §6, §13): a dossier code plus a second factor — the last four
digits of the phone number given at receipt. A wrong code and a wrong factor give
the same answer (`None`), so nobody can tell which codes exist; the pages add a
per-client rate limit. What is shown is the public-safe subset built by
`public_view`: the name masked, no ID number, phone or address, no officer names
(only department names), no internal notes — only the reasons addressed to the
applicant (supplement request, refusal, stop, apology).

Every successful look-up is written to the audit trail as a "view" of the dossier
from the channel `public:lookup` (no IP address or other data about the person
looking), so the commune can count and review public look-ups of a dossier.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from cchc.core import audit
from cchc.core.figures import Scope, evaluate, evaluate_series
from cchc.core.models import AuditLog
from cchc.core.periods import PeriodKind, containing
from cchc.core.text import clean_text, mask_name
from cchc.dossiers import figures as DF
from cchc.dossiers.models import Action, Dossier, ResultDelivery, Status
from cchc.org.models import Unit
from cchc.satisfaction import figures as SF
from cchc.satisfaction.models import Rating, RatingChannel
from cchc.satisfaction.services import rating_path

LOOKUP_SOURCE = "public:lookup"
_NOT_DIGITS = re.compile(r"\D")

# The status in plain words for the applicant.
PUBLIC_STATUS = {
    Status.REGISTERED: "Đã nộp trực tuyến — đang chờ {one_stop} kiểm tra, tiếp nhận",
    Status.RECEIVED: "Đã tiếp nhận, đang chuyển đến bộ phận giải quyết",
    Status.PROCESSING: "Đang giải quyết",
    Status.SUPPLEMENT: "Cần bổ sung giấy tờ — đang chờ quý khách bổ sung",
    Status.AWAITING_PAYMENT: "Đang chờ quý khách nộp phí, lệ phí",
    Status.PROCESSED: "Đã có kết quả — mời quý khách đến nhận",
    Status.RETURNED: "Đã trả kết quả",
    Status.REFUSED: "Không được giải quyết (từ chối)",
    Status.WITHDRAWN: "Đã rút hồ sơ theo yêu cầu của quý khách",
    Status.STOPPED: "Đã dừng giải quyết",
}
# Step names for the applicant; `{dept}` is the department's name.
PUBLIC_STEP = {
    Action.RECEIVE: "Tiếp nhận hồ sơ",
    Action.TRANSFER: "Chuyển hồ sơ đến {dept}",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    Action.RECEIVE_SUPPLEMENT: "Nhận giấy tờ bổ sung",
    Action.REQUEST_PAYMENT: "Thông báo nộp phí, lệ phí",
    Action.RECEIVE_PAYMENT: "Đã nộp phí, lệ phí",
    Action.FINISH: "Giải quyết xong, có kết quả",
    Action.RETURN_RESULT: "Trả kết quả",
    Action.REFUSE: "Từ chối giải quyết",
    Action.APOLOGIZE: "Thư xin lỗi, hẹn lại ngày trả kết quả",
    Action.WITHDRAW: "Rút hồ sơ theo yêu cầu",
    Action.STOP: "Dừng giải quyết",
}
# Steps whose note is a reason addressed to the applicant (forms 02–05); other
# notes are internal and never shown.
_PUBLIC_NOTES = {Action.REFUSE, Action.STOP, Action.APOLOGIZE, Action.REQUEST_SUPPLEMENT}


def phone_last4(phone: str) -> str:
    digits = _NOT_DIGITS.sub("", phone or "")
    return digits[-4:] if len(digits) >= 4 else ""


def normalise_code(code: str) -> str:
    return clean_text(code or "").replace(" ", "")


def dossier_lookup(*, code: str, last4: str) -> Dossier | None:
    """The dossier when `code` exists and `last4` are the last four digits of the
    phone given at receipt; None otherwise (whichever of the two was wrong)."""
    code = normalise_code(code)
    last4 = _NOT_DIGITS.sub("", last4 or "")
    dossier = None
    if code and len(last4) == 4:
        dossier = (
            Dossier.objects.select_related("commune", "procedure", "department")
            .filter(code__in={code, code.upper()})
            .first()
        )
    expected = phone_last4(dossier.applicant_phone) if dossier else ""
    # Compared in constant time, and compared even when there is no dossier.
    matches = hmac.compare_digest((expected or "----").encode(), last4.encode())
    if dossier is None or not expected or not matches:
        return None
    with audit.acting_as(None, LOOKUP_SOURCE):
        audit.record(dossier, "view", {"purpose": "tra cứu công khai (mã hồ sơ + 4 số cuối điện thoại)"})
    return dossier


def lookup_count(dossier: Dossier) -> int:
    """How many times the dossier was looked up on the public page."""
    return AuditLog.objects.filter(
        app_label="dossiers",
        model="dossier",
        object_id=str(dossier.pk),
        action=AuditLog.Action.VIEW,
        source=LOOKUP_SOURCE,
    ).count()


@dataclass
class PublicStep:
    at: datetime
    label: str
    department: str
    reason: str = ""
    new_date: date | None = None


@dataclass
class PublicDossier:
    code: str
    commune: Unit
    procedure_name: str
    applicant: str
    received_at: datetime
    due_date: date
    apology_date: date | None
    status: str
    status_text: str
    outcome: str
    result_place: str
    steps: list[PublicStep] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    supplement_items: list[str] = field(default_factory=list)
    supplement_reason: str = ""
    rating_url: str = ""
    rated_at: datetime | None = None


def public_view(dossier: Dossier, *, today: date | None = None) -> PublicDossier:
    """The public-safe picture of a dossier (see the module docstring)."""
    today = today or timezone.localdate()
    status = Status(dossier.status)
    events = list(
        dossier.events.select_related("department_to")
        .order_by("at", "id")
        .only("at", "action", "department_to__name", "note", "new_date")
    )
    steps: list[PublicStep] = []
    current_dept = ""
    for event in events:
        if event.department_to is not None:
            current_dept = event.department_to.name
        label = PUBLIC_STEP.get(Action(event.action), event.get_action_display())
        steps.append(
            PublicStep(
                at=event.at,
                label=label.format(dept=current_dept or "bộ phận giải quyết"),
                department=current_dept,
                reason=event.note if event.action in _PUBLIC_NOTES else "",
                new_date=event.new_date,
            )
        )
    status_text = PUBLIC_STATUS[status].format(one_stop=dossier.commune.one_stop_label)
    if status == Status.PROCESSING and dossier.department is not None:
        status_text = f"Đang giải quyết tại {dossier.department.name}"
    view = PublicDossier(
        code=dossier.code,
        commune=dossier.commune,
        procedure_name=dossier.procedure.name,
        applicant=mask_name(dossier.applicant_name),
        received_at=dossier.received_at,
        due_date=dossier.due_date,
        apology_date=dossier.apology_date,
        status=status.value,
        status_text=status_text,
        outcome=dossier.outcome_label(today),
        # Where to go (supplements, fees, questions): the commune's counter; the
        # result itself comes where the applicant chose at intake (`result_display`).
        result_place=dossier.commune.one_stop_name.strip() or f"Bộ phận Một cửa {dossier.commune}",
        steps=steps,
    )
    rating = Rating.objects.filter(dossier_id=dossier.pk).only("rated_at").first()
    view.rated_at = rating.rated_at if rating else None
    _next_steps(view, dossier, events)
    if dossier.is_finished and rating is None:
        view.rating_url = rating_path(dossier, RatingChannel.LOOKUP)
    return view


def _next_steps(view: PublicDossier, dossier: Dossier, events) -> None:
    status = dossier.status
    if status == Status.REGISTERED:
        view.next_steps.append(dossier.next_step_text())
    if status == Status.SUPPLEMENT:
        request = dossier.open_supplement_request()
        if request is not None:
            view.supplement_items = list(request.items)
            view.supplement_reason = request.reason
        view.next_steps.append(
            f"Nộp bổ sung các giấy tờ dưới đây tại {view.result_place} hoặc theo hướng dẫn trong phiếu yêu cầu "
            "bổ sung (mẫu 02). Thời gian chờ bổ sung không tính vào thời hạn giải quyết."
        )
    elif status == Status.AWAITING_PAYMENT:
        view.next_steps.append(f"Nộp phí, lệ phí tại {view.result_place} để hồ sơ tiếp tục được giải quyết.")
    elif status in (Status.RECEIVED, Status.PROCESSING):
        when = dossier.apology_date or dossier.due_date
        view.next_steps.append(
            f"Quý khách chưa cần làm gì thêm. Hẹn trả kết quả ngày {when:%d/%m/%Y}, {dossier.result_display}."
        )
    elif status == Status.PROCESSED:
        if dossier.result_delivery == ResultDelivery.COUNTER:
            view.next_steps.append(
                f"Mời quý khách đến nhận kết quả {dossier.result_display}; mang theo phiếu hẹn trả kết quả "
                "và giấy tờ tùy thân."
            )
        else:
            view.next_steps.append(f"Kết quả được trả {dossier.result_display}.")
    elif status == Status.RETURNED:
        view.next_steps.append("Quý khách đã nhận kết quả. Hồ sơ đã hoàn thành.")
    elif status in (Status.REFUSED, Status.STOPPED):
        view.next_steps.append(
            f"Lý do được ghi ở bước xử lý bên dưới. Nếu cần giải thích thêm, xin liên hệ {view.result_place}."
        )
    if dossier.is_finished:
        if view.rated_at is None:
            view.next_steps.append(
                "Mời quý khách đánh giá sự hài lòng về việc giải quyết hồ sơ (5 câu hỏi ngắn)."
            )
        else:
            view.next_steps.append("Quý khách đã đánh giá sự hài lòng cho hồ sơ này. Xin cảm ơn!")


# --- transparency page ----------------------------------------------------------------
PUBLIC_FIGURES_SECONDS = 300


def public_figures(commune: Unit, *, today: date | None = None, use_cache: bool = True) -> dict:
    """The on-time and satisfaction figures of the reporting month and year holding
    today (NĐ 09/2019 windows: the month runs from the 15th of the previous month to
    the 14th), and the months of that year, for the transparency page — read from
    the figures catalogue like every other page. Cached a few minutes: the page is
    public and may be opened by many at once."""
    today = today or timezone.localdate()
    key = f"portal:figures:{commune.pk}:{today.isoformat()}"
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return cached
    month, year = containing(today, PeriodKind.MONTH), containing(today, PeriodKind.YEAR)
    scope = Scope.of(commune_ids=[commune.pk], date_from=year.date_from, date_to=year.date_to)
    rows = [
        (period, evaluate(PUBLIC_FIGURES, scope.for_window(period.date_from, period.date_to)))
        for period in (month, year)
    ]
    months = [m for m in year.months() if m.date_from <= today]
    series = evaluate_series(PUBLIC_FIGURES, scope, [(m.date_from, m.date_to) for m in months])
    figures = {
        "today": today,
        "rows": [
            (kind, period, [values[f] for f in PUBLIC_FIGURES])
            for kind, (period, values) in zip(("month", "year"), rows, strict=True)
        ],
        "months": [
            (m, [values[f] for f in PUBLIC_FIGURES]) for m, values in zip(months, series, strict=True)
        ],
    }
    if use_cache:
        cache.set(key, figures, PUBLIC_FIGURES_SECONDS)
    return figures


# What the public page shows, in its column order.
PUBLIC_FIGURES = (DF.FINISHED, DF.ON_TIME_RATE, SF.RATED, SF.RATE)


def cchc_news(commune: Unit) -> QuerySet:
    """The reform news a commune published: rows of its communication register
    marked public, newest first, with public columns only (who typed them and the
    internal notes never reach the public page)."""
    from cchc.registers.communication.models import CommunicationItem

    return (
        CommunicationItem.objects.public()
        .filter(commune=commune)
        .only("pk", "commune_id", "channel", "title", "on", "summary", "body", "link")
        .order_by("-on", "-id")
    )
