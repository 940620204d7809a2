"""Setting up chat: widgets (what a company embeds) and each team's routing settings; administrators only."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Team, User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.chat.models import ChatQueue, Widget
from kefu.core.errors import Forbidden, ValidationFailed


def _require_admin(actor: User | None) -> None:
    if actor is not None and not actor.can_administer():
        raise Forbidden(_("Only an administrator can set up chat."), code="not_admin")


def clean_origins(origins: list[str]) -> list[str]:
    """Each origin as scheme://host[:port], no path; refused naming the field when malformed."""
    out = []
    for origin in origins:
        origin = origin.strip().rstrip("/")
        if not origin:
            continue
        scheme, _sep, rest = origin.partition("://")
        if scheme not in ("http", "https") or not rest or "/" in rest or " " in rest:
            raise ValidationFailed(_("Write each site as https://www.example.com (no path)."), code="invalid_origin",
                                   field="allowed_origins", params={"value": origin[:100]})
        out.append(origin)
    return out


@transaction.atomic
def create_widget(*, actor: User | None, name: str, team_id: int, origins: list[str], assistant: bool = True,
                  calendar_id: int | None = None, skills: list[str] | None = None) -> Widget:
    """Create a chat widget queueing to a team; returns it with its public key."""
    _require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A widget needs a name."), code="required", field="name")
    team = Team.objects.filter(pk=team_id, is_field_crew=False).first()
    if team is None:
        raise ValidationFailed(_("No such team."), code="unknown_team", field="team_id")
    widget = Widget.objects.create(name=name[:100], team=team, allowed_origins="\n".join(clean_origins(origins)),
                                   assistant=assistant, calendar_id=calendar_id,
                                   skills=sorted({s.strip().lower() for s in skills or [] if s.strip()}))
    ChatQueue.objects.get_or_create(team=team)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="chat_widget", target_id=widget.pk,
           params={"op": "create", "team": team.pk, "assistant": assistant, "origins": len(widget.origins())})
    return widget
