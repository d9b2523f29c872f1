from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    name = "cchc.satisfaction"
    label = "satisfaction"
    verbose_name = "Đánh giá sự hài lòng"

    def ready(self) -> None:
        from cchc.core.nav import has_perm, register_home_panel, register_nav
        from cchc.org.models import Role
        from cchc.org.roles import grant

        stats = "satisfaction.view_rating_stats"
        view = "satisfaction.view_rating"
        kiosk = "satisfaction.open_kiosk"
        view_followup = "satisfaction.view_followup"
        close_followup = "satisfaction.close_followup"
        grant([Role.CHAIRMAN, Role.VICE_CHAIRMAN], stats, view, kiosk, view_followup, close_followup)
        grant([Role.ONE_STOP_OFFICER], stats, view, kiosk, view_followup, close_followup)
        grant([Role.CCHC_OFFICE], stats, view, view_followup)
        grant([Role.SUPERIOR_VIEWER], stats, view)
        grant([Role.ADMIN], stats, view, kiosk, view_followup, close_followup)

        register_nav(
            "Hài lòng", "satisfaction:stats", order=40, visible=has_perm(stats), section="satisfaction"
        )

        from cchc.dossiers.hooks import register_after_action, register_detail_part
        from cchc.dossiers.models import Action

        from .views import dossier_slip_part, home_panel_context, rating_offer

        register_detail_part("satisfaction/_dossier_slip.html", order=10, context=dossier_slip_part)
        register_after_action(Action.RETURN_RESULT, rating_offer)

        register_home_panel(
            "satisfaction/_home_panel.html",
            order=30,
            visible=lambda u: u.has_perm(stats) and bool(u.commune_ids()),
            context=home_panel_context,
        )
