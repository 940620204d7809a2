"""The packs this deployment has installed. A pack registers itself from its AppConfig.ready().

The core knows nothing about any pack: it offers registries (menu, ticket panels, this one) and a pack fills
them. Whether a pack is switched on for the center is `kefu.packs.is_enabled(code)`, read at run time.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pack:
    """An installable industry pack: its name in both languages and what it adds when switched on."""

    code: str
    name: str
    name_en: str
    description: str = ""
    description_en: str = ""
    # Ticket types the pack adds, in the shape of kefu.tickets.defaults.DEFAULT_TYPES (with their fields):
    # created or re-activated when the pack is switched on, deactivated (never deleted) when it is off.
    ticket_types: tuple[dict, ...] = ()
    # Called inside the switch's transaction with (actor=, now=) for setup beyond ticket types.
    on_enable: Callable[..., None] | None = None
    on_disable: Callable[..., None] | None = None
    # Demo content: demo(center=, customers=, now=) -> {"what": count}; run only while the pack is on.
    demo: Callable[..., dict] | None = None
    # Report pages: url names shown on the packs' report list only while the pack is on.
    reports: tuple[tuple[str, str], ...] = field(default=())


_PACKS: dict[str, Pack] = {}


def register(pack: Pack) -> Pack:
    """Add a pack (idempotent for the same code, so a re-run of ready() is harmless)."""
    _PACKS[pack.code] = pack
    return pack


def get(code: str) -> Pack | None:
    return _PACKS.get(code)


def all_packs() -> list[Pack]:
    """Installed packs in code order (stable for the menu, the API and the CLI)."""
    return [_PACKS[code] for code in sorted(_PACKS)]


def unregister(code: str) -> None:
    """Remove a pack (tests that register a pack of their own take it away again)."""
    _PACKS.pop(code, None)
