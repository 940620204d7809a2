"""Read rates per route, reader and class against targets; schedules moved by the business calendar."""

from datetime import date

from kefu.utility.models import Reading
from kefu.utility.schedule import reading_days
from kefu.utility.selectors import missing_meters, read_rates
from kefu.utility.services import MeterInput, install_meter, record_reading, set_route_order
from kefu.utility.tests.conftest import at


def test_commercial_days_move_off_a_holiday_by_the_calendar(world, utility):
    from kefu.sla.calendar import simple_calendar

    # 2026-08-22 is a Saturday and 23 a Sunday: both move to Monday the 24th.
    assert reading_days(utility.commercial_route, date(2026, 8, 1), simple_calendar()) == [date(2026, 8, 24)]
    # 2026-10-22/23 are Thursday and Friday: read as planned.
    assert reading_days(utility.commercial_route, date(2026, 10, 1), simple_calendar()) == [
        date(2026, 10, 22), date(2026, 10, 23)]


def test_indoor_meters_are_due_quarterly(world, utility):
    from kefu.utility.services import create_route

    indoor = create_route(actor=None, code="I01", name="户内", read_class="indoor", first_day=1, last_day=3)
    assert reading_days(indoor, date(2026, 11, 1)) == []
    assert reading_days(indoor, date(2026, 12, 1)) == [date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)]


def test_read_rate_per_route_and_class_against_the_targets(world, utility):
    extra = [install_meter(actor=None, account_id=utility.home.pk, data=MeterInput(
        number=f"M-10{i}", installed_on=date(2020, 1, 1))) for i in range(3)]
    set_route_order(actor=None, route_id=utility.route.pk, meter_ids=[utility.meter.pk] + [m.pk for m in extra])
    for meter in [utility.meter, *extra[:2]]:
        record_reading(actor=world.fieldman, meter_id=meter.pk, value=50, read_at=at(11, 6))
    record_reading(actor=world.fieldman, meter_id=utility.shop_meter.pk, value=900, read_at=at(11, 23))
    rows = {r["key"]: r for r in read_rates(date(2026, 11, 1), by="route")}
    home = rows[utility.route.pk]
    assert (home["due"], home["read"], home["rate_permille"], home["target_permille"], home["met"]) == (
        4, 3, 750, 980, False)
    shop = rows[utility.commercial_route.pk]
    assert (shop["rate_permille"], shop["target_permille"], shop["met"]) == (1000, 1000, True)
    by_reader = read_rates(date(2026, 11, 1), by="reader")
    assert [(r["due"], r["read"]) for r in by_reader if r["key"] == world.fieldman.pk] == [(5, 4)]
    assert [m.number for m in missing_meters(date(2026, 11, 1), route_id=utility.route.pk)] == ["M-102"]


def test_the_read_rate_report_costs_the_same_queries_for_more_meters(world, utility, django_assert_num_queries):
    read_rates(date(2026, 11, 1))
    with django_assert_num_queries(4):
        read_rates(date(2026, 11, 1))
    for i in range(5):
        meter = install_meter(actor=None, account_id=utility.home.pk, data=MeterInput(
            number=f"Q-{i}", installed_on=date(2020, 1, 1)))
        Reading.objects.create(meter=meter, period=date(2026, 11, 1), value=1, read_class="residential",
                               read_at=at(11, 5), created_at=at(11, 5))
    with django_assert_num_queries(4):
        read_rates(date(2026, 11, 1))
