from django.contrib import admin

from . import audit
from .models import ApiToken, AuditLog, CalendarOverride, Notification


class PersonalDataAdminMixin:
    """For the admin of a model holding citizens' personal data (dossiers,
    petitions): every opening of a record's page is written to the audit trail,
    as a view of the dossier page with personal data is."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                with audit.acting_as(request.user, "admin"):
                    audit.record(obj, AuditLog.Action.VIEW, {"page": "quản trị"})
        return response


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be edited or deleted from the UI. Personal data
    in the changes is masked here (`audit.masked_changes`); the audit page lets a
    leader reveal a row, audited."""

    list_display = ("at", "actor_label", "source", "action", "model", "object_id", "object_repr")
    list_filter = ("action", "source", "app_label", "model")
    search_fields = ("object_repr", "actor_label", "object_id")
    date_hierarchy = "at"
    exclude = ("changes",)
    readonly_fields = ("masked_changes",)

    @admin.display(description="thay đổi (dữ liệu cá nhân được che)")
    def masked_changes(self, obj):
        return audit.masked_changes(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "reason", "reference", "created_by")
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("key_prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("key_prefix", "key_hash", "user", "created_at", "last_used_at")
    exclude = ()

    def has_add_permission(self, request):
        return False  # tokens are created with `cchc api-token create`, which shows the key once


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "title", "read_at")
    list_filter = ("read_at",)
