from django.contrib import admin

from cplan.partnerships.models import Membership, Organisation, Partnership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin[Partnership]):
    list_display = ("name", "code", "deprivation_family_group", "density_family_group")
    list_filter = ("deprivation_family_group", "density_family_group")
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "type", "is_statutory_partner")
    list_filter = ("type", "is_statutory_partner")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]
