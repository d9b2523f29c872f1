from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "cchc.petitions"
    label = "petitions"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self) -> None:
        from cchc.core.nav import has_perm, register_home_panel, register_nav
        from cchc.org.models import Role
        from cchc.org.roles import COMMUNE_STAFF, grant

        from .panels import home_panel_context

        grant([*COMMUNE_STAFF, Role.SUPERIOR_VIEWER, Role.ADMIN], "petitions.view_petition")
        grant([Role.CCHC_OFFICE, Role.ONE_STOP_OFFICER], "petitions.classify_petition")
        grant([Role.DEPARTMENT_OFFICER, Role.CCHC_OFFICE, Role.ONE_STOP_OFFICER], "petitions.answer_petition")
        grant([Role.CHAIRMAN, Role.VICE_CHAIRMAN], "petitions.approve_petition")
        grant(
            [Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.CCHC_OFFICE, Role.ONE_STOP_OFFICER],
            "petitions.publish_petition",
        )
        grant(
            Role.ADMIN,
            "petitions.view_petitiondeadline",
            "petitions.change_petitiondeadline",
            "petitions.add_petitiondeadline",
        )
        register_nav(
            "Phản ánh, kiến nghị",
            "petitions:list",
            order=40,
            visible=has_perm("petitions.view_petition"),
            section="petitions",
        )
        register_home_panel(
            "petitions/_home_panel.html",
            order=40,
            visible=has_perm(
                "petitions.classify_petition",
                "petitions.answer_petition",
                "petitions.approve_petition",
                "petitions.publish_petition",
            ),
            context=home_panel_context,
        )
