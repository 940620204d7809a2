from django.contrib import admin

from kefu.audit.models import AuditEntry
from kefu.core.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is never edited, not even by an administrator."""

    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_id"]
    list_select_related = ["actor"]
