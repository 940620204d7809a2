from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    name = "kefu.callbacks"
    label = "callbacks"
    verbose_name = _("Callbacks")

    def ready(self):
        from kefu.callbacks import timeline  # noqa: F401 — registers the timeline lines of callback events
        from kefu.callbacks.listener import on_ticket_event
        from kefu.callbacks.panel import callback_panel
        from kefu.tickets import panels
        from kefu.tickets.events import listen

        listen(on_ticket_event)
        panels.register("callbacks/partials/ticket_panel.html", callback_panel, side=True)
