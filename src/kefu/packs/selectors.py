"""Reads of the packs: every installed pack with whether it is on."""

from kefu.packs import registry
from kefu.packs.models import PackState


def pack_rows() -> list[dict]:
    """Each installed pack with its state (one query however many packs)."""
    states = {s.code: s for s in PackState.objects.select_related("changed_by")}
    rows = []
    for pack in registry.all_packs():
        state = states.get(pack.code)
        rows.append({"pack": pack, "code": pack.code, "name": pack.name, "name_en": pack.name_en,
                     "description": pack.description, "description_en": pack.description_en,
                     "enabled": bool(state and state.enabled), "version": state.version if state else 1,
                     "changed_at": state.changed_at if state else None,
                     "changed_by": state.changed_by if state else None,
                     "ticket_types": [t["code"] for t in pack.ticket_types]})
    return rows


def pack_out(row: dict) -> dict:
    """A pack row as the API shows it."""
    from kefu.api.schemas import user_ref

    return {k: row[k] for k in ("code", "name", "name_en", "description", "description_en", "enabled",
                                "version", "changed_at", "ticket_types")} | {"changed_by": user_ref(row["changed_by"])}
