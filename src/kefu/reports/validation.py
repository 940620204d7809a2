"""Checking report input shared by the API, the page and the CSV export; each refusal names its field."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed

GROUPS = ("agent", "team", "type", "month")
# The default period: the current local month and the five before it.
DEFAULT_MONTHS = 6
# Longer periods are not reports but mistakes, and years 1 or 9999 overflow the time zone arithmetic.
MAX_DAYS = 3660


@dataclass(frozen=True)
class ReportFilters:
    """A period of local dates (both ends included) and optional team and ticket type."""

    start: date
    end: date
    team_id: int | None = None
    type_id: int | None = None
    type_code: str = ""


def clean_group(value: str | None) -> str:
    value = (value or "agent").strip()
    if value not in GROUPS:
        raise ValidationFailed(_("Group by agent, team, type or month."), code="invalid_choice", field="group",
                               params={"choices": list(GROUPS)})
    return value


def clean_date(value: str | None, field: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), code="invalid", field=field) from None
    if not 1900 <= day.year <= 2999:
        raise ValidationFailed(_("Enter a date between 1900 and 2999."), code="out_of_range", field=field)
    return day


def months_before(day: date, months: int) -> date:
    """The first day of the month `months` before the month of `day`."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def clean_team(value) -> int | None:
    from kefu.accounts.models import Team

    value = str(value if value is not None else "").strip()
    if not value:
        return None
    if not value.isdigit() or not Team.objects.filter(pk=int(value)).exists():
        raise ValidationFailed(_("No such team."), code="unknown_team", field="team")
    return int(value)


def clean_type(value: str | None) -> tuple[int | None, str]:
    from kefu.tickets.models import TicketType

    value = (value or "").strip()
    if not value:
        return None, ""
    type_id = TicketType.objects.filter(code=value).values_list("pk", flat=True).first()
    if type_id is None:
        raise ValidationFailed(_("Unknown ticket type."), code="unknown_type", field="type")
    return type_id, value


def clean_filters(*, start=None, end=None, team=None, type=None, today: date) -> ReportFilters:  # noqa: A002
    """The period defaults to the last six local months up to today; the end may not be before the start."""
    start_day, end_day = clean_date(start, "start"), clean_date(end, "end")
    end_day = end_day or today
    start_day = start_day or months_before(end_day, DEFAULT_MONTHS - 1)
    if end_day < start_day:
        raise ValidationFailed(_("The end date is before the start date."), code="end_before_start", field="end")
    if (end_day - start_day).days > MAX_DAYS:
        raise ValidationFailed(_("Choose a period of at most ten years."), code="range_too_long", field="start")
    type_id, type_code = clean_type(type)
    return ReportFilters(start=start_day, end=end_day, team_id=clean_team(team), type_id=type_id,
                         type_code=type_code)
