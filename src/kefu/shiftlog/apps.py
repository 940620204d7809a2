from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShiftlogConfig(AppConfig):
    name = "kefu.shiftlog"
    verbose_name = _("Shift handover and logs")
