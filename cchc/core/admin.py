from django.contrib import admin

from .models import ApiToken, AuditLog, CalendarOverride, Notification


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be edited or deleted from the UI."""

    list_display = ("at", "actor_label", "source", "action", "model", "object_id", "object_repr")
    list_filter = ("action", "source", "app_label", "model")
    search_fields = ("object_repr", "actor_label", "object_id")
    date_hierarchy = "at"

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
