from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "kefu.chat"
    label = "chat"
    verbose_name = _("Web chat")

    def ready(self):
        from kefu.chat import panel, shifts
        from kefu.chat.services import routing
        from kefu.presence.services import on_change
        from kefu.tickets.panels import register

        on_change(routing.on_presence_change)
        register("chat/partials/ticket_panel.html", panel.context, side=True)
        shifts.register()
