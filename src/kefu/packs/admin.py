from django.contrib import admin

from kefu.packs.models import PackState


@admin.register(PackState)
class PackStateAdmin(admin.ModelAdmin):
    """Read-only: packs are switched on the packs screen, the API or `kefu packs` (audited there)."""

    list_display = ["code", "enabled", "changed_at", "changed_by", "version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
