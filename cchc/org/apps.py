from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "cchc.org"
    label = "org"
    verbose_name = "Tổ chức và người dùng"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import ensure_role_groups

        # Groups are (re)created after every migrate so a fresh database always has
        # the roles; existing groups keep whatever the administrator changed.
        post_migrate.connect(ensure_role_groups, dispatch_uid="cchc_role_groups")
