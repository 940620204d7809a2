"""Panels other apps add to the ticket page (time limits, phrases, callbacks, surveys …) without the ticket page
importing them: tickets sits below every app that extends it.

An app registers `(template, context_fn)` from its AppConfig.ready(); `context_fn(user, ticket, page)` returns
the panel's context, or None to leave the panel out for this user and ticket. `page` is the ticket page's own
context (form, posted, field_errors, can_handle …), so a panel can show its form's errors the same way. The
template gets the panel's context as `ctx`.

Slots, where the ticket page shows a panel: MAIN under the actions, SIDE_TOP at the top of the aside (before the
customer panel), SIDE after it, and REPLY inside the reply form (quick phrases).
"""

from collections.abc import Callable
from dataclasses import dataclass

MAIN, SIDE_TOP, SIDE, REPLY = "main", "side_top", "side", "reply"
SLOTS = (MAIN, SIDE_TOP, SIDE, REPLY)


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]
    slot: str = MAIN

    @property
    def side(self) -> bool:
        return self.slot in (SIDE_TOP, SIDE)


_PANELS: list[Panel] = []


def register(template: str, context: Callable[..., dict | None], *, side: bool = False,
             slot: str | None = None) -> None:
    """Show `template` on every ticket page where `context` answers a dict; `side=True` is slot SIDE."""
    slot = slot or (SIDE if side else MAIN)
    if slot not in SLOTS:
        raise ValueError(f"Unknown ticket page slot {slot!r}: one of {SLOTS}.")
    if not any(p.template == template for p in _PANELS):
        _PANELS.append(Panel(template, context, slot))


def slotted(user, ticket, page: dict) -> dict[str, list[dict]]:
    """Every slot's panels for this user and ticket: {slot: [{"template", "ctx"}]}, in registration order."""
    found: dict[str, list[dict]] = {slot: [] for slot in SLOTS}
    for panel in _PANELS:
        ctx = panel.context(user, ticket, page)
        if ctx is not None:
            found[panel.slot].append({"template": panel.template, "ctx": ctx})
    return found


def panels_for(user, ticket, page: dict) -> tuple[list[dict], list[dict]]:
    """(main panels, side panels after the customer panel), as the ticket page shows them."""
    found = slotted(user, ticket, page)
    return found[MAIN], found[SIDE]
