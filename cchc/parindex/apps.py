from django.apps import AppConfig


class ParIndexConfig(AppConfig):
    name = "cchc.parindex"
    label = "parindex"
    verbose_name = "Chỉ số CCHC"

    def ready(self) -> None:
        from cchc.core.nav import has_perm, register_home_panel, register_nav
        from cchc.org.models import Role
        from cchc.org.roles import COMMUNE_STAFF, grant

        grant(
            [*COMMUNE_STAFF, Role.SUPERIOR_VIEWER, Role.ADMIN],
            "parindex.view_assessment",
            "parindex.view_criteriaset",
        )
        grant([Role.CCHC_OFFICE], "parindex.self_assess")
        grant([Role.CHAIRMAN, Role.VICE_CHAIRMAN], "parindex.approve_assessment")
        # The province's home-affairs staff issue the criteria set and appraise.
        grant([Role.SUPERIOR_VIEWER], "parindex.appraise_assessment", "parindex.manage_criteria_set")
        grant([Role.ADMIN], "parindex.manage_criteria_set")

        from .panels import panel_context, shows_panel

        register_nav(
            "Chỉ số CCHC",
            "parindex:index",
            order=45,
            visible=has_perm("parindex.view_assessment"),
            section="parindex",
            group="Kế hoạch",
        )
        register_home_panel("parindex/panel.html", order=25, visible=shows_panel, context=panel_context)
