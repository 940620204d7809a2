"""The world's gas utility: the pack switched on, two routes, accounts with meters, this year's tariffs."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")
RESIDENTIAL = [[350, 263], [500, 283], [None, 395]]


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=TZ)


@dataclass
class Utility:
    route: object  # residential, read by world.fieldman
    commercial_route: object
    home: object  # world.customer's residential account
    meter: object  # its outdoor diaphragm meter on `route`
    shop: object  # a commercial account
    shop_meter: object
    ic_meter: object  # an IC card meter on the home account


@pytest.fixture
def utility(world):
    from kefu.packs.services import set_pack_enabled
    from kefu.utility.services import (
        MeterInput,
        create_account,
        create_route,
        install_meter,
        set_route_order,
        set_tariff,
    )

    set_pack_enabled(actor=None, code="utility", enabled=True)
    route = create_route(actor=None, code="R01", name="城东一册", read_class="residential", reader_id=world.fieldman.pk)
    shops = create_route(actor=None, code="C01", name="商业一册", read_class="commercial",
                         reader_id=world.fieldman.pk, first_day=22, last_day=23)
    home = create_account(actor=None, number="100001", customer_id=world.customer.pk, customer_class="residential",
                          address="城东路1号", now=at(1, 1))
    meter = install_meter(actor=None, account_id=home.pk, data=MeterInput(
        number="M-1001", size="G2.5", manufacturer="金卡", installed_on=date(2014, 5, 1), seals=["S-88"]),
        now=at(1, 1))
    ic_meter = install_meter(actor=None, account_id=home.pk, data=MeterInput(
        number="IC-1001", kind="ic_card", installed_on=date(2022, 3, 1), location="indoor"), now=at(1, 1))
    shop = create_account(actor=None, number="200001", customer_id=world.customer.pk, customer_class="commercial",
                          address="商业街8号", now=at(1, 1))
    shop_meter = install_meter(actor=None, account_id=shop.pk, data=MeterInput(
        number="M-2001", kind="industrial", installed_on=date(2023, 1, 1)), now=at(1, 1))
    set_route_order(actor=None, route_id=route.pk, meter_ids=[meter.pk])
    set_route_order(actor=None, route_id=shops.pk, meter_ids=[shop_meter.pk])
    set_tariff(actor=None, customer_class="residential", effective_from=date(2026, 1, 1), tiers=RESIDENTIAL)
    meter.refresh_from_db()
    return Utility(route, shops, home, meter, shop, shop_meter, ic_meter)
