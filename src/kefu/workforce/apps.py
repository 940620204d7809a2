from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    """Workforce management: volume forecast, Erlang staffing and weekly shift schedules (排班) (WF1–WF3)."""

    name = "kefu.workforce"
    label = "workforce"
    verbose_name = _("Workforce")
    default_auto_field = "django.db.models.BigAutoField"
