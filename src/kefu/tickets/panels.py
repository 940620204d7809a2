"""Panels other apps add to the ticket page (callbacks, surveys …) without the ticket page importing them.

An app registers `(template, context_fn)` from its AppConfig.ready(); `context_fn(user, ticket, page)` returns
the panel's context, or None to leave the panel out for this user and ticket. `page` is the ticket page's own
context (form, posted, field_errors), so a panel can show its form's errors the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]
    side: bool = False  # beside the record (aside) or under the actions


_PANELS: list[Panel] = []


def register(template: str, context: Callable[..., dict | None], *, side: bool = False) -> None:
    if not any(p.template == template for p in _PANELS):
        _PANELS.append(Panel(template, context, side))


def panels_for(user, ticket, page: dict) -> tuple[list[dict], list[dict]]:
    """(main panels, side panels): each {"template", "ctx"} with the app's context merged over the page's."""
    main, side = [], []
    for panel in _PANELS:
        ctx = panel.context(user, ticket, page)
        if ctx is not None:
            (side if panel.side else main).append({"template": panel.template, "ctx": ctx})
    return main, side
