from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    label = "reports"
    verbose_name = "Báo cáo CCHC định kỳ"

    def ready(self) -> None:
        from cchc.core.nav import has_perm, register_home_panel, register_nav
        from cchc.org.models import Role
        from cchc.org.roles import ALL, grant

        grant(ALL, "reports.view_report")
        grant([Role.CCHC_OFFICE], "reports.edit_report", "reports.write_report_section")
        grant([Role.CHAIRMAN, Role.VICE_CHAIRMAN], "reports.approve_report")
        grant([Role.DEPARTMENT_OFFICER, Role.ONE_STOP_OFFICER], "reports.write_report_section")

        from .panels import panel_context, shows_panel

        register_nav(
            "Báo cáo CCHC",
            "reports:list",
            order=45,
            visible=has_perm("reports.view_report"),
            section="reports",
            group="Kế hoạch",
        )
        register_nav(
            "Tình hình gửi báo cáo",
            "reports:completeness",
            order=46,
            visible=lambda u: u.has_perm("reports.view_report") and u.home_commune is None,
            section="reports",
            group="Kế hoạch",
        )
        register_home_panel("reports/panel.html", order=22, visible=shows_panel, context=panel_context)
