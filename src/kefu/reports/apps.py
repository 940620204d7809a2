from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kefu.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from kefu.reports.facts import CODES, on_ticket_event
        from kefu.tickets.events import listen

        listen(self.label, on_ticket_event, codes=CODES)
