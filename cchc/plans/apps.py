from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cchc.plans"
    label = "plans"
    verbose_name = "Kế hoạch CCHC"

    def ready(self) -> None:
        from cchc.core.nav import has_perm, register_home_panel, register_nav
        from cchc.org.models import Role
        from cchc.org.roles import ALL, grant

        grant(ALL, "plans.view_plan")
        grant([Role.CCHC_OFFICE], "plans.edit_plan", "plans.report_task_progress")
        grant([Role.CHAIRMAN, Role.VICE_CHAIRMAN], "plans.approve_plan")
        grant([Role.DEPARTMENT_OFFICER, Role.ONE_STOP_OFFICER], "plans.report_task_progress")

        from .panels import my_tasks_context, plan_panel_context, shows_my_tasks, shows_plan_panel

        register_nav(
            "Kế hoạch CCHC",
            "plans:plan_list",
            order=40,
            visible=has_perm("plans.view_plan"),
            section="plans",
            group="Kế hoạch",
        )
        register_nav(
            "Nhiệm vụ của bộ phận", "plans:my_tasks", order=41, visible=shows_my_tasks, group="Kế hoạch"
        )
        register_nav(
            "Nhập kế hoạch từ văn bản",
            "plans:import_upload",
            order=42,
            visible=lambda user: user.has_perm("plans.edit_plan") and user.home_commune is not None,
            group="Kế hoạch",
        )
        register_home_panel(
            "plans/panel_my_tasks.html", order=20, visible=shows_my_tasks, context=my_tasks_context
        )
        register_home_panel(
            "plans/panel_plan.html", order=21, visible=shows_plan_panel, context=plan_panel_context
        )
