from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "cchc.dashboards"
    label = "dashboards"
    verbose_name = "Bảng điều hành"

    def ready(self) -> None:
        from cchc.core.nav import has_perm, register_home_panel, register_nav
        from cchc.org.models import Role
        from cchc.org.roles import grant

        grant([Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.CCHC_OFFICE, Role.ADMIN], "dashboards.view_dashboard")
        grant([Role.SUPERIOR_VIEWER, Role.ADMIN], "dashboards.view_comparison")
        # Seed II.5d: the evaluation of officials by their results is for the chairman
        # and the standing office of CCHC only.
        grant([Role.CHAIRMAN, Role.CCHC_OFFICE], "dashboards.view_officer_figures")

        from .panels import (
            comparison_panel_context,
            dashboard_panel_context,
            shows_comparison,
            shows_dashboard,
        )

        register_nav(
            "Bảng điều hành",
            "dashboards:home",
            order=5,
            visible=lambda u: u.has_perm("dashboards.view_dashboard") and u.home_commune is not None,
            section="dashboards",
            group="Điều hành",
        )
        register_nav(
            "So sánh các xã",
            "dashboards:comparison",
            order=6,
            visible=has_perm("dashboards.view_comparison"),
            section="dashboards",
            group="Điều hành",
        )
        register_nav(
            "Số liệu theo công chức",
            "dashboards:officers",
            order=7,
            visible=lambda u: u.has_perm("dashboards.view_officer_figures") and u.home_commune is not None,
            section="dashboards",
            group="Điều hành",
        )
        register_home_panel(
            "dashboards/_dashboard_panel.html",
            order=1,
            visible=shows_dashboard,
            context=dashboard_panel_context,
        )
        register_home_panel(
            "dashboards/_comparison_panel.html",
            order=2,
            visible=shows_comparison,
            context=comparison_panel_context,
        )
