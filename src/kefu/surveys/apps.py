from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "kefu.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from kefu.surveys import describers  # noqa: F401  (registers the timeline lines of survey events)
        from kefu.surveys.events import SurveyEventCode
        from kefu.surveys.panel import survey_panel
        from kefu.tickets import panels
        from kefu.tickets.events import register_codes

        register_codes(self.label, SurveyEventCode)

        panels.register("surveys/partials/ticket_panel.html", survey_panel, side=True)
