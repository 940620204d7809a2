from django.contrib import admin

from kefu.chat.models import ChatQueue, Conversation, Widget


@admin.register(Widget)
class WidgetAdmin(admin.ModelAdmin):
    """Setup data: the widgets companies embed (key, team, allowed origins, hours, assistant)."""

    list_display = ("name", "key", "team", "calendar", "assistant", "active")
    readonly_fields = ("key",)


@admin.register(ChatQueue)
class ChatQueueAdmin(admin.ModelAdmin):
    list_display = ("team", "strategy", "offer_seconds", "vip_first", "auto_greeting")


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    """Read-only: chats change only through kefu.chat.services."""

    list_display = ("id", "team", "state", "agent", "created_at", "rating", "assistant_outcome")
    list_filter = ("state", "assistant_outcome", "team")
    exclude = ("visitor_key",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
