from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "kefu.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from kefu.tickets import panels
        from kefu.tickets.loop import loop_panel

        panels.register("tickets/partials/loop_panel.html", loop_panel)
