from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Department, Unit, User
from .services import user_sync_groups


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("short_name", "kind", "agency_code", "slug", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "agency_code", "slug")
    prepopulated_fields = {"slug": ("short_name",)}


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "commune", "code", "head", "is_one_stop", "is_cchc_office", "order")
    list_filter = ("commune", "is_one_stop", "is_cchc_office")
    search_fields = ("name", "code")
    autocomplete_fields = ("head",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "unit", "department", "is_active")
    list_filter = ("role", "unit", "is_active")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin", {"fields": ("full_name", "position", "email", "phone")}),
        ("Đơn vị và vai trò", {"fields": ("unit", "department", "role")}),
        ("Quyền", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Thời điểm", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("Đơn vị và vai trò", {"fields": ("full_name", "unit", "department", "role")}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The role decides the group; saved after the m2m form so it is not overwritten.
        user_sync_groups(user=form.instance)
