"""Pages of the satisfaction app.

Public (no log-in): the rating form reached by a signed link (`/danh-gia/r/<token>/`,
from the look-up page or the QR code printed with the result). Staff: the counter
kiosk, the statistics, the list of ratings and the follow-ups of "not satisfied"
ratings. Every change goes through `services`.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cchc.core.exports import xlsx_tables
from cchc.core.figures import Scope, evaluate, evaluate_series
from cchc.core.forms import add_service_errors
from cchc.core.periods import containing, month_windows
from cchc.core.permissions import check_commune, require_perm
from cchc.core.ratelimit import rate_limit
from cchc.core.uploads import attachment
from cchc.dossiers import figures as DF
from cchc.dossiers.access import dossier_for
from cchc.dossiers.documents import form_docx
from cchc.dossiers.models import Dossier

from . import figures as SF
from . import services
from .documents import build_rating_slip
from .forms import FollowUpCloseForm, KioskOpenForm, RatingForm, StatsFilterForm
from .models import FACTORS, FollowUp, Rating, RatingChannel

KIOSK_RETURN_SECONDS = 8
RATE_LIMITED = "Quý khách đã gửi quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau ít phút."


# --- rating (public and kiosk share the form handling) --------------------------------
def _rating_form_response(
    request: HttpRequest, *, dossier: Dossier, channel: str, template: str, done_url: str, limit: bool
) -> HttpResponse:
    """GET: the questionnaire (or why it cannot be shown); POST: validate, store, redirect."""
    context = {"dossier": dossier, "commune": dossier.commune, "factors": FACTORS}
    existing = Rating.objects.filter(dossier_id=dossier.pk).first()
    if existing is not None:
        return render(request, template, {**context, "already": existing}, status=200)
    if not dossier.is_finished:
        return render(request, template, {**context, "not_finished": True})
    # Invalid answers are shown again with the messages (HTTP 200, as Django forms
    # do); 409 and 429 are kept for "already rated" and "too many tries".
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        if limit and not rate_limit(
            request,
            "rating",
            limit=settings.RATING_SUBMIT_LIMIT,
            window=settings.RATING_SUBMIT_WINDOW_SECONDS,
        ):
            form.is_valid()
            form.add_error(None, RATE_LIMITED)
            return render(request, template, {**context, "form": form}, status=429)
        if form.is_valid():
            try:
                services.rating_submit(
                    dossier=dossier,
                    channel=channel,
                    scores=form.scores(),
                    satisfied=form.is_satisfied(),
                    comment=form.cleaned_data["comment"],
                )
            except services.AlreadyRated as exc:
                existing = Rating.objects.filter(dossier_id=dossier.pk).first()
                return render(
                    request, template, {**context, "already": existing, "refused": str(exc)}, status=409
                )
            except ValidationError as exc:
                add_service_errors(form, exc, field_for=_form_field)
            else:
                return redirect(done_url)
    return render(request, template, {**context, "form": form})


def _form_field(name: str) -> str:
    """The service names the factors; the form's fields are `score_<factor>`."""
    return f"score_{name}" if name in FACTORS else name


def _from_token(token: str, channels: tuple[str, ...]) -> tuple[Dossier, str]:
    found = services.dossier_from_token(token)
    if found is None or found[1] not in channels:
        raise Http404("Đường dẫn đánh giá không hợp lệ.")
    return found


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """Public rating form, reached from the look-up page or the QR code."""
    found = services.dossier_from_token(token)
    if found is None or found[1] == RatingChannel.KIOSK:
        return render(request, "satisfaction/rate_invalid.html", status=404)
    dossier, channel = found
    return _rating_form_response(
        request,
        dossier=dossier,
        channel=channel,
        template="satisfaction/rate.html",
        done_url=reverse("satisfaction:rate_thanks", args=[token]),
        limit=True,
    )


@never_cache
def rate_thanks(request: HttpRequest, token: str) -> HttpResponse:
    found = services.dossier_from_token(token)
    if found is None or found[1] == RatingChannel.KIOSK:
        return render(request, "satisfaction/rate_invalid.html", status=404)
    dossier = found[0]
    return render(request, "satisfaction/rate_thanks.html", {"dossier": dossier, "commune": dossier.commune})


