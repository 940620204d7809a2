from django.contrib import admin

from kefu.core.admin import ReadOnlyAdmin
from kefu.memos.models import Memo


@admin.register(Memo)
class MemoAdmin(ReadOnlyAdmin):
    """Read-only: memos change only through their services (ask, take, forward, answer, close)."""

    list_display = ["id", "status", "asked_by", "asked_at", "owner", "forwarded_to", "answered_at", "briefing_date"]
    list_filter = ["status", "forwarded_to"]
    raw_id_fields = ["ticket"]
