from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    name = "kefu.callbacks"
    label = "callbacks"
    verbose_name = _("Callbacks")

    def ready(self):
        from kefu.callbacks import timeline  # noqa: F401 — registers the timeline lines of callback events
        from kefu.callbacks.events import CallbackEventCode
        from kefu.callbacks.listener import CODES, on_ticket_event
        from kefu.callbacks.panel import callback_panel
        from kefu.tickets import panels
        from kefu.tickets.events import listen, register_codes

        register_codes(self.label, CallbackEventCode)
        listen(self.label, on_ticket_event, codes=CODES)
        panels.register("callbacks/partials/ticket_panel.html", callback_panel, side=True)
