from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "kefu.training"
    label = "training"
    verbose_name = _("Training and exams")

    def ready(self):
        from kefu.briefing import sources as briefing_sources
        from kefu.quality.services.common import listen
        from kefu.training import briefing, listener

        listen(listener.on_quality_event)
        briefing_sources.register(briefing.yesterday_items)
