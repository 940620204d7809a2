"""Panels other apps add to the customer page (the tickets from every channel, an industry pack's accounts …).

An app registers `(template, context_fn)` from its AppConfig.ready(); `context_fn(user, customer)` returns the
panel's context, or None to leave the panel out for this user and customer.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]


_PANELS: list[Panel] = []


def register(template: str, context: Callable[..., dict | None]) -> None:
    if not any(p.template == template for p in _PANELS):
        _PANELS.append(Panel(template, context))


def panels_for(user, customer) -> list[dict]:
    """Each shown panel as {"template", "ctx"}."""
    shown = []
    for panel in _PANELS:
        ctx = panel.context(user, customer)
        if ctx is not None:
            shown.append({"template": panel.template, "ctx": ctx})
    return shown


_DETAILS: list[Callable[..., dict]] = []


def register_detail(fn: Callable[..., dict]) -> None:
    """Figures another app adds to a customer's API detail: `fn(user, customer)` returns a dict of them."""
    if fn not in _DETAILS:
        _DETAILS.append(fn)


def details_for(user, customer) -> dict:
    found: dict = {}
    for fn in _DETAILS:
        found.update(fn(user, customer))
    return found
