"""Every change to scripts and quick phrases, and filling one in for a ticket."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Team, User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import ValidationFailed
from kefu.core.store import load_visible, save_versioned, stale
from kefu.knowledge.access import require_knowledge_manager
from kefu.phrases.models import Phrase, PhraseKind
from kefu.phrases.placeholders import clean_placeholders, fill
from kefu.tickets.models import Ticket, TicketType


@dataclass
class PhraseInput:
    title: str
    body: str
    kind: str = PhraseKind.STANDARD
    team_id: int | None = None
    ticket_type: str | None = None  # the type's code; None = every type
    position: int = 0
    active: bool = True


def _clean(data: PhraseInput) -> dict:
    title = (data.title or "").strip()
    if not title:
        raise ValidationFailed(_("This field is required."), code="required", field="title")
    if len(title) > Phrase._meta.get_field("title").max_length:
        raise ValidationFailed(_("The title is too long."), code="too_long", field="title")
    body = (data.body or "").strip()
    if not body:
        raise ValidationFailed(_("This field is required."), code="required", field="body")
    if len(body) > 2000:
        raise ValidationFailed(_("A phrase is at most 2000 characters."), code="too_long", field="body")
    clean_placeholders(body)
    if data.kind not in PhraseKind.values:
        raise ValidationFailed(_("Unknown kind."), code="invalid_choice", field="kind")
    team = None
    if data.team_id is not None:
        team = Team.objects.filter(pk=data.team_id).first()
        if team is None:
            raise ValidationFailed(_("No such team."), code="unknown_team", field="team_id")
    ticket_type = None
    if data.ticket_type:
        ticket_type = TicketType.objects.filter(code=data.ticket_type).first()
        if ticket_type is None:
            raise ValidationFailed(_("No such ticket type."), code="unknown_type", field="ticket_type")
    if not 0 <= int(data.position) <= 32767:
        raise ValidationFailed(_("The position is out of range."), code="invalid", field="position")
    return {"title": title, "body": body, "kind": data.kind, "team": team, "ticket_type": ticket_type,
            "position": int(data.position), "active": bool(data.active)}


@transaction.atomic
def create_phrase(*, actor: User | None, data: PhraseInput, now: datetime | None = None) -> Phrase:
    """Add a phrase; unknown placeholders are refused with a field error."""
    require_knowledge_manager(actor)
    clean = _clean(data)
    at = now or timezone.now()
    phrase = Phrase.objects.create(**clean, updated_by=actor, created_at=at, updated_at=at)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="phrase", target_id=phrase.pk,
           params={"op": "created", "kind": phrase.kind})
    return phrase


def load_phrase(actor: User | None, phrase_id: int) -> Phrase:
    return load_visible(
        Phrase.objects.select_related("team", "ticket_type"),
        actor, phrase_id, message=_("No such phrase."), field="phrase_id")


@transaction.atomic(durable=True)
def update_phrase(*, actor: User | None, phrase_id: int, version: int, data: PhraseInput,
                  now: datetime | None = None) -> Phrase:
    """Change a phrase (text, kind, scope, order, active) if nobody changed it since `version`."""
    require_knowledge_manager(actor)
    phrase = load_phrase(actor, phrase_id)
    clean = _clean(data)
    changed = sorted(k for k, v in clean.items() if getattr(phrase, k) != v)
    save_versioned(phrase, version, {"updated_by": actor, "updated_at": now or timezone.now(), **clean},
                   conflict=stale(_("Someone else changed this phrase since you opened it. Reload and try again.")))
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="phrase", target_id=phrase.pk,
           params={"op": "changed", "fields": changed})
    phrase.refresh_from_db()
    return phrase


@transaction.atomic(durable=True)
def delete_phrase(*, actor: User | None, phrase_id: int) -> None:
    """Remove a phrase for good (deactivate it instead to keep it for later)."""
    require_knowledge_manager(actor)
    phrase = load_phrase(actor, phrase_id)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="phrase", target_id=phrase.pk,
           params={"op": "deleted", "kind": phrase.kind})
    phrase.delete()


def render_phrase(*, actor: User, phrase_id: int, ticket: Ticket | None = None) -> dict:
    """The phrase filled in for this agent and ticket: {text, missing, sensitive}. Changes nothing.

    The caller passes a ticket it loaded through visible_to(actor); a phrase the actor may not use is 404."""
    return render_loaded(actor=actor, phrase=load_phrase(actor, phrase_id), ticket=ticket)


def render_loaded(*, actor: User, phrase: Phrase, ticket: Ticket | None = None) -> dict:
    """render_phrase for a phrase already read through phrases_for() (the picker lists many at once)."""
    text, missing = fill(phrase.body, actor=actor, ticket=ticket)
    return {"id": phrase.pk, "kind": phrase.kind, "title": phrase.title, "text": text, "missing": missing,
            "sensitive": phrase.is_sensitive}
