from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CtiConfig(AppConfig):
    """Telephony events (CTI) and the screen pop they cause in the agent's browser (CH1)."""

    name = "kefu.cti"
    label = "cti"
    verbose_name = _("Telephony")
    default_auto_field = "django.db.models.BigAutoField"
