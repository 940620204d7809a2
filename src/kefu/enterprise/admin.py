from django.contrib import admin

from kefu.enterprise.models import EnterpriseSettings


@admin.register(EnterpriseSettings)
class EnterpriseSettingsAdmin(admin.ModelAdmin):
    """Read-only: changed through the API's green-channel endpoint (audited there)."""

    list_display = ["second_line_team", "fault_types"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
