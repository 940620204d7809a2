"""Working a campaign: even distribution, pulling (never the same call twice), results, retries, surveys."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.audit.models import AuditEntry
from kefu.campaigns.models import CallEvent, CampaignCall
from kefu.campaigns.services import (
    CallResult,
    create_campaign,
    distribute_calls,
    pull_next_call,
    record_call_result,
    reveal_call_phone,
    set_campaign_status,
)
from kefu.campaigns.tests.conftest import add_calls, campaign_input
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.surveys.models import Response
from kefu.surveys.services import create_questionnaire
from kefu.surveys.tests.conftest import good_answers, questionnaire_input
from kefu.testing import at_once, build_world
from kefu.tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


def test_calls_are_distributed_evenly_counting_what_agents_already_have(world, campaign):
    add_calls(world, campaign, 3)
    distribute_calls(actor=world.supervisor, campaign_id=campaign.pk, agent_ids=[world.agent.pk])
    add_calls_more = [f"1370000{i:04d}" for i in range(7)]
    from kefu.campaigns.calllist import CallInput, import_calls

    import_calls(actor=world.supervisor, campaign_id=campaign.pk,
                 rows=[CallInput(name="x", phone=p) for p in add_calls_more])
    given = distribute_calls(actor=world.supervisor, campaign_id=campaign.pk,
                             agent_ids=[world.agent.pk, world.agent_b.pk, world.handler.pk])
    assert given == {world.agent.pk: 1, world.agent_b.pk: 3, world.handler.pk: 3}
    loads = sorted(CampaignCall.objects.values_list("agent_id", flat=True))
    assert sorted(loads.count(a) for a in set(loads)) == [3, 3, 4]
    assert CallEvent.objects.filter(code="assigned").count() == 10


def test_distribution_refuses_people_who_cannot_take_calls(world, campaign):
    add_calls(world, campaign, 2)
    for ids, code in (([], "required"), ([world.qa.pk], "unknown_agent"), ([999999], "unknown_agent")):
        with pytest.raises(ValidationFailed) as exc:
            distribute_calls(actor=world.supervisor, campaign_id=campaign.pk, agent_ids=ids)
        assert (exc.value.code, exc.value.field) == (code, "agent_ids")
    with pytest.raises(Forbidden):
        distribute_calls(actor=world.agent, campaign_id=campaign.pk, agent_ids=[world.agent.pk])
    assert not CampaignCall.objects.filter(agent__isnull=False).exists()


def test_an_agent_pulls_the_next_due_call_and_a_retry_waits_its_turn(world, campaign):
    add_calls(world, campaign, 2)
    now = timezone.now()
    first = pull_next_call(actor=world.agent, campaign_id=campaign.pk, now=now)
    assert first.agent == world.agent and first.name == "客户0"
    retried = record_call_result(actor=world.agent, call_id=first.pk, version=first.version,
                                 data=CallResult(result="not_reached"), now=now)
    assert (retried.status, retried.attempts, retried.due_at) == ("pending", 1, now + timedelta(minutes=60))
    second = pull_next_call(actor=world.agent_b, campaign_id=campaign.pk, now=now)
    assert second.name == "客户1"
    assert pull_next_call(actor=world.agent_b, campaign_id=campaign.pk, now=now) is None
    given_up = record_call_result(actor=world.agent, call_id=first.pk, version=retried.version,
                                  data=CallResult(result="not_reached"), now=now + timedelta(hours=2))
    assert (given_up.status, given_up.attempts) == ("unreachable", 2)  # the campaign allows 2 attempts
    assert [e.code for e in CallEvent.objects.filter(call=first)] == ["added", "pulled", "not_reached", "gave_up"]


@pytest.mark.django_db(transaction=True)
def test_two_agents_pulling_at_once_never_get_the_same_call():
    world = build_world()
    campaign = create_campaign(actor=world.supervisor, data=campaign_input())
    add_calls(world, campaign, 6)
    agents = [world.agent, world.agent_b, world.handler]
    def work(agent) -> list[tuple[int, int]]:
        calls = [pull_next_call(actor=agent, campaign_id=campaign.pk) for _round in range(3)]
        return [(agent.pk, call.pk) for call in calls if call]

    pulled = [pair for pairs in at_once(work, agents) for pair in pairs]
    call_ids = [c for _a, c in pulled]
    assert len(call_ids) == 6 and len(set(call_ids)) == 6
    assert dict(CampaignCall.objects.values_list("pk", "agent_id")) == {c: a for a, c in pulled}
    assert CallEvent.objects.filter(code="pulled").count() == 6


def test_a_reached_call_records_outcome_and_survey_answers_via_campaign(world):
    survey = create_questionnaire(actor=world.supervisor, data=questionnaire_input())
    campaign = create_campaign(actor=world.supervisor, data=campaign_input(questionnaire_id=survey.pk))
    add_calls(world, campaign, 1)
    call = pull_next_call(actor=world.agent, campaign_id=campaign.pk)
    bad = good_answers(survey)
    bad[str(survey.questions.all()[0].pk)] = 9
    with pytest.raises(ValidationFailed) as exc:
        record_call_result(actor=world.agent, call_id=call.pk, version=call.version,
                           data=CallResult(result="reached", outcome="will_pay", answers=bad))
    assert exc.value.field.startswith("answers.")
    assert CampaignCall.objects.get().status == "pending" and not Response.objects.exists()
    done = record_call_result(actor=world.agent, call_id=call.pk, version=call.version,
                              data=CallResult(result="reached", outcome="will_pay", note="明天付",
                                              answers=good_answers(survey, 4, 8)))
    assert (done.status, done.outcome, done.result_note, done.attempts) == ("done", "will_pay", "明天付", 1)
    response = Response.objects.get()
    assert (done.response_id, response.via, response.csat, response.agent) == (response.pk, "campaign", 4, world.agent)
    assert not TicketEvent.objects.filter(code="survey_answered").exists()  # no ticket, no ticket event
    event = CallEvent.objects.get(call=call, code="completed")
    assert event.params == {"attempt": 1, "outcome": "will_pay", "response": response.pk}


def test_result_checks_ownership_state_and_version(world, campaign):
    add_calls(world, campaign, 1)
    call = pull_next_call(actor=world.agent, campaign_id=campaign.pk)
    with pytest.raises(NotFound):
        record_call_result(actor=world.agent_b, call_id=call.pk, version=call.version,
                           data=CallResult(result="wrong_number"))
    for data, field, code in ((CallResult(result="maybe"), "result", "invalid_choice"),
                              (CallResult(result="reached"), "outcome", "required"),
                              (CallResult(result="reached", outcome="rich"), "outcome", "invalid_choice")):
        with pytest.raises(ValidationFailed) as exc:
            record_call_result(actor=world.agent, call_id=call.pk, version=call.version, data=data)
        assert (exc.value.field, exc.value.code) == (field, code)
    with pytest.raises(Conflict):
        record_call_result(actor=world.agent, call_id=call.pk, version=call.version - 1,
                           data=CallResult(result="wrong_number"))
    done = record_call_result(actor=world.agent, call_id=call.pk, version=call.version,
                              data=CallResult(result="wrong_number"))
    assert done.status == "wrong_number"
    with pytest.raises(ValidationFailed) as exc:
        record_call_result(actor=world.agent, call_id=call.pk, version=done.version,
                           data=CallResult(result="reached", outcome="paid"))
    assert exc.value.code == "already_done"


def test_a_closed_campaign_takes_no_more_results_or_pulls(world, campaign):
    add_calls(world, campaign, 2)
    call = pull_next_call(actor=world.agent, campaign_id=campaign.pk)
    set_campaign_status(actor=world.supervisor, campaign_id=campaign.pk, version=campaign.version, status="closed")
    with pytest.raises(ValidationFailed) as exc:
        record_call_result(actor=world.agent, call_id=call.pk, version=call.version,
                           data=CallResult(result="wrong_number"))
    assert exc.value.code == "campaign_closed"
    with pytest.raises((ValidationFailed, NotFound)):
        pull_next_call(actor=world.agent_b, campaign_id=campaign.pk)


def test_revealing_the_number_is_audited_and_kept_out_of_the_history(world, campaign):
    add_calls(world, campaign, 1)
    call = pull_next_call(actor=world.agent, campaign_id=campaign.pk)
    assert reveal_call_phone(actor=world.agent, call_id=call.pk, reason="拨号") == "13900000000"
    entry = AuditEntry.objects.get(action="pii_revealed")
    assert (entry.target_type, entry.params) == ("campaign_call", {"what": "phone", "reason": "拨号"})
    assert CallEvent.objects.filter(call=call, code="phone_revealed").exists()
    assert "13900000000" not in str(list(CallEvent.objects.values_list("params", flat=True)))
    with pytest.raises(Forbidden):
        reveal_call_phone(actor=world.qa, call_id=call.pk)
    with pytest.raises(NotFound):
        reveal_call_phone(actor=world.agent_b, call_id=call.pk)


def test_a_call_can_open_one_ticket_with_its_number_and_customer(world, campaign):
    from kefu.campaigns.calllist import CallInput, import_calls
    from kefu.campaigns.services import open_ticket_from_call
    from kefu.tickets.models import Ticket

    import_calls(actor=world.supervisor, campaign_id=campaign.pk,
                 rows=[CallInput(name="王小明", phone="13812341234", reference="M-0001")])
    call = pull_next_call(actor=world.agent, campaign_id=campaign.pk)
    with pytest.raises(ValidationFailed) as exc:
        open_ticket_from_call(actor=world.agent, call_id=call.pk, ticket_type="inquiry", title="")
    assert exc.value.field == "title" and not Ticket.objects.exists()
    with pytest.raises(NotFound):
        open_ticket_from_call(actor=world.agent_b, call_id=call.pk, ticket_type="inquiry", title="想加装燃气灶")
    ticket = open_ticket_from_call(actor=world.agent, call_id=call.pk, ticket_type="inquiry", title="想加装燃气灶")
    assert (ticket.contact_phone, ticket.customer_id, ticket.assignee_id) == ("13812341234", world.customer.pk,
                                                                              world.agent.pk)
    assert CampaignCall.objects.get().ticket_id == ticket.pk
    assert CallEvent.objects.get(code="ticket_opened").params == {"ticket": ticket.pk}
    with pytest.raises(ValidationFailed) as exc:
        open_ticket_from_call(actor=world.agent, call_id=call.pk, ticket_type="inquiry", title="再开一张")
    assert exc.value.code == "already_done" and Ticket.objects.count() == 1


def test_a_call_claimed_between_reading_and_claiming_goes_to_the_next_one(world, campaign, monkeypatch):
    from kefu.campaigns import services

    add_calls(world, campaign, 2)
    first = pull_next_call(actor=world.agent_b, campaign_id=campaign.pk)
    second = CampaignCall.objects.exclude(pk=first.pk).get()
    stale_reads = iter([first.pk, second.pk])  # the first read saw the call before agent_b's claim committed
    monkeypatch.setattr(services, "_next_free", lambda campaign, at: next(stale_reads))
    mine = pull_next_call(actor=world.agent, campaign_id=campaign.pk)
    assert mine.pk == second.pk
    assert CampaignCall.objects.get(pk=first.pk).agent == world.agent_b
