from django.contrib import admin

from cplan.partnerships.models import Partnership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin[Partnership]):
    list_display = ("name", "code", "deprivation_family_group", "density_family_group")
    list_filter = ("deprivation_family_group", "density_family_group")
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}
