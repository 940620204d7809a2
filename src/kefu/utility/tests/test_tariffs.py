"""Bills computed by hand: across a tier boundary, with a price change inside the period, and IC top-ups."""

from datetime import date

import pytest

from kefu.core.errors import ValidationFailed
from kefu.utility.tariffs import bill, clean_tiers, volume_for_amount

OLD = [[350, 263], [500, 283], [None, 395]]  # 2.63 / 2.83 / 3.95 元 per m³
NEW = [[350, 280], [500, 300], [None, 420]]


def test_a_bill_across_the_first_tier_boundary():
    # 340 m³ used this year, 30 more: 10 × 2.63 + 20 × 2.83 = 26.30 + 56.60 = 82.90 元
    result = bill([(date(2026, 1, 1), OLD)], start=date(2026, 11, 1), end=date(2026, 12, 1),
                  annual_before=340, volume=30)
    assert [(line.tier, line.volume, line.amount_fen) for line in result.lines] == [(1, 10, 2630), (2, 20, 5660)]
    assert result.total_fen == 8290


def test_a_price_change_in_the_middle_of_the_period_is_shared_by_days():
    # Nov has 30 days; new prices from the 16th: 15 days each, 15 m³ each.
    # Old part: 10 × 2.63 + 5 × 2.83 = 40.45; new part from 355 m³: 15 × 3.00 = 45.00; total 85.45 元.
    result = bill([(date(2026, 1, 1), OLD), (date(2026, 11, 16), NEW)], start=date(2026, 11, 1),
                  end=date(2026, 12, 1), annual_before=340, volume=30)
    assert [(line.start.day, line.tier, line.volume, line.price_fen) for line in result.lines] == [
        (1, 1, 10, 263), (1, 2, 5, 283), (16, 2, 15, 300)]
    assert result.total_fen == 8545
    assert result.volume == 30


def test_uneven_days_give_the_remainder_to_the_last_part():
    # 31 days, change on the 11th: 10/31 of 100 m³ is 32.26 → 32 old, 68 new; all in tier 1.
    result = bill([(date(2026, 1, 1), OLD), (date(2026, 1, 11), NEW)], start=date(2026, 1, 1),
                  end=date(2026, 2, 1), annual_before=0, volume=100)
    assert [(line.volume, line.price_fen) for line in result.lines] == [(32, 263), (68, 280)]
    assert result.total_fen == 32 * 263 + 68 * 280


def test_a_period_before_any_tariff_is_refused():
    with pytest.raises(ValidationFailed) as info:
        bill([(date(2026, 6, 1), OLD)], start=date(2026, 5, 1), end=date(2026, 6, 1), annual_before=0, volume=1)
    assert info.value.code == "no_tariff"


def test_ic_top_up_buys_whole_cubic_metres_across_a_tier():
    # 345 used; 100 元: 5 × 2.63 = 13.15, then 86.85 / 2.83 = 30 m³ (84.90); 35 m³ for 98.05 元.
    assert volume_for_amount(OLD, annual_before=345, amount_fen=10000) == (35, 9805)


@pytest.mark.parametrize("tiers", [[], [[100, 263]], [[None, 263], [200, 300]], [[300, 263], [200, 280],
                                                                                  [None, 300]], [[100, 2.63]]])
def test_malformed_tiers_are_refused(tiers):
    with pytest.raises(ValidationFailed) as info:
        clean_tiers(tiers)
    assert info.value.field == "tiers"
