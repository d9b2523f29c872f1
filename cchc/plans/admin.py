from django.contrib import admin

from .models import Evidence, Plan, PlanEvent, ReformArea, Task, TaskUpdate


class PlanEventInline(admin.TabularInline):
    model = PlanEvent
    extra = 0
    readonly_fields = ("at", "actor", "from_status", "to_status", "note")
    can_delete = False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    """Read-mostly: plans are written through the plan pages, which enforce the workflow."""

    list_display = ("year", "commune", "number", "symbol", "status", "issued_on")
    list_filter = ("status", "year")
    inlines = [PlanEventInline]
    readonly_fields = ("status", "source_plan", "created_at", "updated_at")


@admin.register(ReformArea)
class ReformAreaAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "kind", "sort_key")
    list_filter = ("kind",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("__str__", "area", "lead_department", "end_date", "status", "percent")
    list_filter = ("status", "time_frame")
    search_fields = ("title",)
    readonly_fields = ("position", "status", "percent", "completed_on")


@admin.register(TaskUpdate)
class TaskUpdateAdmin(admin.ModelAdmin):
    list_display = ("on", "task", "percent", "status", "author")
    readonly_fields = ("task", "on", "text", "status", "percent", "author", "created_at")


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("original_name", "update", "size", "uploaded_at")
    readonly_fields = (
        "update",
        "file",
        "token",
        "extension",
        "original_name",
        "content_type",
        "size",
        "uploaded_at",
    )
