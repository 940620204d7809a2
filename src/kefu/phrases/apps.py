from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhrasesConfig(AppConfig):
    name = "kefu.phrases"
    label = "phrases"
    verbose_name = _("Scripts and quick phrases")

    def ready(self):
        from kefu.phrases.panels import reply_phrases
        from kefu.tickets import panels

        panels.register("phrases/partials/ticket_phrases.html", reply_phrases, slot=panels.REPLY)
