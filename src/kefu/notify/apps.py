from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "kefu.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self):
        from kefu.notify import checks  # noqa: F401  (registers the system checks)
        from kefu.notify.listener import CODES, on_ticket_event
        from kefu.tickets.events import listen

        listen(self.label, on_ticket_event, codes=CODES)
