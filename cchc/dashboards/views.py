"""Pages: the chairman's dashboard, the province's comparison (with .xlsx and a
read-only drill-down per commune) and the figures by officer."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cchc.core import audit
from cchc.core.exports import xlsx_tables
from cchc.core.periods import current
from cchc.core.permissions import check_commune, require_perm
from cchc.core.uploads import attachment
from cchc.org.models import Unit

from . import services
from .charts import trend_svg
from .forms import ComparisonForm, PeriodForm

NO_DASHBOARD = "Bạn không có quyền xem bảng điều hành."
NO_COMPARISON = "Bạn không có quyền xem bảng so sánh các xã."
NO_OFFICERS = "Chỉ Chủ tịch UBND và Thường trực CCHC được xem số liệu theo công chức."


def _cell(value):
    """A figure in a spreadsheet cell: the number itself; no data stays empty."""
    return float(value) if isinstance(value, Decimal) else value


def _dashboard_context(request: HttpRequest, commune: Unit, *, read_only: bool) -> dict:
    today = timezone.localdate()
    plan_default = services.commune_dashboard(commune, today=today, with_trends=False).period
    form = PeriodForm(request.GET or None, today=today, default=plan_default)
    period = form.chosen_period()
    dash = services.commune_dashboard(commune, today=today, period=period)
    return {
        "form": form,
        "period": period,
        "dash": dash,
        "charts": [(t, trend_svg(t)) for t in dash.trends],
        "read_only": read_only,
        "query": urlencode(form.period_query()),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "dashboards.view_dashboard", NO_DASHBOARD)
    commune = request.user.home_commune
    if commune is None:
        raise Http404("Bảng điều hành là của một xã; cấp trên xem bảng so sánh các xã.")
    return render(request, "dashboards/home.html", _dashboard_context(request, commune, read_only=False))


@login_required
def commune_detail(request: HttpRequest, commune_id: int) -> HttpResponse:
    """A commune's dashboard seen from the province, read-only."""
    require_perm(request.user, "dashboards.view_comparison", NO_COMPARISON)
    commune = get_object_or_404(Unit.objects.communes(), pk=commune_id)
    check_commune(request.user, commune.pk)
    return render(request, "dashboards/home.html", _dashboard_context(request, commune, read_only=True))


@login_required
def comparison(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "dashboards.view_comparison", NO_COMPARISON)
    today = timezone.localdate()
    form = ComparisonForm(request.GET or None, today=today, default=current(today))
    period = form.chosen_period()
    sort = request.GET.get("sap-xep", "")
    descending = request.GET.get("chieu", "") == "giam"
    communes = list(request.user.visible_communes())
    rows = services.comparison(communes, period, sort=sort, descending=descending)
    total = services.comparison_total(communes, period)
    if request.GET.get("xuat") == "xlsx":
        return _comparison_xlsx(period, rows, total)
    base = form.period_query()
    sort_links = []
    for column in services.COLUMNS:
        # First click: best first (highest rate, fewest overdue); a second click flips it.
        best_first = "giam" if column.higher_is_better else "tang"
        flipped = {"giam": "tang", "tang": "giam"}[best_first]
        direction = (
            flipped if sort == column.key and request.GET.get("chieu", "") == best_first else best_first
        )
        state = ""
        if sort == column.key:
            state = "giảm dần" if descending else "tăng dần"
        sort_links.append((column, urlencode({**base, "sap-xep": column.key, "chieu": direction}), state))
    return render(
        request,
        "dashboards/comparison.html",
        {
            "form": form,
            "period": period,
            "rows": rows,
            "total": [(c, total[c.figure], c.figure.format(total[c.figure])) for c in services.COLUMNS],
            "sort_links": sort_links,
            "query": urlencode(base),
            "export_query": urlencode(
                {**base, "sap-xep": sort, "chieu": request.GET.get("chieu", ""), "xuat": "xlsx"}
            ),
        },
    )


def _comparison_xlsx(period, rows, total) -> HttpResponse:
    head = ["Xã", "Mã định danh", *[c.label for c in services.COLUMNS], "Tình hình gửi báo cáo"]
    body = [
        [
            r.commune.name,
            r.commune.agency_code,
            *[_cell(r.value(c)) for c in services.COLUMNS],
            r.report_status,
        ]
        for r in rows
    ]
    body.append(["Toàn bộ các xã", "", *[_cell(total[c.figure]) for c in services.COLUMNS], ""])
    notes = [[c.label, c.figure.unit, c.figure.definition] for c in services.COLUMNS]
    content = xlsx_tables(
        "So sánh các xã",
        [
            ("Các xã trong kỳ", head, body),
            ("Cách tính (danh mục số liệu)", ["Số liệu", "Đơn vị", "Cách tính"], notes),
        ],
        subtitle=period.label if period.is_range else f"{period.label}: {period.window_text}",
        landscape=True,
    )
    return attachment(content, f"so-sanh-cac-xa-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.xlsx")


@login_required
def officers(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "dashboards.view_officer_figures", NO_OFFICERS)
    commune = request.user.home_commune
    if commune is None:
        raise Http404("Số liệu theo công chức là của một xã.")
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, today=today, default=current(today))
    period = form.chosen_period()
    by_officer, by_department, total = services.officer_table(commune, period)
    if request.GET.get("xuat") == "xlsx":
        audit.record(
            None,
            "export",
            {"page": "số liệu theo công chức", "period": period.code},
            model_label=("dashboards", "officer_figures"),
            object_repr=f"Số liệu theo công chức {commune.name}, {period.label}",
            commune_id=commune.pk,
        )
        head = ["Họ và tên / bộ phận", "Vai trò, bộ phận", *[f.label for f in services.OFFICER_FIGURES]]

        def lines(rows):
            return [[r.name, r.detail, *[_cell(r.values[f]) for f in services.OFFICER_FIGURES]] for r in rows]

        content = xlsx_tables(
            f"Số liệu theo công chức – {commune.name}",
            [
                ("Theo công chức", head, lines(by_officer)),
                ("Theo bộ phận", head, lines(by_department)),
                (
                    "Toàn xã",
                    [f.label for f in services.OFFICER_FIGURES],
                    [[_cell(total[f]) for f in services.OFFICER_FIGURES]],
                ),
            ],
            subtitle=period.label if period.is_range else f"{period.label}: {period.window_text}",
            landscape=True,
        )
        return attachment(
            content, f"so-lieu-cong-chuc-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.xlsx"
        )
    return render(
        request,
        "dashboards/officers.html",
        {
            "form": form,
            "period": period,
            "commune": commune,
            "figures": services.OFFICER_FIGURES,
            "by_officer": by_officer,
            "by_department": by_department,
            "total": [(f, total[f], f.format(total[f])) for f in services.OFFICER_FIGURES],
            "query": urlencode(form.period_query()),
        },
    )
