"""Pages of the service index (QĐ 766/QĐ-TTg): a commune's index for a period with
its monthly trend, each item's drill-down to the dossiers it counted, and the
province's table of its communes. docs/service-index.md."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cchc.core.figures import Figure, Scope
from cchc.core.permissions import check_commune, require_perm
from cchc.dossiers.models import Dossier
from cchc.org.models import Unit

from .forms import IndexFilterForm
from .models import IndexItem, IndexVersion
from .results import index_by_commune, index_for, index_trend, trend_months

PERM = "serviceindex.view_service_index"
DENIED = "Bạn không có quyền xem chỉ số phục vụ người dân, doanh nghiệp."
NO_VERSION = "Chưa nạp bộ chỉ số phục vụ nào: chạy lệnh “cchc serviceindex_load”."
PART_SLUGS = {"Tử số": "tu-so", "Mẫu số": "mau-so"}


def drill_parts(item_result, scope: Scope) -> list[tuple[str, str, Figure, object]]:
    """(slug, label, figure, value) of every figure of an item whose records are the
    dossiers it counted: the rate's numerator ("tu-so") and denominator ("mau-so"),
    then the figures shown with it ("kem-1", …)."""
    found = [(PART_SLUGS[label], label, fig, value) for label, fig, value in item_result.parts]
    found += [
        (f"kem-{n}", "Số liệu kèm theo", fig, value) for n, (fig, value) in enumerate(item_result.shown, 1)
    ]
    return [p for p in found if p[2].records is not None and p[2].records(scope).model is Dossier]


def drill_links(result, scope: Scope, base: str, query: str) -> dict[str, dict[str, str]]:
    """Item code → {figure key: drill-down URL} for the page's links."""
    return {
        i.item.code: {
            fig.key: f"{base.replace('__CODE__', i.item.code)}?{query}&phan={slug}"
            for slug, _, fig, _ in drill_parts(i, scope)
        }
        for i in result.items
    }


def _query(form: IndexFilterForm, **extra) -> str:
    return urlencode({**form.period_query(), **extra})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """A commune's index for the chosen period (default: this reporting month)."""
    user = request.user
    require_perm(user, PERM, DENIED)
    form = IndexFilterForm(request.GET or None, user=user)
    period = form.chosen_period()
    commune = user.home_commune
    if commune is None:
        chosen = form.cleaned_data.get("commune") if form.is_bound and form.is_valid() else None
        if chosen is None:
            return redirect(f"{reverse('serviceindex:province')}?{_query(form)}")
        commune = chosen
    check_commune(user, commune.pk)
    context = {"form": form, "period": period, "commune": commune, "result": None, "no_version": NO_VERSION}
    if IndexVersion.objects.exists():
        today = timezone.localdate()
        result = index_for(commune_ids=[commune.pk], date_from=period.date_from, date_to=period.date_to)
        trend = index_trend(commune_ids=[commune.pk], months=trend_months(period, today))
        context.update(
            result=result,
            trend=_trend_rows(trend),
            chart=_chart(trend),
            query=_query(form),
            links=drill_links(
                result,
                Scope.of(commune_ids=[commune.pk], date_from=period.date_from, date_to=period.date_to),
                reverse("serviceindex:drilldown", args=[commune.pk, "__CODE__"]),
                _query(form),
            )
            if user.has_perm("dossiers.view_dossier")
            else {},
        )
    return render(request, "serviceindex/index.html", context)


def _trend_rows(trend) -> list[dict]:
    return [
        {
            "month": m,
            "points": r.points,
            "measured_max": r.measured_max,
            "max_attainable": r.max_attainable,
            "groups": [(g.points if g.measured_max else None) for g in r.groups],
        }
        for m, r in trend
    ]


