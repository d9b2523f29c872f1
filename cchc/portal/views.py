"""Public pages (no log-in, no JavaScript needed): the dossier look-up and each
commune's transparency page (công khai)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cchc.core.ratelimit import rate_limit
from cchc.org.models import Unit
from cchc.procedures.selectors import catalogue_fields, published_catalogue

from . import online, services
from .forms import CatalogueFilterForm, LookupForm

NOT_FOUND = (
    "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số cuối điện thoại đã nhập. Vui lòng kiểm tra lại mã trên "
    "phiếu hẹn trả kết quả và số điện thoại đã khai khi nộp hồ sơ."
)
RATE_LIMITED = (
    "Quý khách đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng chờ khoảng một phút rồi thử lại."
)


def _petition_links(commune: Unit | None) -> dict[str, str]:
    """Links to the petitions app's public pages, when it provides them."""
    links = {}
    names = {"follow": ("petitions:public_follow", [])}
    if commune is not None:
        names["submit"] = ("petitions:public_submit", [commune.slug])
        names["answers"] = ("petitions:public_answers", [commune.slug])
    else:
        names["index"] = ("petitions:public_index", [])
    for key, (name, args) in names.items():
        try:
            links[key] = reverse(name, args=args)
        except NoReverseMatch:
            pass
    return links


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Code + last 4 digits of the phone → the public-safe view of the dossier.
    The code may come pre-filled from the QR code on form 01 (`?ma=`)."""
    context: dict = {"petition_links": _petition_links(None)}
    if request.method == "GET":
        form = LookupForm(initial={"ma": services.normalise_code(request.GET.get("ma", ""))[:60]})
        return render(request, "portal/lookup.html", {**context, "form": form})

    form = LookupForm(request.POST)
    if not rate_limit(
        request,
        "dossier-lookup",
        limit=settings.DOSSIER_LOOKUP_LIMIT,
        window=settings.DOSSIER_LOOKUP_WINDOW_SECONDS,
    ):
        form = LookupForm(initial={"ma": services.normalise_code(request.POST.get("ma", ""))[:60]})
        return render(
            request, "portal/lookup.html", {**context, "form": form, "error": RATE_LIMITED}, status=429
        )
    if not form.is_valid():
        return render(request, "portal/lookup.html", {**context, "form": form})
    dossier = services.dossier_lookup(
        code=form.cleaned_data["ma"], last4=form.cleaned_data["phone_last4"].strip()
    )
    if dossier is None:
        return render(request, "portal/lookup.html", {**context, "form": form, "error": NOT_FOUND})
    view = services.public_view(dossier)
    fresh = LookupForm(initial={"ma": dossier.code})
    # The look-up is the follow-up link: this browser may now act on the dossier.
    online.remember_followed(request, dossier.code)
    return render(
        request,
        "portal/lookup.html",
        {
            **context,
            "form": fresh,
            "d": view,
            "commune": dossier.commune,
            "follow": online.follow_context(dossier),
        },
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    communes = list(Unit.objects.communes().filter(is_active=True).select_related("parent").order_by("name"))
    if len(communes) == 1:
        return redirect("portal:commune", slug=communes[0].slug)
    return render(
        request, "portal/index.html", {"communes": communes, "petition_links": _petition_links(None)}
    )


@require_GET
def commune(request: HttpRequest, slug: str) -> HttpResponse:
    """What a citizen or a journalist sees about the commune: the published
    catalogue and this month's / this year's on-time and satisfaction rates."""
    unit = Unit.objects.communes().filter(slug=slug, is_active=True).first()
    if unit is None:
        raise Http404("Không tìm thấy xã.")
    form = CatalogueFilterForm(request.GET or None, fields=catalogue_fields(published_catalogue(unit)))
    q = field = None
    if form.is_bound and form.is_valid():
        q, field = form.cleaned_data["q"], form.cleaned_data["field"]
    procedures = (
        published_catalogue(unit, q=q, field=field)
        .select_related("department", "detail")
        .prefetch_related("required_documents")
    )
    page = Paginator(procedures, 20).get_page(request.GET.get("page"))
    figures = services.public_figures(unit)
    news = list(services.cchc_news(unit)[:NEWS_ON_HOME])
    chart = {
        "labels": [m.label for m, _ in figures["months"]],
        "on_time": [_float(values[1]) for _, values in figures["months"]],
        "satisfaction": [_float(values[3]) for _, values in figures["months"]],
    }
    return render(
        request,
        "portal/commune.html",
        {
            "commune": unit,
            "form": form,
            "page": page,
            "figures": figures,
            "columns": services.PUBLIC_FIGURES,
            "figure_rows": [
                (kind, period, list(zip(services.PUBLIC_FIGURES, values, strict=True)))
                for kind, period, values in figures["rows"]
            ],
            "chart": chart,
            "petition_links": _petition_links(unit),
            "searching": bool(q or field),
            "news": news,
        },
    )


NEWS_ON_HOME = 5


def _float(value):
    return float(value) if value is not None else None


def _public_commune(slug: str) -> Unit:
    unit = Unit.objects.communes().filter(slug=slug, is_active=True).first()
    if unit is None:
        raise Http404("Không tìm thấy xã.")
    return unit


@require_GET
def news_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The commune's published reform news (from its communication register)."""
    unit = _public_commune(slug)
    page = Paginator(services.cchc_news(unit), 10).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/news_list.html",
        {"commune": unit, "page": page, "petition_links": _petition_links(unit)},
    )


@require_GET
def news_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    unit = _public_commune(slug)
    item = services.cchc_news(unit).filter(pk=pk).first()
    if item is None:
        raise Http404("Không tìm thấy tin.")
    return render(
        request,
        "portal/news_detail.html",
        {"commune": unit, "item": item, "petition_links": _petition_links(unit)},
    )
