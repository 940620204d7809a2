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

    def has_view_permission(self, request, obj=None):
        # 三员分立: the auditor reads the log (on the audit page); administrators, whose acts it records, do not.
        return request.user.is_active and request.user.can_read_audit()

    def has_module_permission(self, request):
        return self.has_view_permission(request)
