from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "kefu.quality"
    label = "quality"
    verbose_name = _("Quality inspection")

    def ready(self):
        from kefu.quality import contacts, sources

        contacts.register_source(sources.TicketSource())
        contacts.register_source(sources.CallSource())
