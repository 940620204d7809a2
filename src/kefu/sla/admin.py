from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kefu.accounts.admin import AuditedAdmin
from kefu.sla.models import BusinessCalendar, CalendarOverride, EscalationRung, SlaPolicy, TicketClock


class OverrideInline(admin.TabularInline):
    model = CalendarOverride
    extra = 1


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(AuditedAdmin):
    """Calendars: hours per weekday as JSON {"0": "09:00-12:00,13:00-18:00", …}; dates below override them."""

    list_display = ["name", "time_zone", "always_open", "cn_holidays", "missing_holiday_years"]
    inlines = [OverrideInline]

    @admin.display(description=_("years without holiday data"))
    def missing_holiday_years(self, obj):
        # Visible, never a silent guess: deadlines in these years follow the weekly hours only.
        return ", ".join(str(y) for y in obj.holiday_gaps()) or "—"


class RungInline(admin.TabularInline):
    model = EscalationRung
    extra = 0


@admin.register(SlaPolicy)
class SlaPolicyAdmin(AuditedAdmin):
    list_display = ["name", "position", "active", "ticket_type", "priority", "channel", "tier", "first_response",
                    "resolution", "callback", "calendar"]
    list_editable = ["position", "active"]
    inlines = [RungInline]


@admin.register(TicketClock)
class TicketClockAdmin(admin.ModelAdmin):
    """Read-only: clocks follow their tickets."""

    list_display = ["ticket", "kind", "state", "due_at", "breached_at", "escalation_level", "next_check_at"]
    list_filter = ["kind", "state"]
    raw_id_fields = ["ticket"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
