from django.contrib import admin

from .models import IndexGroup, IndexItem, IndexVersion


class IndexItemInline(admin.TabularInline):
    model = IndexItem
    extra = 0
    fields = ["position", "code", "name", "max_points", "rule", "threshold", "if_empty", "level"]
    readonly_fields = fields
    can_delete = False


@admin.register(IndexVersion)
class IndexVersionAdmin(admin.ModelAdmin):
    """Read-only: versions come from the shipped data files (`cchc serviceindex_load`)."""

    list_display = ["code", "name", "effective_from", "max_total", "data_file", "loaded_at"]
    readonly_fields = [f.name for f in IndexVersion._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(IndexGroup)
class IndexGroupAdmin(admin.ModelAdmin):
    list_display = ["version", "position", "code", "name", "max_points"]
    list_filter = ["version"]
    inlines = [IndexItemInline]
    readonly_fields = ["version", "code", "name", "max_points", "position"]

    def has_add_permission(self, request):
        return False
