from django.contrib import admin

from cplan.partnerships.models import (
    GovernanceBody,
    GovernanceMember,
    Meeting,
    Membership,
    Organisation,
    Partnership,
)


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


class GovernanceMemberInline(admin.TabularInline[GovernanceMember, GovernanceBody]):
    model = GovernanceMember
    extra = 0


@admin.register(GovernanceBody)
class GovernanceBodyAdmin(admin.ModelAdmin[GovernanceBody]):
    list_display = ("name", "partnership", "kind", "reports_to")
    list_filter = ("kind",)
    search_fields = ("name", "partnership__name")
    inlines = [GovernanceMemberInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ("__str__", "body", "date")
    search_fields = ("title", "body__name")
