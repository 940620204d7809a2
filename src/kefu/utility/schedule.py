"""When a route is read: its days of the month, moved off closed days by the business calendar (SL2).

Commercial routes are read monthly on the 22nd–23rd (000 抄表管理制度 §5), residential routes monthly, indoor
meters quarterly in the last month of each quarter. A reading day that falls on a closed day of the route's
calendar (a holiday, a weekend) moves to the next open day of the same month, or back if none is left.
"""

from datetime import date, timedelta

from kefu.utility.models import ReadClass, Route

QUARTER_MONTHS = (3, 6, 9, 12)


def due_in(read_class: str, month: date) -> bool:
    """Whether meters of this class are due to be read in the month of `month`."""
    return read_class != ReadClass.INDOOR or month.month in QUARTER_MONTHS


def _open(calendar, day: date) -> bool:
    return calendar is None or bool(calendar.blocks_on(day))


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def reading_days(route: Route, month: date, calendar=None) -> list[date]:
    """The open days the route is read in `month` (empty when its class is not due that month)."""
    first = month.replace(day=1)
    if not due_in(route.read_class, first):
        return []
    last = _month_end(first)
    days = []
    for number in range(route.first_day, route.last_day + 1):
        day = first.replace(day=number)
        moved = day
        while moved <= last and not _open(calendar, moved):
            moved += timedelta(days=1)
        if moved > last:  # nothing open after it this month: the last open day before it
            moved = day
            while moved >= first and not _open(calendar, moved):
                moved -= timedelta(days=1)
        if first <= moved <= last and moved not in days:
            days.append(moved)
    return sorted(days)


def calendar_of(route: Route):
    """The route's business calendar ready for arithmetic, or None (every day open)."""
    if route.calendar_id is None:
        return None
    from kefu.sla.policies import calendar_for

    return calendar_for(route.calendar_id)
