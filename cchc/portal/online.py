"""Public pages of the online one-stop shop (docs/online.md): submitting a dossier
online from the commune page, and the follow-up link (after the code + phone
check of the look-up) to answer a supplement request, withdraw, or download the
electronic result. No log-in, no JavaScript needed (the CSP forbids inline
scripts); every page works on a phone.

The follow-up actions need the dossier's code in the session, put there only by a
successful look-up (`FOLLOWED_KEY`); without it they send the citizen to the
look-up form. Nothing here shows personal data beyond the masked name.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cchc.core import audit, ratelimit
from cchc.core.forms import add_service_errors, service_error_messages
from cchc.core.workflow import Conflict
from cchc.dossiers import online
from cchc.dossiers.messaging import sms_status
from cchc.dossiers.models import Dossier, Status
from cchc.dossiers.services import Applicant
from cchc.org.models import Unit
from cchc.procedures.models import OnlineLevel
from cchc.procedures.selectors import catalogue_fields, search_procedures

from . import services
from .forms import CatalogueFilterForm, LookupForm, OnlineSubmitForm, SupplementUploadForm, WithdrawForm

SUBMITTED_KEY = "online_submitted"
FOLLOWED_KEY = "dossier_followed"
ONLINE_SOURCE = "public:online"
SUBMIT_SCOPE = "online-submit"
ACTION_SCOPE = "online-follow"


def _commune(slug: str) -> Unit:
    unit = Unit.objects.communes().filter(slug=slug, is_active=True).first()
    if unit is None:
        raise Http404("Không tìm thấy xã.")
    return unit


def remember_followed(request: HttpRequest, code: str) -> None:
    """After a successful look-up: this browser may act on the dossier for the session."""
    followed = [c for c in request.session.get(FOLLOWED_KEY, []) if c != code]
    request.session[FOLLOWED_KEY] = [*followed, code][-10:]


def _followed(request: HttpRequest, code: str) -> Dossier | None:
    if code not in request.session.get(FOLLOWED_KEY, []):
        return None
    return Dossier.objects.select_related("commune", "procedure", "department").filter(code=code).first()


def _to_lookup(code: str) -> HttpResponse:
    return redirect(f"{reverse('portal:lookup')}?ma={code[:60]}")


# --- submitting ------------------------------------------------------------------------
def online_index(request: HttpRequest, slug: str) -> HttpResponse:
    """The procedures of the commune a citizen may submit online."""
    commune = _commune(slug)
    qs = online.online_procedures(commune)
    form = CatalogueFilterForm(request.GET or None, fields=catalogue_fields(qs))
    if form.is_bound and form.is_valid():
        if form.cleaned_data["field"]:
            qs = qs.filter(field=form.cleaned_data["field"])
        qs = search_procedures(qs, form.cleaned_data["q"])
    return render(
        request,
        "portal/online_index.html",
        {"commune": commune, "form": form, "procedures": list(qs[:200]), "full": OnlineLevel.FULL},
    )


def _procedure(commune, pk: int):
    procedure = online.online_procedures(commune).filter(pk=pk).first()
    if procedure is None:
        raise Http404("Thủ tục không nhận hồ sơ trực tuyến.")
    return procedure


def _case(request: HttpRequest) -> int | None:
    raw = request.POST.get("truong_hop") if request.method == "POST" else request.GET.get("truong_hop")
    return int(raw) if raw and raw.isdigit() else None


@never_cache
@require_http_methods(["GET", "POST"])
def online_submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The submission form of one procedure: the applicant, one file per checklist
    line (general lines + the case chosen by a link, no JavaScript), where to get
    the result, a declaration."""
    commune = _commune(slug)
    procedure = _procedure(commune, pk)
    items = online.checklist(procedure, _case(request))
    full = procedure.online_level == OnlineLevel.FULL
    status = 200
    if request.method == "POST":
        form = OnlineSubmitForm(request.POST, request.FILES, checklist=items, full_online=full)
        limited = ratelimit.is_limited(
            request,
            SUBMIT_SCOPE,
            limit=settings.ONLINE_SUBMIT_LIMIT,
            window=settings.ONLINE_SUBMIT_WINDOW_SECONDS,
        )
        if limited:
            form.is_valid()
            form.add_error(
                None,
                "Quý khách đã nộp quá nhiều hồ sơ trong thời gian ngắn. Vui lòng thử lại sau hoặc đến "
                f"{commune.one_stop_label} để được hướng dẫn.",
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                with audit.acting_as(None, ONLINE_SOURCE):
                    dossier = online.dossier_submit_public(
                        procedure=procedure,
                        applicant=Applicant(
                            name=data["applicant_name"],
                            id_number=data["applicant_id_number"],
                            phone=data["applicant_phone"],
                            address=data["applicant_address"],
                            email=data["applicant_email"],
                        ),
                        files=form.files_by_line(),
                        case=items.case,
                        request=data["request"],
                        result_delivery=data["result_delivery"],
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                ratelimit.rate_limit(
                    request,
                    SUBMIT_SCOPE,
                    limit=settings.ONLINE_SUBMIT_LIMIT,
                    window=settings.ONLINE_SUBMIT_WINDOW_SECONDS,
                )
                remember_followed(request, dossier.code)
                request.session[SUBMITTED_KEY] = dossier.code
                return redirect("portal:online_done", commune.slug)
        else:
            if form.has_error("website"):  # robots use up their own budget
                ratelimit.rate_limit(
                    request,
                    SUBMIT_SCOPE,
                    limit=settings.ONLINE_SUBMIT_LIMIT,
                    window=settings.ONLINE_SUBMIT_WINDOW_SECONDS,
                )
    else:
        form = OnlineSubmitForm(checklist=items, full_online=full)
    return render(
        request,
        "portal/online_submit.html",
        {
            "commune": commune,
            "procedure": procedure,
            "items": items,
            "form": form,
            "full": full,
            "cases": list(enumerate(items.cases, start=1)),
        },
        status=status,
    )


@never_cache
def online_done(request: HttpRequest, slug: str) -> HttpResponse:
    """The code and the follow-up link, once, right after submitting."""
    commune = _commune(slug)
    code = request.session.get(SUBMITTED_KEY)
    dossier = (
        Dossier.objects.select_related("procedure").filter(code=code, commune=commune).first()
        if code
        else None
    )
    if dossier is None:
        return redirect("portal:online_index", commune.slug)
    follow_url = f"{settings.PUBLIC_BASE_URL}{reverse('portal:lookup')}?ma={dossier.code}"
    return render(
        request,
        "portal/online_done.html",
        {
            "commune": commune,
            "code": dossier.code,
            "procedure": dossier.procedure,
            "files": dossier.files.count(),
            "follow_url": follow_url,
            "sms": sms_status(),
            "email_given": bool(dossier.applicant_email),
        },
    )


# --- the follow-up link -----------------------------------------------------------------
def follow_context(dossier: Dossier) -> dict:
    """What the follow-up part of the look-up page offers for this dossier."""
    request = dossier.open_supplement_request()
    result = online.result_for_applicant(dossier)
    return {
        "code": dossier.code,
        "supplement": request,
        "supplement_form": SupplementUploadForm() if request else None,
        "can_withdraw": dossier.status
        in (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.AWAITING_PAYMENT),
        "withdraw_form": WithdrawForm(),
        "result": result,
        "own_files": list(
            dossier.files.filter(kind="input").only("label", "source", "uploaded_at").order_by("id")
        ),
    }


@never_cache
def follow(request: HttpRequest, code: str) -> HttpResponse:
    """The look-up page of a dossier this browser has checked (code + phone)."""
    dossier = _followed(request, code)
    if dossier is None:
        return _to_lookup(code)
    with audit.acting_as(None, services.LOOKUP_SOURCE):
        audit.record(dossier, "view", {"purpose": "theo dõi hồ sơ trực tuyến (đã kiểm tra mã + điện thoại)"})
    return render(
        request,
        "portal/lookup.html",
        {
            "form": LookupForm(initial={"ma": dossier.code}),
            "d": services.public_view(dossier),
            "commune": dossier.commune,
            "follow": follow_context(dossier),
        },
    )


def _action_allowed(request: HttpRequest) -> bool:
    return ratelimit.rate_limit(
        request,
        ACTION_SCOPE,
        limit=settings.DOSSIER_LOOKUP_LIMIT,
        window=settings.DOSSIER_LOOKUP_WINDOW_SECONDS,
    )


@require_POST
def follow_supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _followed(request, code)
    if dossier is None:
        return _to_lookup(code)
    if not _action_allowed(request):
        messages.error(request, "Quý khách thao tác quá nhiều lần. Vui lòng chờ một phút rồi thử lại.")
        return redirect("portal:follow", code)
    form = SupplementUploadForm(request.POST, request.FILES)
    form.is_valid()
    try:
        with audit.acting_as(None, ONLINE_SOURCE):
            online.supplement_submit_public(
                dossier=dossier, files=request.FILES.getlist("files"), note=form.cleaned_data.get("note", "")
            )
    except (ValidationError, Conflict) as exc:
        messages.error(request, " ".join(service_error_messages(exc)))
    else:
        messages.success(request, "Đã nhận giấy tờ bổ sung; hồ sơ tiếp tục được giải quyết.")
    return redirect("portal:follow", code)


@require_POST
def follow_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _followed(request, code)
    if dossier is None:
        return _to_lookup(code)
    if not _action_allowed(request):
        messages.error(request, "Quý khách thao tác quá nhiều lần. Vui lòng chờ một phút rồi thử lại.")
        return redirect("portal:follow", code)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        with audit.acting_as(None, ONLINE_SOURCE):
            online.withdraw_public(dossier=dossier, reason=reason)
    except (ValidationError, Conflict) as exc:
        messages.error(request, " ".join(service_error_messages(exc)))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã rút hồ sơ theo yêu cầu của quý khách.")
    return redirect("portal:follow", code)


def follow_result(request: HttpRequest, code: str) -> FileResponse | HttpResponse:
    """The electronic result, for a dossier this browser has checked; audited. The
    first download of a processed dossier is its return (docs/online.md §5)."""
    dossier = _followed(request, code)
    if dossier is None:
        return _to_lookup(code)
    with audit.acting_as(None, ONLINE_SOURCE):
        document = online.result_download_public(dossier=dossier)
        if document is None:
            raise Http404("Hồ sơ chưa có kết quả điện tử để tải về.")
        audit.record(dossier, "view", {"tải kết quả điện tử": document.original_name})
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp kết quả không còn trên máy chủ.") from exc
    return FileResponse(handle, as_attachment=True, filename=document.original_name)
