from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterpriseConfig(AppConfig):
    name = "kefu.enterprise"
    label = "enterprise"
    verbose_name = _("Enterprise customers")

    def ready(self):
        from kefu.enterprise import pack

        pack.install()
