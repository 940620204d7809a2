from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kefu.core.admin import ReadOnlyAdmin
from kefu.notify.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Read-only: deliveries change only through the services (a failed one is retried through the API)."""

    list_display = ["id", "created_at", "channel", "kind", "recipient", "shown_address", "status", "attempts",
                    "sent_at"]
    list_filter = ["status", "channel", "kind"]
    list_select_related = ["recipient"]
    exclude = ["address"]
    readonly_fields = ["shown_address", *[f.name for f in Notification._meta.fields if f.name != "address"]]
    show_full_result_count = False

    @admin.display(description=_("address"))
    def shown_address(self, obj: Notification) -> str:
        return obj.masked_address
