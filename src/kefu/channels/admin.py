from django.contrib import admin

from kefu.accounts.admin import AuditedAdmin
from kefu.channels.models import Endpoint, InboundMessage, Mailbox, OutboundMessage, Signature


@admin.register(Mailbox)
class MailboxAdmin(AuditedAdmin):
    list_display = ("name", "address", "is_fax", "imap_host", "enabled", "last_polled_at", "last_error")
    readonly_fields = ("last_uid", "uid_validity", "last_polled_at", "last_error")


@admin.register(Endpoint)
class EndpointAdmin(AuditedAdmin):
    list_display = ("name", "medium", "slug", "enabled")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Signature)
class SignatureAdmin(AuditedAdmin):
    list_display = ("user",)


@admin.register(InboundMessage)
class InboundAdmin(admin.ModelAdmin):
    """Read-only: messages change only through the channel services."""

    list_display = ("medium", "received_at", "state", "threaded_by", "ticket")
    list_filter = ("medium", "state")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboundMessage)
class OutboundAdmin(InboundAdmin):
    list_display = ("medium", "created_at", "state", "error_code", "ticket")
    list_filter = ("medium", "state")