# --- counter kiosk ----------------------------------------------------------------------
def _kiosk_user(request: HttpRequest) -> None:
    require_perm(
        request.user, "satisfaction.open_kiosk", "Chỉ công chức Bộ phận Một cửa được mở màn hình đánh giá."
    )


@login_required
@never_cache
def kiosk(request: HttpRequest) -> HttpResponse:
    """The neutral screen of the tablet at the desk. The officer types (or scans) the
    code of the dossier just handed over; the questionnaire then opens full-screen."""
    _kiosk_user(request)
    form = KioskOpenForm(request.GET if "ma" in request.GET else None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["ma"].strip()
        dossier = (
            Dossier.objects.filter(code__in={code, code.upper()}, commune_id__in=request.user.commune_ids())
            .select_related("commune")
            .first()
        )
        if dossier is None:
            form.add_error("ma", "Không tìm thấy hồ sơ có mã này trong xã.")
        elif not request.user.can_write_commune(dossier.commune_id):
            form.add_error("ma", "Bạn chỉ mở màn hình đánh giá cho hồ sơ của xã mình.")
        elif Rating.objects.filter(dossier_id=dossier.pk).exists():
            form.add_error("ma", f"Hồ sơ {dossier.code} đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.")
        elif not dossier.is_finished:
            form.add_error("ma", f"Hồ sơ {dossier.code} chưa giải quyết xong, chưa thể đánh giá.")
        else:
            return redirect(services.rating_path(dossier, RatingChannel.KIOSK))
    return render(request, "satisfaction/kiosk_home.html", {"form": form})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_rate(request: HttpRequest, token: str) -> HttpResponse:
    _kiosk_user(request)
    dossier, channel = _from_token(token, (RatingChannel.KIOSK,))
    check_commune(request.user, dossier.commune_id, write=True)
    return _rating_form_response(
        request,
        dossier=dossier,
        channel=channel,
        template="satisfaction/kiosk_rate.html",
        done_url=reverse("satisfaction:kiosk_thanks"),
        limit=False,  # staff session at the desk; the public limit would block a busy counter
    )


@login_required
@never_cache
def kiosk_thanks(request: HttpRequest) -> HttpResponse:
    _kiosk_user(request)
    return render(request, "satisfaction/kiosk_thanks.html", {"return_seconds": KIOSK_RETURN_SECONDS})


@login_required
def rating_qr(request: HttpRequest, code: str) -> HttpResponse:
    """The QR code (SVG) of a dossier's rating link, to print with the result."""
    dossier = Dossier.objects.filter(code=code, commune_id__in=request.user.commune_ids()).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return HttpResponse(services.rating_qr_svg(dossier), content_type="image/svg+xml")


# --- statistics and lists (staff) --------------------------------------------------------
@login_required
def stats(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "satisfaction.view_rating_stats", "Bạn không có quyền xem thống kê đánh giá.")
    form = StatsFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    period = form.chosen_period()
    scope = _scope(filters)
    officer = filters.get("officer") is not None
    summary_figures = SF.BY_OFFICER if officer else (*SF.STATISTICS, DF.FINISHED, DF.FINISHED_LATE)
    summary = evaluate([*summary_figures, *SF.FACTOR_MEANS], scope)
    by = {
        key: services.satisfaction_breakdown(**filters, by=key, limit=50)
        for key in ("department", "officer", "procedure")
    }
    months = month_windows(period)
    series = evaluate_series(SF.BY_OFFICER, scope, [(a, b) for _, a, b in months])
    month_rows = [(label, a, b, row) for (label, a, b), row in zip(months, series, strict=True)]
    if request.GET.get("format") == "xlsx":
        return _stats_xlsx(period, summary, by, month_rows, officer)
    chart = {
        "labels": [label for label, _, _ in months],
        "rated": [row[SF.RATED] for row in series],
        "rate": [float(row[SF.RATE]) if row[SF.RATE] is not None else None for row in series],
    }
    return render(
        request,
        "satisfaction/stats.html",
        {
            "form": form,
            "period": period,
            "filters": filters,
            "officer_filter": officer,
            "summary": summary,
            "SF": SF,
            "DF": DF,
            "factor_rows": [(f.label.removeprefix("Điểm trung bình: "), summary[f]) for f in SF.FACTOR_MEANS],
            "by": by,
            "months": month_rows,
            "chart": chart,
            "query": request.GET.urlencode(),
        },
    )


def _scope(filters: dict) -> Scope:
    def pk(value):
        return getattr(value, "pk", value)

    return Scope.of(
        commune_ids=filters["commune_ids"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        department=pk(filters.get("department")),
        procedure=pk(filters.get("procedure")),
        officer=pk(filters.get("officer")),
    )


def _stats_xlsx(period, summary: dict, by: dict, months: list, officer: bool) -> HttpResponse:
    """The statistics page as a spreadsheet, for the periodic reports."""
    head = ["", "Số phiếu", "Hài lòng", "Tỉ lệ hài lòng (%)"]

    def line(name, row):
        return [name, row["rated"], row["satisfied"], row["satisfaction_rate"]]

    def cell(value):
        return float(value) if isinstance(value, Decimal) else value

    tables = [
        (
            "Tổng hợp",
            ["Số liệu", "Giá trị", "Cách tính"],
            [[f.label, cell(v), f.definition] for f, v in summary.items() if f not in SF.FACTOR_MEANS],
        ),
        (
            "Điểm trung bình từng yếu tố (1–5)",
            ["Yếu tố", "Điểm"],
            [[f.label.removeprefix("Điểm trung bình: "), cell(summary[f])] for f in SF.FACTOR_MEANS],
        ),
        (
            "Theo tháng (kỳ số liệu tháng: từ ngày 15 tháng trước đến ngày 14)",
            ["Tháng", "Từ ngày", "Đến ngày", "Số phiếu", "Hài lòng", "Tỉ lệ hài lòng (%)"],
            [
                [label, f"{a:%d/%m/%Y}", f"{b:%d/%m/%Y}", *[cell(row[f]) for f in SF.BY_OFFICER]]
                for label, a, b, row in months
            ],
        ),
    ]
    for key, caption in (
        ("department", "Theo bộ phận"),
        ("officer", "Theo công chức"),
        ("procedure", "Theo thủ tục"),
    ):
        tables.append(
            (caption, [services.BREAKDOWNS[key][2], *head[1:]], [line(r["name"], r) for r in by[key]])
        )
    body = xlsx_tables(
        "Đánh giá sự hài lòng",
        tables,
        subtitle=period.label if period.is_range else f"{period.label}: {period.window_text}",
        landscape=False,
    )
    return attachment(body, f"danh-gia-hai-long-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.xlsx")


@login_required
def rating_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "satisfaction.view_rating", "Bạn không có quyền xem các phiếu đánh giá.")
    form = StatsFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    qs = services.filtered_ratings(**filters).select_related("dossier", "procedure", "department", "officer")
    verdict = request.GET.get("hai_long")
    if verdict in ("1", "0"):
        qs = qs.filter(satisfied=verdict == "1")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "satisfaction/rating_list.html", {"form": form, "page": page, "verdict": verdict})


