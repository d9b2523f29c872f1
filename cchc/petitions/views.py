"""Pages for petitions: public (no log-in: submit, follow up, rate, published
answers) and staff (list, intake of letters and calls, detail with actions,
attachments, figures). Views parse, call one service, render or redirect."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.core import audit
from cchc.core.exports import xlsx
from cchc.core.figures import Scope, evaluate
from cchc.core.forms import add_service_errors
from cchc.core.permissions import require_perm
from cchc.core.text import filter_by_search
from cchc.core.uploads import attachment
from cchc.core.workflow import Conflict
from cchc.org.models import Unit

from . import figures as PF
from . import ratelimit, services
from .forms import (
    ActionForm,
    FollowUpForm,
    PetitionForm,
    PublicSearchForm,
    RatingForm,
    StaffFilterForm,
    StatsForm,
)
from .models import OPEN_STATUSES, Channel, Petition, PetitionAttachment, Status

SUBMITTED_KEY = "petition_submitted"
FOLLOWED_KEY = "petition_followed"


# --- public ------------------------------------------------------------------------
def _public_commune(slug: str) -> Unit:
    return get_object_or_404(Unit.objects.communes(), slug=slug, is_active=True)


def public_index(request: HttpRequest) -> HttpResponse:
    """The public entry point; a one-commune deployment goes straight to its form."""
    communes = list(Unit.objects.communes().filter(is_active=True).order_by("name"))
    if len(communes) == 1:
        return redirect("petitions:public_submit", communes[0].slug)
    return render(request, "petitions/public_index.html", {"communes": communes})


def public_submit(request: HttpRequest, slug: str) -> HttpResponse:
    commune = _public_commune(slug)
    status = 200
    if request.method == "POST":
        form = PetitionForm(request.POST, request.FILES, commune=commune)
        if ratelimit.submit_limited(request):
            form.is_valid()
            form.add_error(
                None,
                "Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. Vui lòng thử lại sau "
                f"{settings.PETITION_SUBMIT_WINDOW_SECONDS // 60} phút hoặc liên hệ trực tiếp UBND xã.",
            )
            status = 429
        elif form.is_valid():
            try:
                petition = services.petition_submit(commune=commune, **form.submission())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                ratelimit.count_submission(request)
                request.session[SUBMITTED_KEY] = {"code": petition.code, "factor": petition.follow_factor}
                return redirect("petitions:public_done", commune.slug)
        elif form.has_error("website"):
            ratelimit.count_submission(request)  # robots use up their own budget
    else:
        form = PetitionForm(commune=commune)
    return render(request, "petitions/public_submit.html", {"commune": commune, "form": form}, status=status)


def public_done(request: HttpRequest, slug: str) -> HttpResponse:
    commune = _public_commune(slug)
    submitted = request.session.get(SUBMITTED_KEY)
    if not submitted:
        return redirect("petitions:public_submit", commune.slug)
    return render(request, "petitions/public_done.html", {"commune": commune, "submitted": submitted})


def public_follow(request: HttpRequest) -> HttpResponse:
    """Follow a petition by code and the last 4 digits of the phone. Wrong code and
    wrong factor give the same message; every try counts against the rate limit."""
    status = 200
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if not ratelimit.lookup_allowed(request):
            form.is_valid()
            form.add_error(None, "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")
            status = 429
        elif form.is_valid():
            petition = services.petition_find_for_follow_up(
                code=form.cleaned_data["code"], factor=form.cleaned_data["factor"]
            )
            if petition is not None:
                followed = [c for c in request.session.get(FOLLOWED_KEY, []) if c != petition.code]
                request.session[FOLLOWED_KEY] = [*followed, petition.code][-10:]
                return redirect("petitions:public_status", petition.code)
            form.add_error(
                None, "Không tìm thấy phản ánh với mã và 4 số điện thoại đã nhập. Vui lòng kiểm tra lại."
            )
    else:
        form = FollowUpForm(initial={"code": request.GET.get("ma", "")[:20]})
    return render(request, "petitions/public_follow.html", {"form": form}, status=status)


def _followed(request: HttpRequest, code: str) -> Petition | None:
    if code not in request.session.get(FOLLOWED_KEY, []):
        return None
    return Petition.objects.select_related("commune", "procedure").filter(code=code).first()


def public_status(request: HttpRequest, code: str) -> HttpResponse:
    petition = _followed(request, code)
    if petition is None:
        return redirect(f"{reverse('petitions:public_follow')}?ma={code[:20]}")
    rating = getattr(petition, "rating", None)
    return render(
        request,
        "petitions/public_status.html",
        {
            "commune": petition.commune,
            "petition": petition,
            "rating": rating,
            "rating_form": RatingForm() if petition.is_final and rating is None else None,
        },
    )


@require_POST
def public_rate(request: HttpRequest, code: str) -> HttpResponse:
    petition = _followed(request, code)
    if petition is None:
        return redirect(f"{reverse('petitions:public_follow')}?ma={code[:20]}")
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.petition_rate(
                petition=petition,
                satisfied=form.cleaned_data["satisfied"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Cảm ơn bạn đã đánh giá việc xử lý phản ánh, kiến nghị.")
        return redirect("petitions:public_status", petition.code)
    return render(
        request,
        "petitions/public_status.html",
        {"commune": petition.commune, "petition": petition, "rating": None, "rating_form": form},
        status=400,
    )


def public_answers(request: HttpRequest, slug: str) -> HttpResponse:
    commune = _public_commune(slug)
    form = PublicSearchForm(request.GET or None)
    qs = Petition.objects.published().filter(commune=commune).order_by("-published_at", "-id")
    if form.is_valid() and form.cleaned_data["q"]:
        qs = filter_by_search(qs, form.cleaned_data["q"])
    # Only public columns are read: the petitioner's data never reaches the template.
    qs = qs.only("pk", "public_title", "public_summary", "published_at", "commune_id")
    page = Paginator(qs, 10).get_page(request.GET.get("page"))
    return render(request, "petitions/public_answers.html", {"commune": commune, "form": form, "page": page})


def public_answer_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    commune = _public_commune(slug)
    petition = get_object_or_404(
        Petition.objects.published()
        .filter(commune=commune)
        .only("pk", "public_title", "public_summary", "public_answer", "published_at", "commune_id"),
        pk=pk,
    )
    return render(request, "petitions/public_answer.html", {"commune": commune, "petition": petition})


# --- staff ---------------------------------------------------------------------------
def _visible(user, code: str) -> Petition:
    petition = (
        Petition.objects.visible_to(user)
        .select_related("commune", "procedure", "department", "answered_by", "approved_by", "received_by")
        .filter(code=code)
        .first()
    )
    if petition is None:
        raise Http404("Không tìm thấy phản ánh.")
    return petition


def _staff_can_view(user) -> None:
    require_perm(user, "petitions.view_petition", "Bạn không có quyền xem phản ánh, kiến nghị.")


def filtered_petitions(user, form: StaffFilterForm, today: date):
    qs = Petition.objects.visible_to(user).select_related("commune", "department")
    if not form.is_valid():
        return qs
    data = form.cleaned_data
    if data["q"]:
        qs = filter_by_search(qs, data["q"], field="staff_search_key")
    if data["status"] == "open":
        qs = qs.filter(status__in=[*OPEN_STATUSES, Status.INFO_REQUESTED])
    elif data["status"]:
        qs = qs.filter(status=data["status"])
    if data["due"] == "overdue":
        qs = qs.overdue(today).order_by("due_date", "id")
    elif data["due"] == "soon":
        qs = qs.due_soon(today, services.due_soon_until(today)).order_by("due_date", "id")
    if data["department"]:
        qs = qs.filter(department=data["department"])
    return qs


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    _staff_can_view(request.user)
    today = timezone.localdate()
    form = StaffFilterForm(request.GET or None, user=request.user)
    qs = filtered_petitions(request.user, form, today)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "today": today,
        "can_log": request.user.has_perm("petitions.classify_petition") and request.user.home_commune,
        "multi_commune": len(request.user.commune_ids()) > 1,
    }
    template = "petitions/_list_table.html" if request.headers.get("HX-Request") else "petitions/list.html"
    return render(request, template, context)


@login_required
def staff_log(request: HttpRequest) -> HttpResponse:
    """Log a letter or a phone call received by the commune."""
    require_perm(request.user, "petitions.classify_petition", "Bạn không có quyền ghi nhận phản ánh.")
    commune = request.user.home_commune
    if commune is None:
        raise PermissionDenied("Chỉ cán bộ của một xã mới ghi nhận phản ánh cho xã đó.")
    if request.method == "POST":
        form = PetitionForm(request.POST, request.FILES, commune=commune, staff=True)
        if form.is_valid():
            try:
                petition = services.petition_submit(
                    commune=commune, received_by=request.user, **form.submission()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Đã ghi nhận phản ánh {petition.code}. Báo cho người gửi mã này và dùng 4 số cuối điện thoại "
                    f"({petition.follow_factor}) để theo dõi.",
                )
                return redirect("petitions:detail", petition.code)
    else:
        form = PetitionForm(
            commune=commune,
            staff=True,
            initial={
                "received_at": timezone.localtime().replace(second=0, microsecond=0),
                "channel": Channel.LETTER,
            },
        )
    return render(request, "petitions/log.html", {"form": form, "commune": commune})


@login_required
def staff_detail(request: HttpRequest, code: str) -> HttpResponse:
    _staff_can_view(request.user)
    petition = _visible(request.user, code)
    # Personal data shown to staff: recorded (NĐ 13/2023).
    audit.record(petition, "view", {"page": "detail"})
    return _render_detail(request, petition, ActionForm(petition=petition))


def _render_detail(
    request: HttpRequest, petition: Petition, form: ActionForm, status: int = 200
) -> HttpResponse:
    actions = services.available_actions(request.user, petition)
    today = timezone.localdate()
    return render(
        request,
        "petitions/detail.html",
        {
            "petition": petition,
            "events": petition.events.select_related("actor"),
            "attachments": petition.attachments.all(),
            "actions": {m.action: m for m in actions},
            "form": form,
            "departments": form.fields["department"].queryset,
            "overdue": petition.is_overdue(today),
            "rating": getattr(petition, "rating", None),
            "failed_action": form.data.get("action") if form.is_bound else "",
        },
        status=status,
    )


@login_required
@require_POST
def staff_act(request: HttpRequest, code: str) -> HttpResponse:
    _staff_can_view(request.user)
    petition = _visible(request.user, code)
    form = ActionForm(request.POST, petition=petition)
    if not form.is_valid():
        return _render_detail(request, petition, form, status=400)
    data = form.cleaned_data
    try:
        petition = services.petition_act(
            petition=petition,
            user=request.user,
            action=data["action"],
            note=data["note"],
            reason=data["reason"],
            department=data["department"],
            answer=data["answer"],
            public_title=data["public_title"],
            public_summary=data["public_summary"],
            public_answer=data["public_answer"],
        )
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("petitions:detail", petition.code)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_detail(request, petition, form, status=400)
    label = services.ACTION_LABELS.get(data["action"], data["action"])
    messages.success(request, f"Đã thực hiện: {label}. Trạng thái: {petition.get_status_display()}.")
    return redirect("petitions:detail", petition.code)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments are never served as static files: only staff who may see the
    petition download them, and each download is recorded."""
    _staff_can_view(request.user)
    attachment = get_object_or_404(PetitionAttachment.objects.select_related("petition"), pk=pk)
    if not Petition.objects.visible_to(request.user).filter(pk=attachment.petition_id).exists():
        raise Http404("Không tìm thấy tệp.")
    audit.record(attachment.petition, "view", {"attachment": attachment.original_name})
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp không còn trên máy chủ.") from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


@login_required
def staff_stats(request: HttpRequest) -> HttpResponse:
    _staff_can_view(request.user)
    form = StatsForm(request.GET or None)
    period = form.chosen_period()
    scope = Scope.of(
        commune_ids=request.user.commune_ids(), date_from=period.date_from, date_to=period.date_to
    )
    values = evaluate(PF.ALL, scope)
    if request.GET.get("format") == "xlsx":
        rows = [[f.label, float(v) if isinstance(v, Decimal) else v, f.definition] for f, v in values.items()]
        body = xlsx(
            "Phản ánh, kiến nghị",
            ["Số liệu", "Giá trị", "Cách tính"],
            rows,
            subtitle=f"Phản ánh tiếp nhận trong kỳ: {period.label}"
            + ("" if period.is_range else f", {period.window_text}"),
            landscape=False,
        )
        return attachment(body, f"phan-anh-kien-nghi-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.xlsx")
    return render(
        request,
        "petitions/stats.html",
        {"form": form, "period": period, "values": values, "PF": PF, "query": request.GET.urlencode()},
    )
