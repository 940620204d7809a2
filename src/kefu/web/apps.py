from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The web shell: base layout, login, navigation, HTMX helpers, saved views."""

    name = "kefu.web"
    label = "web"
    verbose_name = _("Web interface")
    default_auto_field = "django.db.models.BigAutoField"
