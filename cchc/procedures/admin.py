from django.contrib import admin

from .models import DepartmentRule, Procedure, ProcedureImport


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "commune",
        "field",
        "time_amount",
        "time_unit",
        "department",
        "needs_review",
    )
    list_filter = ("commune", "needs_review", "online_level", "is_published")
    search_fields = ("code", "search_key")
    readonly_fields = ("source_row", "manual_fields", "imported_at", "reviewed_at", "reviewed_by")
    raw_id_fields = ("department",)


@admin.register(DepartmentRule)
class DepartmentRuleAdmin(admin.ModelAdmin):
    list_display = ("commune", "order", "keyword", "department")
    list_filter = ("commune",)


@admin.register(ProcedureImport)
class ProcedureImportAdmin(admin.ModelAdmin):
    list_display = ("created_at", "commune", "file_name", "status", "created_by")
    list_filter = ("status", "commune")
    exclude = ("content",)
    readonly_fields = (
        "commune",
        "file_name",
        "sha256",
        "status",
        "counts",
        "created_by",
        "created_at",
        "applied_at",
    )
