from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "kefu.channels"
    label = "channels"
    verbose_name = _("Channels")

    def ready(self):
        from kefu.channels.panel import mail_panel
        from kefu.tickets import panels

        panels.register("channels/partials/ticket_panel.html", mail_panel)
