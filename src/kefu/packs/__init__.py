"""Industry packs (IN4–IN6 and the others): installable apps switched on per center at run time."""


def is_enabled(code: str) -> bool:
    """Whether the pack `code` is switched on for this center (cached; a switch anywhere shows within seconds)."""
    from kefu.packs.state import enabled_codes

    return code in enabled_codes()


def gated(code: str, fn):
    """Wrap a registry callback (a ticket panel's context, a nav check) so it answers None while `code` is off."""

    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs) if is_enabled(code) else None

    wrapper.__name__ = getattr(fn, "__name__", "gated")
    return wrapper


def require_enabled(code: str) -> None:
    """Refuse (404 pack_disabled) a request to a pack's screen or endpoint while the pack is off."""
    from django.utils.translation import gettext as _

    from kefu.core.errors import NotFound

    if not is_enabled(code):
        raise NotFound(_("This feature is not switched on for the center."), code="pack_disabled",
                       params={"pack": code})
