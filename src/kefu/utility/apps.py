from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UtilityConfig(AppConfig):
    name = "kefu.utility"
    label = "utility"
    verbose_name = _("Utility pack")

    def ready(self):
        from kefu.utility import pack

        pack.install()
