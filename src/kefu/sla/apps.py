from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "kefu.sla"
    label = "sla"
    verbose_name = _("Time limits and escalation")

    def ready(self):
        from kefu.sla import (
            checks,  # noqa: F401 (registers the system checks)
            timeline,  # noqa: F401 (registers the timeline lines of SLA events)
        )
        from kefu.sla.events import SlaEventCode
        from kefu.sla.listener import CODES, on_ticket_event, prepare_new_ticket
        from kefu.tickets.events import listen, prepare_new, register_codes

        register_codes(self.label, SlaEventCode)
        prepare_new(prepare_new_ticket)
        listen(self.label, on_ticket_event, codes=CODES)
