"""Readings: stored once and only once, checked against the last one and the meter's band, imported, estimated."""

import pytest

from kefu.utility.models import Meter, Reading, ReadingFlag
from kefu.utility.services import estimate_reading, import_readings, record_reading
from kefu.utility.services.imports import ReadingRow
from kefu.utility.tests.conftest import at


def _post(api, meter, value, key, when="2026-11-05T09:30:00+08:00", **extra):
    return api.post("/utility/readings", {"meter_id": meter.pk, "value": value, "read_at": when,
                                          "idempotency_key": key, **extra})


def test_an_offline_entry_sent_twice_after_a_dropped_connection_is_stored_once(world, utility, api):
    api.as_user(world, world.fieldman)
    first = _post(api, utility.meter, 120, "dev1-0001")
    assert first.status_code == 201 and first.json()["created"] is True
    # The phone never saw the answer (the connection dropped) and sends the same entry again when back online.
    retry = _post(api, utility.meter, 120, "dev1-0001")
    assert retry.status_code == 200 and retry.json()["created"] is False
    assert retry.json()["id"] == first.json()["id"]
    assert Reading.objects.filter(meter=utility.meter).count() == 1


def test_the_same_key_for_another_value_is_refused_and_nothing_changes(world, utility, api):
    api.as_user(world, world.fieldman)
    _post(api, utility.meter, 120, "dev1-0001")
    response = _post(api, utility.meter, 121, "dev1-0001")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "key_reused"
    assert list(Reading.objects.values_list("value", flat=True)) == [120]


def test_a_second_reading_of_the_period_under_a_new_key_is_409_already_read(world, utility, api):
    api.as_user(world, world.fieldman)
    _post(api, utility.meter, 120, "dev1-0001")
    response = _post(api, utility.meter, 125, "dev1-0002", when="2026-11-06T09:30:00+08:00")
    assert response.status_code == 409 and response.json()["error"]["code"] == "already_read"
    assert Reading.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sends_of_one_entry_racing_store_one_reading():
    from kefu.packs.services import set_pack_enabled
    from kefu.testing import at_once, build_world
    from kefu.utility.services import MeterInput, create_account, install_meter

    world = build_world()
    set_pack_enabled(actor=None, code="utility", enabled=True)
    account = create_account(actor=None, number="9", customer_id=world.customer.pk, customer_class="residential")
    meter = install_meter(actor=None, account_id=account.pk, data=MeterInput(number="RACE", installed_on=at(1, 1)
                                                                             .date()))
    results = at_once(lambda _i: record_reading(actor=None, meter_id=meter.pk, value=7, read_at=at(11, 5),
                                                idempotency_key="same-entry").reading.pk, [0, 1, 2])
    assert len(set(results)) == 1
    assert Reading.objects.filter(meter=meter).count() == 1


def test_a_reading_lower_than_the_last_is_stored_and_flagged(world, utility):
    record_reading(actor=world.fieldman, meter_id=utility.meter.pk, value=500, read_at=at(10, 5))
    done = record_reading(actor=world.fieldman, meter_id=utility.meter.pk, value=480, read_at=at(11, 5))
    assert done.reading.flag == ReadingFlag.LOWER_THAN_LAST and done.reading.consumption == -20


def test_consumption_outside_the_band_asks_to_confirm_then_is_stored_confirmed(world, utility, api):
    Meter.objects.filter(pk=utility.meter.pk).update(last_value=1000, usual_consumption=30)
    api.as_user(world, world.fieldman)
    response = _post(api, utility.meter, 1400, "k1")
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("confirm_needed", "value")
    assert error["params"] == {"consumption": 400, "low": 7, "high": 100}
    assert not Reading.objects.exists()
    assert _post(api, utility.meter, 1400, "k1", confirm=True).json()["flag"] == "confirmed"


def test_a_reader_cannot_read_a_meter_off_their_routes(world, utility, api):
    from kefu.accounts.services import create_user

    other = create_user(actor=None, username="reader2", password="kefu-Test-2026", role="field_crew",
                        team=world.crew, agent_no="5002", display_name="reader2")
    api.as_user(world, other)
    response = _post(api, utility.meter, 10, "x")
    assert response.status_code == 404
    assert not Reading.objects.exists()


def test_an_import_with_a_bad_line_stores_nothing_and_names_the_lines(world, utility):
    from kefu.core.errors import ValidationFailed

    rows = [ReadingRow("M-1001", "10", "2026-10-05 09:00"), ReadingRow("NOPE", "5", "2026-10-05 09:00"),
            ReadingRow("M-2001", "x", "2026-10-22 09:00")]
    with pytest.raises(ValidationFailed) as info:
        import_readings(actor=world.supervisor, rows=rows)
    assert info.value.code == "import_rejected"
    assert info.value.params["errors"] == [{"line": 3, "field": "meter", "code": "unknown_meter"},
                                           {"line": 4, "field": "value", "code": "invalid"}]
    assert not Reading.objects.exists()


def test_an_import_twice_stores_each_reading_once_and_checks_in_time_order(world, utility):
    rows = [ReadingRow("M-1001", "40", "2026-11-05 09:00"), ReadingRow("M-1001", "10", "2026-10-05 09:00"),
            ReadingRow("M-2001", "900", "2026-10-22 09:00"), ReadingRow("M-2001", "850", "2026-11-22 09:00")]
    result = import_readings(actor=world.supervisor, rows=rows)
    assert (result.created, result.skipped, result.lower_than_last) == (4, 0, 1)
    again = import_readings(actor=world.supervisor, rows=rows)
    assert (again.created, again.skipped) == (0, 4)
    meter = Meter.objects.get(pk=utility.meter.pk)
    # usual: 10 after the first (from the fitted 0), then (3 × 10 + 30) // 4 = 15
    assert (meter.last_value, meter.last_read_on.isoformat(), meter.usual_consumption) == (40, "2026-11-05", 15)
    assert Reading.objects.get(meter=utility.meter, period="2026-11-01").consumption == 30


def test_an_estimate_is_marked_and_does_not_count_as_read(world, utility):
    from datetime import date

    from kefu.utility.selectors import read_rates

    Meter.objects.filter(pk=utility.meter.pk).update(last_value=100, usual_consumption=25)
    reading = estimate_reading(actor=world.agent, meter_id=utility.meter.pk, period=date(2026, 11, 1),
                               now=at(11, 28))
    assert (reading.estimated, reading.value, reading.source) == (True, 125, "estimate")
    row = next(r for r in read_rates(date(2026, 11, 1), by="route") if r["key"] == utility.route.pk)
    assert (row["due"], row["read"], row["estimated"]) == (1, 0, 1)
