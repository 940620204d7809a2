"""Switching a pack on or off for the center: ticket types created or deactivated, audited, all or nothing."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.accounts.roles import CAN_ADMINISTER
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Conflict, Forbidden, NotFound
from kefu.packs import registry
from kefu.packs.models import PackState
from kefu.packs.state import cache


def require_admin(actor: User | None) -> None:
    """Only administrators switch packs (actor None is the machine's operator)."""
    if actor is not None and actor.role not in CAN_ADMINISTER:
        raise Forbidden(_("Only an administrator may switch industry packs."), code="not_admin")


def load_pack(code: str) -> registry.Pack:
    """The installed pack `code`, or 404 unknown_pack naming the field."""
    pack = registry.get(code)
    if pack is None:
        raise NotFound(_("No such industry pack is installed."), code="unknown_pack", field="code")
    return pack


def _install_types(pack: registry.Pack) -> list[str]:
    """Create the pack's ticket types (with their fields) or re-activate them; answers the codes touched."""
    from kefu.tickets.models import TicketField, TicketType

    for position, spec in enumerate(pack.ticket_types, start=100):
        ticket_type = TicketType.objects.filter(code=spec["code"]).first()
        if ticket_type is None:
            values = {k: v for k, v in spec.items() if k not in ("fields", "code")}
            ticket_type = TicketType.objects.create(code=spec["code"], position=position, **values)
            for field_position, spec_field in enumerate(spec.get("fields", [])):
                TicketField.objects.create(ticket_type=ticket_type, position=field_position, **spec_field)
        elif not ticket_type.active:
            ticket_type.active = True
            ticket_type.save(update_fields=["active"])  # save(): the ticket-type cache listens to signals
    return [spec["code"] for spec in pack.ticket_types]


def _retire_types(pack: registry.Pack) -> list[str]:
    """Deactivate the pack's ticket types: no new tickets of them; tickets, fields and history stay."""
    from kefu.tickets.models import TicketType

    for ticket_type in TicketType.objects.filter(code__in=[s["code"] for s in pack.ticket_types], active=True):
        ticket_type.active = False
        ticket_type.save(update_fields=["active"])
    return [spec["code"] for spec in pack.ticket_types]


@transaction.atomic
def set_pack_enabled(*, actor: User | None, code: str, enabled: bool, version: int | None = None,
                     now: datetime | None = None) -> PackState:
    """Switch pack `code` on or off (409 if `version` is given and stale); ticket types follow; audited."""
    require_admin(actor)
    pack = load_pack(code)
    at = now or timezone.now()
    state, _created = PackState.objects.select_for_update().get_or_create(code=code)
    if version is not None and version != state.version:
        raise Conflict(_("Someone switched this pack since you looked."), code="stale_version", field="version",
                       params={"current_version": state.version})
    if state.enabled == enabled:
        return state
    types = _install_types(pack) if enabled else _retire_types(pack)
    hook = pack.on_enable if enabled else pack.on_disable
    if hook is not None:
        hook(actor=actor, now=at)
    PackState.objects.filter(pk=state.pk).update(enabled=enabled, changed_at=at, changed_by=actor,
                                                 version=F("version") + 1)
    state.refresh_from_db()
    # This process sees the switch at once; other processes when they next compare the version sum.
    cache().invalidate()
    transaction.on_commit(cache().invalidate)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="pack", target_id=code,
           params={"enabled": enabled, "ticket_types": types, "version": state.version})
    return state
