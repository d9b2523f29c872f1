from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "cchc.procedures"
    label = "procedures"
    verbose_name = "Thủ tục hành chính"

    def ready(self) -> None:
        from cchc.core.nav import has_perm, register_home_panel, register_nav
        from cchc.org.models import Role
        from cchc.org.roles import COMMUNE_STAFF, grant

        # Everyone who works with dossiers reads the catalogue; the CCHC office and
        # the one-stop officers keep it (import, edit, review, field → department
        # table); adding a procedure by hand is for administrators (API POST).
        grant([*COMMUNE_STAFF, Role.SUPERIOR_VIEWER, Role.ADMIN], "procedures.view_procedure")
        grant(
            [Role.CCHC_OFFICE, Role.ONE_STOP_OFFICER, Role.ADMIN],
            "procedures.change_procedure",
            "procedures.import_procedure",
            "procedures.review_procedure",
            "procedures.view_departmentrule",
            "procedures.add_departmentrule",
            "procedures.change_departmentrule",
            "procedures.delete_departmentrule",
            "procedures.view_procedureimport",
        )
        grant([Role.CHAIRMAN, Role.VICE_CHAIRMAN], "procedures.view_departmentrule")
        grant([Role.ADMIN], "procedures.add_procedure")

        from .views import review_panel_context

        register_nav(
            "Thủ tục",
            "procedures:list",
            order=20,
            visible=has_perm("procedures.view_procedure"),
            section="procedures",
        )
        register_home_panel(
            "procedures/_home_panel.html",
            order=30,
            visible=lambda user: (
                user.has_perm("procedures.review_procedure") and user.home_commune is not None
            ),
            context=review_panel_context,
        )
