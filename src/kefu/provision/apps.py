from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisionConfig(AppConfig):
    """Center setup as a document: export, plan and apply departments, teams, calendars, types, SLA, callbacks."""

    name = "kefu.provision"
    label = "provision"
    verbose_name = _("Center setup")
