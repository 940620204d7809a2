from django.contrib import admin

from kefu.accounts.admin import AuditedAdmin
from kefu.workforce.models import AgentContract, ShiftSetup, StaffingQueue


@admin.register(StaffingQueue)
class StaffingQueueAdmin(AuditedAdmin):
    list_display = ["code", "name", "interval_minutes", "target_sl", "answer_within_s", "patience_s", "shrinkage"]


@admin.register(ShiftSetup)
class ShiftSetupAdmin(AuditedAdmin):
    list_display = ["name"]


@admin.register(AgentContract)
class AgentContractAdmin(AuditedAdmin):
    list_display = ["user", "days_per_week", "max_hours", "no_nights", "skills"]
    list_select_related = ["user"]