def _chart(trend) -> dict:
    """A server-drawn bar chart (no script: the CSP allows none inline) of the share
    of measurable points earned each month; the table below gives the numbers."""
    width, height, gap = 40, 120, 8
    bars = []
    for i, (month, r) in enumerate(trend):
        share = (r.points / r.measured_max) if r.measured_max else None
        h = int(share * height) if share is not None else 0
        bars.append(
            {
                "x": i * (width + gap),
                "y": height - h,
                "h": h,
                "w": width,
                "label": month.label.replace("Tháng ", "T"),
                "text": f"{month.label}: {r.points} / {r.measured_max} điểm"
                if share is not None
                else "không có dữ liệu",
                "empty": share is None,
                "tx": i * (width + gap) + width // 2,
            }
        )
    return {"bars": bars, "width": len(trend) * (width + gap), "height": height}


@login_required
def province(request: HttpRequest) -> HttpResponse:
    """Every commune the user may see, side by side, for the chosen period."""
    user = request.user
    require_perm(user, PERM, DENIED)
    form = IndexFilterForm(request.GET or None, user=user, with_commune=False)
    period = form.chosen_period()
    ids = user.commune_ids()
    context = {"form": form, "period": period, "rows": [], "no_version": NO_VERSION, "version": None}
    if IndexVersion.objects.exists() and ids:
        results = index_by_commune(commune_ids=ids, date_from=period.date_from, date_to=period.date_to)
        communes = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
        rows = [(communes[cid], r) for cid, r in results.items()]
        order = request.GET.get("sap-xep", "diem")
        if order == "ten":
            rows.sort(key=lambda row: row[0].name)
        else:
            rows.sort(key=lambda row: (-_share(row[1]), row[0].name))
        first = next(iter(results.values()))
        context.update(
            rows=rows,
            version=first.version,
            groups=[g.group for g in first.groups],
            result=first,
            order=order,
            query=_query(form),
        )
    return render(request, "serviceindex/province.html", context)


def _share(result) -> Decimal:
    return result.points / result.measured_max if result.measured_max else Decimal(-1)


@login_required
def drilldown(request: HttpRequest, commune_id: int, code: str) -> HttpResponse:
    """The dossiers an item counted in its numerator (?phan=tu-so), denominator
    (?phan=mau-so, the default) or a figure shown with it (?phan=kem-N) for the
    period, of one commune the user may see."""
    user = request.user
    require_perm(user, PERM, DENIED)
    require_perm(user, "dossiers.view_dossier", "Bạn không có quyền xem hồ sơ.")
    check_commune(user, commune_id)
    form = IndexFilterForm(request.GET or None, user=user, with_commune=False)
    period = form.chosen_period()
    version = IndexVersion.for_day(period.date_to)
    item = IndexItem.objects.filter(group__version=version, code=code).select_related("group").first()
    if item is None:
        raise Http404("Không tìm thấy chỉ tiêu.")
    result = index_for(
        commune_ids=[commune_id], date_from=period.date_from, date_to=period.date_to, version=version
    )
    item_result = result.item(code)
    scope = Scope.of(commune_ids=[commune_id], date_from=period.date_from, date_to=period.date_to)
    parts = drill_parts(item_result, scope)
    if not parts:
        raise Http404("Chỉ tiêu này không có danh sách hồ sơ.")
    wanted = request.GET.get("phan", "mau-so")
    slug, _, figure, value = next((p for p in parts if p[0] == wanted), parts[0])
    qs = (
        figure.records(scope)
        .filter(commune_id=commune_id)
        .select_related("procedure")
        .order_by("received_at", "pk")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "serviceindex/drilldown.html",
        {
            "form": form,
            "period": period,
            "commune": Unit.objects.get(pk=commune_id),
            "item": item,
            "item_result": item_result,
            "figure": figure,
            "count": value,
            "page": page,
            "parts": parts,
            "part": slug,
            "query": _query(form),
            "index_url": reverse("serviceindex:index") + "?" + _query(form, commune=commune_id),
        },
    )
