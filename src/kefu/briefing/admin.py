from django.contrib import admin

from kefu.briefing.models import Briefing


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    """Read-only: briefings are prepared, edited and published through their services (UI and API)."""

    list_display = ["day", "title", "status", "prepared_by", "published_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
