from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "cchc.registers"
    label = "registers"
    verbose_name = "Sổ theo dõi"

    def ready(self) -> None:
        from cchc.core.nav import has_perm, register_nav
        from cchc.org.models import Role
        from cchc.org.roles import ALL, grant

        from . import specs

        register_nav(
            "Tổng quan các sổ",
            "registers:index",
            order=59,
            visible=has_perm(*[s.view_perm for s in specs.ALL]),
            section="registers",
            group="Sổ theo dõi",
        )
        for spec in specs.ALL:
            grant(ALL, spec.view_perm)
            register_nav(
                spec.short_label,
                spec.url_name,
                order=spec.nav_order,
                visible=has_perm(spec.view_perm),
                section="registers",
                group="Sổ theo dõi",
            )
        grant([Role.CCHC_OFFICE, Role.DEPARTMENT_OFFICER], "registers.manage_communication")
        # The one-stop office (Văn phòng HĐND – UBND) leads procedure control (seed plan V.2);
        # each department reviews the procedures of its field.
        grant(
            [Role.CCHC_OFFICE, Role.ONE_STOP_OFFICER, Role.DEPARTMENT_OFFICER],
            "registers.manage_procedure_review",
        )
        # Training of officials is the home-affairs (Nội vụ) officer's, in the standing office.
        grant([Role.CCHC_OFFICE], "registers.manage_training")
