from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemosConfig(AppConfig):
    name = "kefu.memos"
    label = "memos"
    verbose_name = _("Memos")

    def ready(self):
        from kefu.memos.events import MemoEventCode
        from kefu.tickets.events import register_codes

        register_codes(self.label, MemoEventCode)
