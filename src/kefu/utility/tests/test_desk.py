"""The billing desk: payments with receipts, IC top-ups by tier, shifts reconciled, amounts only with the right."""

import pytest

from kefu.audit.models import AuditEntry
from kefu.core.errors import Forbidden, ValidationFailed
from kefu.utility.models import Payment, Shift, ShiftStatus
from kefu.utility.services import approve_difference, close_shift, open_shift, take_payment, top_up_ic_card
from kefu.utility.tests.conftest import at


@pytest.fixture
def shift(world, utility):
    return open_shift(actor=world.agent, now=at(11, 20, 8))


def test_a_wechat_payment_needs_its_transaction_reference_and_nothing_is_stored(world, utility, shift):
    with pytest.raises(ValidationFailed) as info:
        take_payment(actor=world.agent, account_id=utility.home.pk, kind="bill", method="wechat", amount_fen=8290)
    assert (info.value.code, info.value.field) == ("reference_required", "reference")
    assert not Payment.objects.exists()


def test_payments_get_receipt_numbers_in_the_shift(world, utility, shift):
    first = take_payment(actor=world.agent, account_id=utility.home.pk, kind="bill", method="cash", amount_fen=8290,
                         now=at(11, 20, 9))
    second = take_payment(actor=world.agent, account_id=utility.shop.pk, kind="bill", method="alipay",
                          amount_fen=150000, reference="2026112022001", now=at(11, 20, 10))
    assert first.receipt_no.endswith("-0001") and second.receipt_no.endswith("-0002")
    assert first.receipt_no.startswith("20261120-")


def test_an_ic_top_up_buys_gas_across_the_tier_boundary(world, utility, shift):
    from kefu.utility.models import Reading

    # 345 m³ read this year before the top-up: 5 m³ left in tier 1 at 2.63, then 2.83.
    Reading.objects.create(meter=utility.meter, period="2026-06-01", value=345, consumption=345, read_at=at(6, 5),
                           read_class="residential", created_at=at(6, 5))
    payment = top_up_ic_card(actor=world.agent, account_id=utility.home.pk, amount_fen=10000, method="cash",
                             now=at(11, 20, 9))
    assert (payment.volume_m3, payment.amount_fen) == (35, 9805)


def test_a_balanced_hand_over_closes_the_shift(world, utility, shift):
    take_payment(actor=world.agent, account_id=utility.home.pk, kind="bill", method="cash", amount_fen=8290)
    closed = close_shift(actor=world.agent, shift_id=shift.pk, version=shift.version, declared={"cash": 8290})
    assert closed.status == ShiftStatus.BALANCED and closed.difference_fen == 0


def test_a_difference_needs_a_reason_and_nothing_changes_without_one(world, utility, shift):
    take_payment(actor=world.agent, account_id=utility.home.pk, kind="bill", method="cash", amount_fen=8290)
    with pytest.raises(ValidationFailed) as info:
        close_shift(actor=world.agent, shift_id=shift.pk, version=shift.version, declared={"cash": 8200})
    assert (info.value.code, info.value.field) == ("reason_required", "reason")
    assert Shift.objects.get(pk=shift.pk).status == ShiftStatus.OPEN


def test_a_difference_moved_between_methods_is_not_silently_balanced(world, utility, shift):
    take_payment(actor=world.agent, account_id=utility.home.pk, kind="bill", method="cash", amount_fen=8290)
    with pytest.raises(ValidationFailed):
        close_shift(actor=world.agent, shift_id=shift.pk, version=shift.version, declared={"card": 8290})


def test_an_explained_difference_waits_for_a_supervisor_not_the_cashier(world, utility, shift):
    take_payment(actor=world.agent, account_id=utility.home.pk, kind="bill", method="cash", amount_fen=8290)
    closed = close_shift(actor=world.agent, shift_id=shift.pk, version=shift.version, declared={"cash": 8190},
                         reason="找零错付 1 元")
    assert (closed.status, closed.difference_fen) == (ShiftStatus.DIFFERENCE, -100)
    with pytest.raises(Forbidden) as info:
        approve_difference(actor=world.agent, shift_id=shift.pk, version=closed.version)
    assert info.value.code in ("not_supervisor", "no_revenue_right")
    with pytest.raises(Forbidden) as info:
        approve_difference(actor=world.lead, shift_id=shift.pk, version=closed.version)
    assert info.value.code == "no_revenue_right"
    approved = approve_difference(actor=world.supervisor, shift_id=shift.pk, version=closed.version)
    assert approved.status == ShiftStatus.APPROVED and approved.approved_by == world.supervisor
    entries = AuditEntry.objects.filter(target_type="shift", target_id=str(shift.pk)).order_by("id")
    assert [e.params["status"] for e in entries] == ["difference", "approved"]


def test_the_daily_summary_shows_amounts_only_with_the_revenue_right(world, utility, shift, api):
    take_payment(actor=world.agent, account_id=utility.home.pk, kind="bill", method="cash", amount_fen=8290,
                 now=at(11, 20, 9))
    api.as_user(world, world.agent)
    blind = api.get("/utility/desk/sales?day=2026-11-20").json()
    assert (blind["count"], blind["amount_fen"], blind["lines"][0]["amount_fen"]) == (1, None, None)
    api.as_user(world, world.manager)
    full = api.get("/utility/desk/sales?day=2026-11-20").json()
    assert (full["count"], full["amount_fen"]) == (1, 8290)


def test_the_cashier_sees_no_system_figures_of_the_shift(world, utility, shift, api):
    take_payment(actor=world.agent, account_id=utility.home.pk, kind="bill", method="cash", amount_fen=8290)
    api.as_user(world, world.agent)
    answer = api.post(f"/utility/desk/shifts/{shift.pk}/close", {"version": 1, "declared": {"cash": 8290}}).json()
    assert answer["status"] == "balanced"
    assert answer["system_fen"] is None and answer["difference_fen"] is None


def test_the_bill_quote_across_a_price_change(world, utility, api):
    from datetime import date

    from kefu.utility.services import set_tariff

    set_tariff(actor=None, customer_class="residential", effective_from=date(2026, 11, 16),
               tiers=[[350, 280], [500, 300], [None, 420]])
    from kefu.utility.models import Reading

    Reading.objects.create(meter=utility.meter, period="2026-06-01", value=340, consumption=340, read_at=at(6, 5),
                           read_class="residential", created_at=at(6, 5))
    api.as_user(world, world.agent)
    answer = api.get(f"/utility/desk/bill?account_id={utility.home.pk}&start=2026-11-01&end=2026-12-01&volume=30")
    assert answer.json()["total_fen"] == 8545
