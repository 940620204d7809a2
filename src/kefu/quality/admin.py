"""Quality setup in the admin, read-only: scorecards change through save_scorecard (a new version each time)
and evaluations only through scoring and appeals, so both are shown but not edited here."""

from django.contrib import admin

from kefu.quality.models import Evaluation, Scorecard, ScorecardVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ["name", "active", "current"]


@admin.register(ScorecardVersion)
class ScorecardVersionAdmin(ReadOnlyAdmin):
    list_display = ["scorecard", "number", "created_at", "created_by"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["contact", "agent", "inspector", "score", "status", "scored_at"]
    list_select_related = ["contact", "agent", "inspector"]