@login_required
def followup_list(request: HttpRequest) -> HttpResponse:
    require_perm(
        request.user, "satisfaction.view_followup", "Bạn không có quyền xem phản hồi không hài lòng."
    )
    status = request.GET.get("trang_thai", FollowUp.Status.OPEN)
    qs = FollowUp.objects.filter(commune_id__in=request.user.commune_ids()).select_related(
        "rating__dossier", "rating__procedure", "rating__department", "rating__officer", "assignee"
    )
    if status in FollowUp.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "satisfaction/followup_list.html",
        {"page": page, "status": status, "statuses": FollowUp.Status.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(
        request.user, "satisfaction.view_followup", "Bạn không có quyền xem phản hồi không hài lòng."
    )
    follow_up = get_object_or_404(
        FollowUp.objects.select_related(
            "rating__dossier", "rating__procedure", "rating__officer", "closed_by"
        ),
        pk=pk,
        commune_id__in=request.user.commune_ids(),
    )
    can_close = (
        follow_up.status == FollowUp.Status.OPEN
        and request.user.has_perm("satisfaction.close_followup")
        and request.user.can_write_commune(follow_up.commune_id)
    )
    form = FollowUpCloseForm(request.POST or None) if can_close else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(
                "Phản hồi đã xử lý xong, hoặc bạn không có quyền xử lý (chỉ Bộ phận Một cửa và lãnh đạo)."
            )
        if form.is_valid():
            try:
                services.followup_close(
                    follow_up=follow_up, user=request.user, resolution=form.cleaned_data["resolution"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Đã ghi kết quả xử lý phản hồi.")
                return redirect("satisfaction:followup_detail", pk=follow_up.pk)
    return render(
        request,
        "satisfaction/followup_detail.html",
        {"f": follow_up, "rating": follow_up.rating, "form": form, "dossier_url": _dossier_url(follow_up)},
    )


def _dossier_url(follow_up: FollowUp) -> str:
    try:
        return reverse("dossiers:detail", args=[follow_up.rating.dossier.code])
    except NoReverseMatch:
        return ""


def home_panel_context(user) -> dict:
    today = timezone.localdate()
    period = containing(today)  # the reporting month: 15th of the previous month → 14th
    scope = Scope.of(commune_ids=user.commune_ids(), date_from=period.date_from, date_to=period.date_to)
    month = evaluate([SF.RATED, SF.RATE, SF.PROCEDURE_766], scope)
    open_follow_ups = (
        FollowUp.objects.open().filter(commune_id__in=user.commune_ids()).count()
        if user.has_perm("satisfaction.view_followup")
        else None
    )
    return {
        "period": period,
        "figures": [(f, month[f]) for f in (SF.RATED, SF.RATE, SF.PROCEDURE_766)],
        "rate": month[SF.RATE],
        "open_follow_ups": open_follow_ups,
        "today": today,
    }


# --- on the dossier page (registered in apps.py through cchc.dossiers.hooks) ------------
def kiosk_url(user, dossier: Dossier) -> str:
    """The counter kiosk opened on this dossier, for officers allowed to open it,
    while the dossier has no rating yet."""
    if not user.has_perm("satisfaction.open_kiosk"):
        return ""
    if Rating.objects.filter(dossier_id=dossier.pk).exists():
        return ""
    return f"{reverse('satisfaction:kiosk')}?{urlencode({'ma': dossier.code})}"


def dossier_slip_part(user, dossier: Dossier) -> dict | None:
    """The slip buttons (and the kiosk link) on the page of a finished dossier."""
    if not dossier.is_finished:
        return None
    return {"kiosk_url": kiosk_url(user, dossier)}


def rating_offer(user, dossier: Dossier) -> str:
    """The message shown right after the result is handed over."""
    slip = reverse("rating_slip:print", args=[dossier.code])
    kiosk = kiosk_url(user, dossier)
    if kiosk:
        return format_html(
            'Mời người nộp đánh giá sự hài lòng: <a href="{}" target="_blank" rel="noopener">in phiếu mời '
            'đánh giá (mã QR)</a> hoặc <a href="{}">mở màn hình đánh giá tại quầy</a>.',
            slip,
            kiosk,
        )
    return format_html(
        'Mời người nộp đánh giá sự hài lòng: <a href="{}" target="_blank" rel="noopener">in phiếu mời '
        "đánh giá (mã QR)</a>.",
        slip,
    )


@login_required
def rating_slip(request: HttpRequest, code: str) -> HttpResponse:
    """The A5 "phiếu mời đánh giá" handed over with the result (no personal data on it)."""
    dossier = dossier_for(request.user, code)
    doc = build_rating_slip(dossier)
    return render(request, "dossiers/form_print.html", {"doc": doc, "d": dossier})


@login_required
def rating_slip_docx(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for(request.user, code)
    doc = build_rating_slip(dossier)
    return attachment(form_docx(doc), doc.filename)
