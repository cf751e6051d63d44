from django.contrib import admin

from cplan.core.models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin[ChangeRecord]):
    list_display = ("at", "actor", "action", "object_type", "object_repr", "source")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor", "source")
    readonly_fields = [f.name for f in ChangeRecord._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
