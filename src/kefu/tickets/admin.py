from django.contrib import admin

from kefu.accounts.admin import AuditedAdmin
from kefu.core.admin import ReadOnlyAdmin
from kefu.tickets.models import Ticket, TicketEvent, TicketField, TicketMessage, TicketType


class TicketFieldInline(admin.TabularInline):
    model = TicketField
    extra = 0


@admin.register(TicketType)
class TicketTypeAdmin(AuditedAdmin):
    """Administrators add ticket types and their custom fields here, without code (TK1)."""

    list_display = ["code", "name", "name_en", "is_complaint", "is_emergency", "active", "position"]
    list_editable = ["active", "position"]
    inlines = [TicketFieldInline]


class EventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "version", "code", "params", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class MessageInline(admin.TabularInline):
    model = TicketMessage
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "body", "author"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    """Read-only: tickets change through services (API, CLI, workspace) so every change is an event."""

    list_display = ["id", "title", "ticket_type", "status", "priority", "channel", "team", "assignee",
                    "created_at"]
    list_filter = ["status", "ticket_type", "channel", "priority", "team"]
    search_fields = ["title"]
    list_select_related = ["ticket_type", "team__department", "assignee"]
    readonly_fields = [f.name for f in Ticket._meta.fields if f.name != "contact_phone"]
    exclude = ["contact_phone"]
    inlines = [MessageInline, EventInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
