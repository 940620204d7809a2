"""Checks shared by the utility pack's services."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.accounts.roles import CAN_HANDLE_TICKETS, CAN_SUPERVISE, Role
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.packs import require_enabled
from kefu.utility import PACK


def require_pack() -> None:
    """Every write of the pack is refused (404 pack_disabled) while the pack is switched off."""
    require_enabled(PACK)


def require_office(actor: User | None) -> None:
    """Accounts, meters, arrears and the desk are kept by the center's service staff (not QA, not readers)."""
    require_pack()
    if actor is not None and (actor.role not in CAN_HANDLE_TICKETS or actor.role == Role.FIELD_CREW):
        raise Forbidden(_("Your role does not keep utility accounts."), code="not_office_staff")


def require_supervisor(actor: User | None) -> None:
    """Routes, targets and reminder runs are set up by team leads and above."""
    require_pack()
    if actor is not None and actor.role not in CAN_SUPERVISE:
        raise Forbidden(_("Only a team lead or above may do this."), code="not_supervisor")


def load(model, actor: User | None, pk: int, *, field: str):
    """One row the actor may see, or 404 naming the field."""
    row = model.objects.visible_to(actor).filter(pk=pk).first() if actor is not None else \
        model.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(_("Not found."), code="not_found", field=field)
    return row


def bump(row, version: int | None, changes: dict) -> None:
    """Write `changes` if the row is still at `version` (409 stale_version otherwise); version None: append-only."""
    qs = type(row).objects.filter(pk=row.pk)
    if version is not None:
        qs = qs.filter(version=version)
    if not qs.update(version=F("version") + 1, **changes):
        raise Conflict(_("Someone changed this since you read it."), code="stale_version", field="version",
                       params={"current_version": type(row).objects.filter(pk=row.pk).values_list(
                           "version", flat=True).first()})
    for key, value in changes.items():
        setattr(row, key, value)
    row.version = (version or row.version) + 1


def positive_fen(value, *, field: str) -> int:
    """A whole, positive amount of fen; else 422 naming the field."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValidationFailed(_("Enter an amount above zero, in fen."), code="invalid_amount", field=field)
    return value
