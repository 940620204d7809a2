"""Arrears: reminders by age band through notify and campaigns, promises, notices with their notice period."""

from datetime import date

import pytest

from kefu.core.errors import ValidationFailed
from kefu.utility.models import ArrearsAction, ServiceAccount, SuspensionNotice
from kefu.utility.services import (
    execute_suspension,
    follow_up_promises,
    issue_notice,
    record_promise,
    send_reminders,
    set_balance,
    take_payment,
)
from kefu.utility.services.arrears import band_of
from kefu.utility.tests.conftest import at


@pytest.fixture
def owing(world, utility):
    set_balance(actor=None, account_id=utility.home.pk, amount_fen=23450, due_since=date(2026, 9, 10),
                now=at(11, 1))
    return utility.home


def test_age_bands():
    today = date(2026, 11, 20)
    assert [band_of(date(2026, 11, 1), today), band_of(date(2026, 10, 1), today), band_of(date(2026, 9, 10), today),
            band_of(date(2026, 1, 1), today)] == ["0-30", "31-60", "61-90", "90+"]


def test_sms_reminders_go_through_notify_to_the_band(world, owing):
    from kefu.notify.models import Notification

    run = send_reminders(actor=world.lead, band="61-90", channel="sms", now=at(11, 20))
    assert run.sent == 1
    note = Notification.objects.get(kind="arrears_reminder")
    assert note.channel == "sms" and "234.50" in note.body and note.address == "13812341234"
    assert ArrearsAction.objects.filter(account=owing, kind="sms", band="61-90").exists()
    assert send_reminders(actor=world.lead, band="0-30", channel="sms", now=at(11, 20)).sent == 0


def test_call_reminders_make_a_campaign(world, owing):
    from kefu.campaigns.models import CampaignCall

    run = send_reminders(actor=world.lead, band="61-90", channel="call", now=at(11, 20))
    call = CampaignCall.objects.get(campaign_id=run.campaign_id)
    assert call.reference == "100001"


def test_an_agent_cannot_run_reminders(world, owing, api):
    api.as_user(world, world.agent)
    response = api.post("/utility/arrears/reminders", {"band": "61-90", "channel": "sms"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_supervisor"
    assert not ArrearsAction.objects.exists()


def test_a_notice_needs_a_reminder_first(world, owing):
    with pytest.raises(ValidationFailed) as info:
        issue_notice(actor=world.lead, account_id=owing.pk, now=at(11, 20))
    assert info.value.code == "no_reminder_yet"
    assert not SuspensionNotice.objects.exists()


def test_supply_stops_only_after_the_notice_period(world, owing):
    send_reminders(actor=world.lead, band="61-90", channel="sms", now=at(11, 20))
    notice = issue_notice(actor=world.lead, account_id=owing.pk, notice_days=7, now=at(11, 20))
    assert notice.effective_on == date(2026, 11, 27)
    with pytest.raises(ValidationFailed) as info:
        execute_suspension(actor=world.lead, notice_id=notice.pk, now=at(11, 26))
    assert info.value.code == "notice_period_running"
    assert ServiceAccount.objects.get(pk=owing.pk).status == "active"
    execute_suspension(actor=world.lead, notice_id=notice.pk, now=at(11, 27))
    assert ServiceAccount.objects.get(pk=owing.pk).status == "suspended"


def test_paying_at_the_desk_cancels_the_notice_and_keeps_the_promise(world, owing):
    from kefu.utility.models import PaymentPromise
    from kefu.utility.services import open_shift

    send_reminders(actor=world.lead, band="61-90", channel="sms", now=at(11, 20))
    notice = issue_notice(actor=world.lead, account_id=owing.pk, now=at(11, 20))
    record_promise(actor=world.agent, account_id=owing.pk, amount_fen=23450, due_on=date(2026, 11, 25),
                   now=at(11, 20))
    open_shift(actor=world.agent)
    take_payment(actor=world.agent, account_id=owing.pk, kind="arrears", method="cash", amount_fen=23450)
    assert SuspensionNotice.objects.get(pk=notice.pk).status == "cancelled"
    assert PaymentPromise.objects.get().status == "kept"


def test_a_promise_not_kept_is_marked_broken(world, owing):
    record_promise(actor=world.agent, account_id=owing.pk, amount_fen=10000, due_on=date(2026, 11, 25),
                   now=at(11, 20))
    assert follow_up_promises(now=at(11, 26)) == {"kept": 0, "broken": 1}
    assert follow_up_promises(now=at(11, 27)) == {"kept": 0, "broken": 0}
    assert ArrearsAction.objects.filter(kind="promise_broken").count() == 1
