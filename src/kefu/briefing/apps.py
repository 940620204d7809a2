from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingConfig(AppConfig):
    name = "kefu.briefing"
    label = "briefing"
    verbose_name = _("Daily briefing")
