"""Reading scripts and quick phrases."""

from django.db.models import Q

from kefu.phrases.models import Phrase
from kefu.tickets.models import TicketType


def phrases_for(user, ticket_type: TicketType | str | int | None = None, *, kind: str | None = None) -> list[Phrase]:
    """The phrases an agent may insert: center-wide and own team, for every type or this ticket type."""
    qs = Phrase.objects.visible_to(user).select_related("team", "ticket_type").filter(active=True)
    # For inserting, everyone (managers too) gets the center-wide phrases and those of their own team.
    own_team = Q(team__isnull=True) | Q(team_id=user.team_id) if user.team_id else Q(team__isnull=True)
    qs = qs.filter(own_team)
    if ticket_type is not None:
        if isinstance(ticket_type, TicketType):
            type_q = Q(ticket_type_id=ticket_type.pk)
        elif isinstance(ticket_type, int):
            type_q = Q(ticket_type_id=ticket_type)
        else:
            type_q = Q(ticket_type__code=ticket_type)
        qs = qs.filter(Q(ticket_type__isnull=True) | type_q)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("kind", "position", "id")[:500])


def manage_phrases(user, *, team_id: int | None = None, kind: str | None = None) -> list[Phrase]:
    """Every phrase the user may see, active or not, for the management page."""
    qs = Phrase.objects.visible_to(user).select_related("team", "ticket_type")
    if team_id:
        qs = qs.filter(team_id=team_id)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("kind", "position", "id")[:1000])


def phrase_out(phrase: Phrase) -> dict:
    return {
        "id": phrase.pk, "title": phrase.title, "kind": phrase.kind, "kind_label": str(phrase.get_kind_display()),
        "body": phrase.body, "sensitive": phrase.is_sensitive,
        "team": {"id": phrase.team.pk, "name": phrase.team.name} if phrase.team_id else None,
        "ticket_type": phrase.ticket_type.code if phrase.ticket_type_id else None,
        "position": phrase.position, "active": phrase.active, "version": phrase.version,
        "updated_at": phrase.updated_at,
    }


def phrases_for_ticket(user, ticket) -> list[dict]:
    """The phrases an agent may insert on this ticket, filled in ({text, title, sensitive, missing, …})."""
    from kefu.phrases.services import render_loaded

    return [render_loaded(actor=user, phrase=p, ticket=ticket) for p in phrases_for(user, ticket.ticket_type)]
