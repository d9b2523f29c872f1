from django.contrib import admin

from .models import Assessment, AssessmentEvent, CriteriaSet, Criterion


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ("code", "title", "max_points", "rule_kind", "figure")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "year", "version", "status", "is_example", "locked_at")
    list_filter = ("year", "status", "is_example")
    # Criteria change through the set's page (validated as a whole tree), not here.
    readonly_fields = ("locked_at", "opened_at", "created_at", "created_by", "previous", "status")
    inlines = [CriterionInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("commune", "year", "criteria_set", "status", "submitted_at", "published_at")
    list_filter = ("year", "status")
    # States move only through the workflow (with history rows): read-only here.
    readonly_fields = [f.name for f in Assessment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "assessment",
        "criterion",
        "action",
        "field",
        "from_value",
        "to_value",
        "actor_label",
    )
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
