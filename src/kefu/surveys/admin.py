from django.contrib import admin

from kefu.core.admin import ReadOnlyAdmin
from kefu.surveys.models import Invitation, Question, Questionnaire, Response


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "text", "text_en", "kind", "required", "role", "choices"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdmin):
    list_display = ["title", "title_en", "active", "created_at", "updated_at"]
    list_filter = ["active"]
    search_fields = ["title", "title_en"]
    inlines = [QuestionInline]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["id", "questionnaire", "via", "ticket", "agent", "csat", "nps", "created_at"]
    list_filter = ["via", "questionnaire"]
    list_select_related = ["questionnaire", "ticket", "agent"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["id", "questionnaire", "ticket", "channel", "created_at", "expires_at", "answered_at"]
    list_filter = ["channel"]
    list_select_related = ["questionnaire", "ticket"]
    exclude = ["token_hash"]
