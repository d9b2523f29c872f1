from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cchc.core"
    label = "core"
    verbose_name = "Hệ thống"

    def ready(self) -> None:
        from . import audit, checks  # noqa: F401 - checks register themselves

        audit.connect_signals()

        from . import figures

        # Every app's `figures.py` registers its figures in the catalogue.
        figures.autodiscover()

        from .nav import has_perm, register_nav

        register_nav("Lịch làm việc", "calendar", order=80, visible=lambda u: True, group="Hệ thống")
        register_nav(
            "Nhật ký thay đổi",
            "audit_log",
            order=90,
            visible=has_perm("core.view_auditlog"),
            group="Hệ thống",
        )
        register_nav("Quản trị", "admin:index", order=99, visible=lambda u: u.is_staff, group="Hệ thống")
