from django.contrib import admin

from kefu.accounts.admin import AuditedAdmin
from kefu.callbacks.models import CallbackRule, CallbackTask
from kefu.core.admin import ReadOnlyAdmin


@admin.register(CallbackRule)
class CallbackRuleAdmin(AuditedAdmin):
    list_display = ["position", "ticket_type", "tier", "channel", "enabled", "due", "max_attempts", "retry_minutes"]
    list_editable = ["enabled"]
    ordering = ["position", "id"]


@admin.register(CallbackTask)
class CallbackTaskAdmin(ReadOnlyAdmin):
    """Read-only: callback tasks change only through their services (pull, assign, outcome, approval)."""

    list_display = ["id", "ticket", "attempt", "reason", "state", "assignee", "due_at", "outcome"]
    list_filter = ["state", "outcome", "reason"]
    raw_id_fields = ["ticket", "case"]
