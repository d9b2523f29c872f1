from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cchc.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ một cửa"

    def ready(self) -> None:
        from cchc.core.nav import has_perm, register_home_panel, register_nav
        from cchc.org.models import Role
        from cchc.org.roles import grant

        view = "dossiers.view_dossier"
        receive = "dossiers.receive_dossier"
        process = "dossiers.process_dossier"
        stats = "dossiers.view_dossier_stats"
        export = "dossiers.export_register"
        grant([Role.ONE_STOP_OFFICER], view, receive, process, stats, export)
        grant([Role.DEPARTMENT_OFFICER], view, process)
        grant([Role.CHAIRMAN, Role.VICE_CHAIRMAN], view, receive, process, stats, export)
        grant([Role.CCHC_OFFICE], view, process, stats, export)
        grant([Role.SUPERIOR_VIEWER], view, stats)
        grant([Role.ADMIN], view, receive, process, stats, export, "dossiers.import_historical")
        recompute = "dossiers.recompute_due_dates"
        grant([Role.ADMIN, Role.CCHC_OFFICE], recompute)

        register_nav(
            "Hồ sơ một cửa",
            "dossiers:queue",
            order=20,
            visible=has_perm(view),
            section="dossiers",
            group="Hồ sơ",
        )
        register_nav("Thống kê hồ sơ", "dossiers:stats", order=21, visible=has_perm(stats), group="Hồ sơ")
        register_nav(
            "Cập nhật hạn theo lịch mới",
            "dossiers:recompute",
            order=22,
            visible=has_perm(recompute),
            group="Hồ sơ",
        )

        from .views import home_panel_context

        register_home_panel(
            "dossiers/_home_panel.html",
            order=10,
            visible=lambda u: u.has_perm(view) and u.home_commune is not None,
            context=home_panel_context,
        )
