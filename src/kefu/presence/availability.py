"""Who may be given work right now beyond their presence: a registry other apps fill.

The workforce app (rosters, leave) registers a predicate here once it exists; the router never picks an
agent any predicate rules out. A predicate takes a list of user ids and the moment, and returns the ids that
are NOT available (off shift, on leave), so a check costs one query for the whole team, not one per agent."""

from collections.abc import Callable, Iterable
from datetime import datetime

Predicate = Callable[[list[int], datetime], Iterable[int]]

_PREDICATES: list[tuple[str, Predicate]] = []


def register(name: str, predicate: Predicate) -> None:
    """Add a predicate once under `name` (an app's ready() may run twice in tests)."""
    if not any(n == name for n, _p in _PREDICATES):
        _PREDICATES.append((name, predicate))


def unregister(name: str) -> None:
    _PREDICATES[:] = [(n, p) for n, p in _PREDICATES if n != name]


def unavailable(user_ids: list[int], at: datetime) -> set[int]:
    """The ids among `user_ids` that some registered predicate rules out at `at`."""
    out: set[int] = set()
    if not user_ids:
        return out
    for _name, predicate in _PREDICATES:
        out.update(predicate(user_ids, at))
    return out
