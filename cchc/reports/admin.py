from django.contrib import admin

from .models import Report, ReportEvent, Section, SectionEvent


class SectionInline(admin.TabularInline):
    model = Section
    fields = ("position", "kind", "title", "department", "due_date", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    fields = ("at", "actor", "action", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only here: reports move only through their workflow (services)."""

    list_display = ("commune", "period_code", "status", "deadline", "number", "sent_at")
    list_filter = ("status", "period_kind", "year")
    search_fields = ("commune__name", "period_code", "subject")
    inlines = [SectionInline, ReportEventInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SectionEvent)
class SectionEventAdmin(admin.ModelAdmin):
    list_display = ("section", "at", "actor", "action", "from_status", "to_status")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
