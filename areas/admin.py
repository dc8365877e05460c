from django.contrib import admin

from .models import LocalArea


class InForceFilter(admin.SimpleListFilter):
    title = "in force"
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("current", "Current"), ("former", "Former (replaced)")]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.filter(end_date__isnull=True)
        if self.value() == "former":
            return queryset.filter(end_date__isnull=False)
        return queryset


@admin.register(LocalArea)
class LocalAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "gss_code", "register_code", "authority_type", "region", "dfe_la_code", "end_date")
    list_filter = ("region", "authority_type", InForceFilter)
    # alt_names is a JSON list: icontains searches its text, so "Hull" finds Kingston upon Hull.
    search_fields = ("name", "official_name", "alt_names", "gss_code", "register_code", "dfe_la_code")
    filter_horizontal = ("replaced_by",)
    ordering = ("name",)
