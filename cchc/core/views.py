from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from . import audit, services
from .forms import AuditFilterForm, DueDateForm, OverrideForm
from .models import AuditLog, CalendarOverride, Notification
from .nav import panels_for
from .permissions import require_perm
from .workcal import get_calendar


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    panels = [(p.template, p.context(request.user)) for p in panels_for(request.user)]
    return render(request, "core/home.html", {"panels": panels})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    qs = request.user.notifications.all()
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_mark_read(notification=notification)
    if request.POST.get("go") and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect("notifications")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require_perm(
        request.user, "core.view_auditlog", "Chỉ quản trị viên và lãnh đạo được xem nhật ký thay đổi."
    )
    form = AuditFilterForm(request.GET or None)
    qs = AuditLog.objects.select_related("actor")
    if not request.user.sees_all_units:
        qs = qs.filter(commune_id__in=request.user.commune_ids())
    if form.is_valid():
        qs = form.apply(qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    # Personal data is masked (audit.masked_changes); a leader or an administrator
    # may reveal one row (?hien=ID), and that view is written to the trail.
    can_reveal = audit.may_reveal(request.user)
    revealed = _int(request.GET.get("hien"), 0) if can_reveal else 0
    rows = []
    for row in page:
        personal = audit.has_personal_data(row)
        shown = row.pk == revealed and personal
        if shown:
            audit.record(
                None,
                AuditLog.Action.VIEW,
                {"page": "nhật ký thay đổi", "row": row.pk},
                model_label=(row.app_label, row.model),
                object_id=row.object_id,
                object_repr=row.object_repr,
                commune_id=row.commune_id,
            )
        changes = row.changes if shown else audit.masked_changes(row)
        rows.append(
            {
                "row": row,
                "changes": [(key, _change_text(value)) for key, value in (changes or {}).items()],
                "personal": personal,
                "shown": shown,
            }
        )
    query = request.GET.copy()
    query.pop("hien", None)
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "rows": rows, "form": form, "can_reveal": can_reveal, "query": query.urlencode()},
    )


def _change_text(value) -> str:
    if isinstance(value, list) and len(value) == 2:
        return " → ".join("∅" if v is None else str(v) for v in value)
    return str(value)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    cal = get_calendar()
    year = _int(request.GET.get("year"), timezone.localdate().year)
    due_form = DueDateForm(request.GET if "start" in request.GET else None)
    result = None
    if due_form.is_valid():
        d = due_form.cleaned_data
        result = cal.due(d["start"], d["amount"], d["unit"])
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    statuses = [cal.status(date.fromordinal(o)) for o in range(first, last + 1)]
    # Ordinary weekends are left out: the list shows holidays, swaps and overrides.
    days_off = [s for s in statuses if s.source in ("holiday", "makeup", "override")]
    can_edit = request.user.has_perm("core.add_calendaroverride")
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "days_off": days_off,
            "overrides": CalendarOverride.objects.select_related("created_by"),
            "due_form": due_form,
            "result": result,
            "override_form": OverrideForm() if can_edit else None,
            "can_edit": can_edit,
        },
    )


@login_required
@require_POST
def calendar_override_add(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "core.add_calendaroverride", "Bạn không có quyền điều chỉnh lịch làm việc.")
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.calendar_override_add(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Đã thêm điều chỉnh ngày {form.cleaned_data['date']:%d/%m/%Y}.")
    else:
        messages.error(
            request, "Không thêm được: " + "; ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect("calendar")


@login_required
@require_POST
def calendar_override_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "core.delete_calendaroverride", "Bạn không có quyền xóa điều chỉnh lịch.")
    override = get_object_or_404(CalendarOverride, pk=pk)
    services.calendar_override_remove(day=override.date)
    messages.success(request, f"Đã xóa điều chỉnh ngày {override.date:%d/%m/%Y}.")
    return redirect("calendar")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if isinstance(exception, PermissionDenied) and str(exception) else ""
    if _is_api(request):
        return JsonResponse({"detail": message or "Không có quyền."}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):  # API clients get JSON even for paths no route matches
        return JsonResponse({"detail": "Không tìm thấy đường dẫn API này."}, status=404)
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Lỗi hệ thống; thao tác chưa được thực hiện."}, status=500)
    return render(request, "500.html", status=500)


def now_local() -> datetime:
    return timezone.localtime()


class PasswordChange(auth_views.PasswordChangeView):
    """Staff change their own password (linked from the header); the session stays
    open, other sessions of the account end (Django rotates the session hash)."""

    def get_success_url(self) -> str:
        return reverse("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The hash is never logged (User.audit_exclude); the change itself is.
        audit.record(form.user, AuditLog.Action.UPDATE, {"password": "đổi bởi chính người dùng"})
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response
