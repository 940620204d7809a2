"""Tiered gas bills (阶梯气价) in integer fen: tiers by the account's volume this year, price changes by day.

Pure arithmetic, no database: the desk, the demo and the tests hand it the tariffs that apply.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed


@dataclass(frozen=True)
class Line:
    """Part of a bill: a volume priced at one tier of one tariff."""

    start: date
    end: date
    tier: int  # 1-based
    volume: int
    price_fen: int

    @property
    def amount_fen(self) -> int:
        return self.volume * self.price_fen


@dataclass
class Bill:
    lines: list[Line] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def volume(self) -> int:
        return sum(line.volume for line in self.lines)


def clean_tiers(tiers) -> list[list]:
    """[[limit, price_fen], …] with limits rising and only the last one open (None); else 422 naming `tiers`."""
    bad = ValidationFailed(_("Tiers are rising annual volumes with a whole-fen price each; the last has no limit."),
                           code="invalid_tiers", field="tiers")
    if not isinstance(tiers, list | tuple) or not tiers:
        raise bad
    previous = 0
    for index, tier in enumerate(tiers):
        if not isinstance(tier, list | tuple) or len(tier) != 2:
            raise bad
        limit, price = tier
        last = index == len(tiers) - 1
        if not isinstance(price, int) or isinstance(price, bool) or price < 0:
            raise bad
        if last != (limit is None) or (limit is not None and (not isinstance(limit, int) or limit <= previous)):
            raise bad
        previous = limit or previous
    return [list(t) for t in tiers]


def priced(tiers: list, *, start: date, end: date, annual_before: int, volume: int) -> list[Line]:
    """Price `volume` m³ under one tariff, starting at `annual_before` m³ already used this year."""
    lines, used, remaining = [], annual_before, volume
    for number, (limit, price) in enumerate(tiers, start=1):
        if remaining <= 0:
            break
        if limit is not None and used >= limit:
            continue
        part = remaining if limit is None else min(remaining, limit - used)
        lines.append(Line(start, end, number, part, price))
        used += part
        remaining -= part
    return lines


def bill(tariffs: list[tuple[date, list]], *, start: date, end: date, annual_before: int, volume: int) -> Bill:
    """The bill for `volume` m³ used from `start` to `end` (exclusive).

    `tariffs` are (effective_from, tiers) of the account's class, any order. When a price changes inside the
    period the volume is shared by days (按天折算): each part gets floor(volume × days / period days) and the
    last part the rest, so the parts always add up to the volume read."""
    if end <= start:
        raise ValidationFailed(_("The period must end after it starts."), code="invalid_period", field="end")
    ordered = sorted(tariffs, key=lambda t: t[0])
    if not ordered or ordered[0][0] > start:
        raise ValidationFailed(_("No tariff applies on the first day of the period."), code="no_tariff",
                               field="start")
    cuts = [start] + [d for d, _tiers in ordered if start < d < end] + [end]
    total_days, result, used, given = (end - start).days, Bill(), annual_before, 0
    for index, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False)):
        tiers = next(t for d, t in reversed(ordered) if d <= a)
        last = index == len(cuts) - 2
        part = volume - given if last else volume * (b - a).days // total_days
        result.lines.extend(priced(tiers, start=a, end=b, annual_before=used, volume=part))
        used += part
        given += part
    return result


def volume_for_amount(tiers: list, *, annual_before: int, amount_fen: int) -> tuple[int, int]:
    """IC card top-up: the whole m³ an amount buys at the tiers from `annual_before`, and what they cost."""
    used, volume, cost = annual_before, 0, 0
    for limit, price in tiers:
        if limit is not None and used >= limit:
            continue
        room = None if limit is None else limit - used
        affordable = (amount_fen - cost) // price if price else 0
        take = affordable if room is None else min(room, affordable)
        volume, cost, used = volume + take, cost + take * price, used + take
        if room is None or take < room:
            break
    return volume, cost
