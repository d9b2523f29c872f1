"""Read-only admin views: dossiers change only through the services (history,
due dates and statistics columns must stay consistent)."""

from django.contrib import admin

from cchc.core.admin import PersonalDataAdminMixin

from .models import Dossier, DossierEvent, SupplementRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_status", "to_status", "department_to", "actor_label", "outcome", "note")
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(PersonalDataAdminMixin, ReadOnlyAdmin):
    list_display = ("code", "procedure", "status", "received_at", "due_date", "finish_outcome", "commune")
    list_filter = ("status", "channel", "finish_outcome", "commune")
    search_fields = ("code",)
    date_hierarchy = "received_at"
    exclude = ("search_key",)
    inlines = [EventInline]


@admin.register(SupplementRequest)
class SupplementRequestAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "number", "requested_at", "answered_at")
