"""`kefu check --database default` warns about calendars that will soon compute deadlines without holidays."""

from django.core.checks import Tags, Warning, register


@register(Tags.database)
def check_holiday_coverage(app_configs=None, databases=None, **kwargs) -> list[Warning]:
    if not databases:
        return []
    from django.db.utils import DatabaseError

    from kefu.sla.models import BusinessCalendar

    try:
        calendars = list(BusinessCalendar.objects.prefetch_related("overrides"))
    except DatabaseError:  # not migrated yet
        return []
    return [
        Warning(f"Calendar {c.name!r} has no holiday data for {', '.join(map(str, gaps))}: deadlines there "
                f"follow the weekly hours only.",
                hint="Enter the year's statutory holidays and make-up working days (调休) as calendar overrides, "
                     "or upgrade chinesecalendar once it knows the year.",
                obj=c, id="kefu.sla.W001")
        for c in calendars if (gaps := c.holiday_gaps())
    ]
