"""Abnormal meters: found from consumption against the meter's year and its class, raised as tickets, closed."""

from datetime import date

from kefu.utility.detection import detect
from kefu.utility.models import AbnormalCase, Meter, MeterEvent, Reading
from kefu.utility.services import MeterInput, create_account, install_meter, raise_findings, record_outcome
from kefu.utility.tests.conftest import at


def _series(meter, monthly: list[int], start=(2025, 1)):
    """Readings for consecutive months from `start`, with the given consumption each month."""
    value, year, month = 1000, *start
    for consumption in monthly:
        value += consumption
        Reading.objects.create(meter=meter, period=date(year, month, 1), value=value, consumption=consumption,
                               read_at=at(month, 5, year=year), read_class=meter.read_class,
                               created_at=at(month, 5, year=year))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _meters(world, utility, n):
    account = create_account(actor=None, number="300001", customer_id=world.customer.pk,
                             customer_class="residential")
    return [install_meter(actor=None, account_id=account.pk, data=MeterInput(number=f"N-{i}",
                                                                             installed_on=date(2020, 1, 1)))
            for i in range(n)]


def test_fast_slow_stopped_and_reversed_meters_are_found(world, utility):
    normal, fast, slow, stopped, backwards, quiet = _meters(world, utility, 6)
    year = [40, 38, 30, 20, 12, 8, 6, 6, 9, 18, 30, 38]
    _series(normal, year + [42, 40, 31, 21, 12, 9, 6, 6, 9, 19, 31, 39])
    _series(fast, year + [42, 40, 31, 21, 12, 9, 6, 6, 9, 60, 95, 120])
    _series(slow, year + [42, 40, 31, 21, 12, 9, 6, 6, 9, 5, 8, 10])
    _series(stopped, year + [42, 40, 31, 21, 12, 9, 6, 6, 9, 0, 0, 0])
    _series(backwards, year + [42, 40, 31, 21, 12, 9, 6, 6, 9, 18, 30, -5])
    _series(quiet, [0] * 24)
    found = {f.meter_id: f for f in detect(date(2026, 12, 1))}
    assert {m: found[m.pk].kind for m in (fast, slow, stopped, backwards, quiet) if m.pk in found} == {
        fast: "fast", slow: "slow", stopped: "stopped", backwards: "reversed", quiet: "zero_run"}
    assert normal.pk not in found
    assert found[fast.pk].evidence["recent_m3"] == 275 and found[fast.pk].evidence["year_before_m3"] == 86


def test_a_cold_month_for_everyone_is_not_a_fast_meter(world, utility):
    meters = _meters(world, utility, 4)
    for meter in meters:  # everybody used three times as much as a year ago: the class moved, not the meter
        _series(meter, [10] * 12 + [10] * 9 + [30, 30, 30])
    assert detect(date(2026, 12, 1)) == []


def test_a_jump_after_a_replacement_is_found(world, utility):
    from kefu.utility.services import replace_meter

    Meter.objects.filter(pk=utility.meter.pk).update(usual_consumption=20, last_value=500)
    new = replace_meter(actor=None, meter_id=utility.meter.pk, version=utility.meter.version, final_value=510,
                        data=MeterInput(number="M-1001B", installed_on=date(2026, 10, 1)))
    Reading.objects.create(meter=new, period=date(2026, 11, 1), value=90, consumption=90, read_at=at(11, 5),
                           read_class=new.read_class, created_at=at(11, 5))
    assert [(f.meter_id, f.kind) for f in detect(date(2026, 11, 1))] == [(new.pk, "jump_after_replacement")]


def test_findings_become_tickets_with_evidence_once(world, utility):
    from kefu.tickets.models import Ticket

    (stopped,) = _meters(world, utility, 1)
    _series(stopped, [30] * 21 + [0, 0, 0])
    findings = detect(date(2026, 12, 1))
    assert raise_findings(actor=None, findings=findings, now=at(12, 6)) == {"raised": 1, "already_open": 0}
    assert raise_findings(actor=None, findings=findings, now=at(12, 7)) == {"raised": 0, "already_open": 1}
    case = AbnormalCase.objects.get()
    ticket = Ticket.objects.get(pk=case.ticket_id)
    assert ticket.ticket_type.code == "repair" and ticket.custom["device_no"] == "N-0"
    assert "零气量期数：3" in ticket.description and ticket.customer_id == world.customer.pk
    assert MeterEvent.objects.filter(meter=stopped, code="abnormal_raised").exists()


def test_the_outcome_is_recorded_back_on_the_meter(world, utility, client):
    (stopped,) = _meters(world, utility, 1)
    _series(stopped, [30] * 21 + [0, 0, 0])
    raise_findings(actor=None, findings=detect(date(2026, 12, 1)), now=at(12, 6))
    case = AbnormalCase.objects.get()
    client.force_login(world.supervisor)
    page = client.get(f"/tickets/{case.ticket_id}/")
    assert b"utility-panel" in page.content
    response = client.post(f"/utility/abnormal/{case.pk}/outcome/",
                           {"outcome": "confirmed", "note": "表芯卡死，已换表"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.is_open, case.outcome) == (False, "confirmed")
    assert MeterEvent.objects.get(meter=stopped, code="outcome_recorded").params["outcome"] == "confirmed"
    assert record_outcome.__doc__
