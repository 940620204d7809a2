from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "kefu.sla"
    label = "sla"
    verbose_name = _("Time limits and escalation")

    def ready(self):
        from kefu.sla import checks  # noqa: F401 (registers the system checks)
        from kefu.sla.listener import on_ticket_event, prepare_new_ticket
        from kefu.tickets.events import listen, prepare_new

        prepare_new(prepare_new_ticket)
        listen(on_ticket_event)
