"""Checking search input shared by the API and the search page; each refusal names its field."""

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed
from kefu.search.models import Kind

MAX_QUERY = 200


def clean_query(q: str | None) -> str:
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        raise ValidationFailed(_("The search text is longer than 200 characters."), code="too_long", field="q")
    return q


def clean_kinds(kinds: list[str] | None) -> list[str] | None:
    """ticket, customer, article — several may be given; none means all."""
    kinds = [k for k in (kinds or []) if k]
    for kind in kinds:
        if kind not in Kind.values:
            raise ValidationFailed(_("Unknown kind of result."), code="invalid_choice", field="kind",
                                   params={"choices": list(Kind.values)})
    return kinds or None


def clean_ticket_type(code: str | None) -> int | None:
    if not code:
        return None
    from kefu.tickets.models import TicketType

    type_id = TicketType.objects.filter(code=code).values_list("pk", flat=True).first()
    if type_id is None:
        raise ValidationFailed(_("Unknown ticket type."), code="unknown_type", field="type")
    return type_id
