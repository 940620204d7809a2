from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CtiConfig(AppConfig):
    """Telephony events (CTI) and the screen pop they cause in the agent's browser (CH1)."""

    name = "kefu.cti"
    label = "cti"
    verbose_name = _("Telephony")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kefu.cti.listener import CODES, on_ticket_event, prefill_from_call
        from kefu.tickets.events import listen
        from kefu.tickets.views.create import register_prefill

        listen(self.label, on_ticket_event, codes=CODES)
        register_prefill(prefill_from_call)
