from django.apps import AppConfig


class ServiceIndexConfig(AppConfig):
    name = "cchc.serviceindex"
    label = "serviceindex"
    verbose_name = "Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)"

    def ready(self) -> None:
        from cchc.core.nav import has_perm, register_home_panel, register_nav
        from cchc.org.models import Role
        from cchc.org.roles import grant

        view = "serviceindex.view_service_index"
        grant(
            [
                Role.CHAIRMAN,
                Role.VICE_CHAIRMAN,
                Role.CCHC_OFFICE,
                Role.ONE_STOP_OFFICER,
                Role.SUPERIOR_VIEWER,
                Role.ADMIN,
            ],
            view,
        )
        register_nav(
            "Chỉ số phục vụ (QĐ 766)", "serviceindex:index", order=23, visible=has_perm(view), group="Hồ sơ"
        )

        from .panels import panel_context, shows_panel

        register_home_panel(
            "serviceindex/_home_panel.html", order=12, visible=shows_panel, context=panel_context
        )
