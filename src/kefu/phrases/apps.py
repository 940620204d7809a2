from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhrasesConfig(AppConfig):
    name = "kefu.phrases"
    label = "phrases"
    verbose_name = _("Scripts and quick phrases")
