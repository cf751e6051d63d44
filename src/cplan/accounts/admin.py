from django.contrib import admin

from cplan.accounts.models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ("user", "role", "partnership", "organisation", "granted_at")
    list_filter = ("role", "partnership")
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)
