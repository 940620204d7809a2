from django.contrib import admin

from kefu.presence.models import AgentPresence, PresenceSpan


@admin.register(AgentPresence)
class AgentPresenceAdmin(admin.ModelAdmin):
    """Read-only: presence changes only through kefu.presence.services (the desk, the API, the CLI)."""

    list_display = ("user", "team", "state", "state_since", "active_chats", "chat_capacity", "skills")
    list_filter = ("state", "team")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PresenceSpan)
class PresenceSpanAdmin(admin.ModelAdmin):
    list_display = ("user", "state", "started_at", "ended_at", "reason", "end_reason")
    list_filter = ("state", "reason")
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
