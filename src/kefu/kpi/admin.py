"""KPI settings in the admin (audited): the first-contact window and the star board's minimums."""

from django.contrib import admin

from kefu.accounts.admin import AuditedAdmin
from kefu.kpi.models import KpiSettings


@admin.register(KpiSettings)
class KpiSettingsAdmin(AuditedAdmin):
    list_display = ["fcr_days", "star_min_evaluations", "star_min_answers"]
