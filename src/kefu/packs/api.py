"""Industry pack endpoints: list the installed packs, switch one on or off (administrators)."""

from datetime import datetime

from ninja import Router, Schema

from kefu.api.schemas import ERRORS, UserRef
from kefu.packs import selectors, services

router = Router(tags=["packs"])


class PackOut(Schema):
    code: str
    name: str
    name_en: str
    description: str
    description_en: str
    enabled: bool
    version: int
    changed_at: datetime | None
    changed_by: UserRef | None
    ticket_types: list[str]


class SwitchIn(Schema):
    version: int | None = None


def _one(code: str) -> dict:
    return next(selectors.pack_out(r) for r in selectors.pack_rows() if r["code"] == code)


@router.get("", response={200: list[PackOut], **ERRORS})
def list_packs(request):
    return [selectors.pack_out(r) for r in selectors.pack_rows()]


@router.post("/{code}/enable", response={200: PackOut, **ERRORS})
def enable(request, code: str, payload: SwitchIn):
    """Switch the pack on: its ticket types, screens, panels and reports appear."""
    services.set_pack_enabled(actor=request.auth, code=code, enabled=True, version=payload.version)
    return _one(code)


@router.post("/{code}/disable", response={200: PackOut, **ERRORS})
def disable(request, code: str, payload: SwitchIn):
    """Switch the pack off: hidden, nothing deleted."""
    services.set_pack_enabled(actor=request.auth, code=code, enabled=False, version=payload.version)
    return _one(code)
