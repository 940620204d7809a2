"""Items other apps add to a new briefing (QA deductions, exam results …) without the briefing importing them.

An app registers `fn(day) -> [(kind, text, count)]` from its AppConfig.ready(); `kind` is an ItemKind value.
prepare_briefing() appends every source's items after yesterday's hot issues and the open memos.
"""

from collections.abc import Callable
from datetime import date

_SOURCES: list[Callable[[date], list[tuple[str, str, int | None]]]] = []


def register(fn: Callable[[date], list[tuple[str, str, int | None]]]) -> None:
    if fn not in _SOURCES:
        _SOURCES.append(fn)


def items_for(day: date) -> list[tuple[str, str, int | None]]:
    return [item for fn in _SOURCES for item in fn(day)]
