from django.contrib import admin

from kefu.memos.models import Memo


@admin.register(Memo)
class MemoAdmin(admin.ModelAdmin):
    """Read-only: memos change only through their services (ask, take, forward, answer, close)."""

    list_display = ["id", "status", "asked_by", "asked_at", "owner", "forwarded_to", "answered_at", "briefing_date"]
    list_filter = ["status", "forwarded_to"]
    raw_id_fields = ["ticket"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
