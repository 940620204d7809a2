from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacksConfig(AppConfig):
    name = "kefu.packs"
    label = "packs"
    verbose_name = _("Industry packs")
