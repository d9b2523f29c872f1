from django.contrib import admin

from cchc.core.admin import PersonalDataAdminMixin

from .models import Petition, PetitionDeadline, PetitionEvent


@admin.register(PetitionDeadline)
class PetitionDeadlineAdmin(admin.ModelAdmin):
    """Time limits per step (docs/rules.md §10: not fixed nationally, so editable).
    New limits apply to steps started after the change; existing due dates stay."""

    list_display = ("step", "working_days", "basis")


class PetitionEventInline(admin.TabularInline):
    model = PetitionEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor_label", "action", "from_status", "to_status", "note", "step_due", "on_time")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Petition)
class PetitionAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    """Read-only: every change goes through the workflow pages (services), so
    that history and deadlines stay consistent."""

    list_display = ("code", "commune", "subject", "status", "channel", "received_at", "due_date")
    list_filter = ("status", "channel", "commune")
    search_fields = ("code", "subject")
    inlines = [PetitionEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
