"""Home-page panels of the dashboards app: the chairman's dashboard on a commune's
home, the comparison of communes on the province's."""

from __future__ import annotations

from django.utils import timezone

from . import services


def shows_dashboard(user) -> bool:
    return user.home_commune is not None and user.has_perm("dashboards.view_dashboard")


def shows_comparison(user) -> bool:
    return user.home_commune is None and user.has_perm("dashboards.view_comparison")


def dashboard_panel_context(user) -> dict:
    today = timezone.localdate()
    from .charts import trend_svg

    dash = services.commune_dashboard(user.home_commune, today=today)
    return {"dash": dash, "charts": [(t, trend_svg(t)) for t in dash.trends]}


def comparison_panel_context(user) -> dict:
    from cchc.core.periods import current

    period = current(timezone.localdate())
    communes = list(user.visible_communes())
    return {
        "period": period,
        "columns": services.COLUMNS,
        "rows": services.comparison(communes, period),
        "compact": True,
    }
