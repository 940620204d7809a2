from django.contrib import admin

from kefu.core.admin import ReadOnlyAdmin
from kefu.reports.models import CallbackAttempt, CallbackCase, SurveyAnswer


class FactAdmin(ReadOnlyAdmin):
    """Read-only: facts are written only from ticket events (the listener or `kefu reports rebuild`)."""

    show_full_result_count = False
    raw_id_fields = ["ticket"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(CallbackCase)
class CallbackCaseAdmin(FactAdmin):
    list_display = ["first_task", "ticket", "month", "first_due", "state", "agent", "ended_at"]
    list_filter = ["state", "month"]


@admin.register(CallbackAttempt)
class CallbackAttemptAdmin(FactAdmin):
    list_display = ["task", "ticket", "attempt", "reason", "due", "agent", "outcome", "on_time", "outcome_at"]
    list_filter = ["outcome", "reached", "on_time"]


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(FactAdmin):
    list_display = ["response", "ticket", "via", "csat", "nps", "agent", "answered_at"]
    list_filter = ["via", "month"]
