"""Training setup edited in the admin (audited): onboarding plans and which QA deduction assigns which course."""

from django.contrib import admin

from kefu.accounts.admin import AuditedAdmin
from kefu.training.models import OnboardingPlan, QaCourse


@admin.register(OnboardingPlan)
class OnboardingPlanAdmin(AuditedAdmin):
    list_display = ["name", "days"]
    filter_horizontal = ["courses", "exams"]


@admin.register(QaCourse)
class QaCourseAdmin(AuditedAdmin):
    list_display = ["item_code", "course"]
