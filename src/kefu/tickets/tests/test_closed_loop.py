"""The closed-loop complaint (TK7) and out-of-scope requests passed to the manager (TK8)."""

import pytest

from kefu.callbacks.events import CallbackEventCode
from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.notify.models import Notification
from kefu.tickets import services
from kefu.tickets.events import emit
from kefu.tickets.models import ComplaintRecord, EventCode, ManagerReferral, Ticket, TicketMessage


def move(world, ticket, to, user=None):
    return services.transition_ticket(actor=user or world.agent, ticket_id=ticket.pk, version=ticket.version, to=to)


def resolved_complaint(world):
    ticket = world.ticket(type="complaint", title="维修人员态度差", custom={"category": "服务态度"})
    ticket = move(world, ticket, "in_progress")
    ticket = move(world, ticket, "resolved")
    return move(world, ticket, "callback")


def findings(world, ticket, **kwargs):
    data = {"responsible_party": "维修班 李师傅", "content": "上门时语气生硬", "result": "已批评教育并致歉"} | kwargs
    services.record_complaint_findings(actor=world.handler, ticket_id=ticket.pk, version=ticket.version, **data)
    return Ticket.objects.get(pk=ticket.pk)


def outcome(world, ticket, value):
    emit(ticket, CallbackEventCode.CALLBACK_OUTCOME, actor=world.agent, at=ticket.updated_at,
         params={"task": 1, "outcome": value, "attempt": 1, "on_time": True, "agent": world.agent.pk})


def test_complaint_cannot_close_without_findings_callback_and_acceptance(world):
    ticket = resolved_complaint(world)
    with pytest.raises(ValidationFailed) as err:
        move(world, ticket, "closed")
    assert err.value.code == "complaint_loop_open" and err.value.field == "to"
    assert err.value.params["missing"] == ["responsible_party", "content", "result", "callback_outcome",
                                           "customer_acceptance"]
    assert Ticket.objects.get(pk=ticket.pk).status == "callback"


def test_complaint_closes_once_findings_and_accepted_callback_are_recorded(world):
    ticket = findings(world, resolved_complaint(world))
    outcome(world, ticket, "not_accepted")
    with pytest.raises(ValidationFailed) as err:
        move(world, ticket, "closed")
    assert err.value.params["missing"] == ["customer_acceptance"]
    outcome(world, ticket, "accepted")
    assert move(world, ticket, "closed").status == "closed"


def test_an_acceptance_from_before_a_reopen_does_not_count(world):
    ticket = findings(world, resolved_complaint(world))
    outcome(world, ticket, "accepted")
    ticket = services.reopen_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                    reason="客户再次来电不满")
    ticket = move(world, ticket, "resolved")
    ticket = move(world, ticket, "callback")
    with pytest.raises(ValidationFailed) as err:
        move(world, ticket, "closed")
    assert err.value.params["missing"] == ["callback_outcome", "customer_acceptance"]


def test_findings_are_recorded_as_an_event_naming_the_fields_not_the_text(world):
    ticket = findings(world, resolved_complaint(world), result="")
    record = ComplaintRecord.objects.get(ticket=ticket)
    assert record.responsible_party == "维修班 李师傅" and record.recorded_by == world.handler
    event = ticket.events.filter(code=EventCode.COMPLAINT_RECORDED).get()
    assert event.params == {"fields": ["content", "responsible_party"], "missing": ["result"]}
    # A stale version is refused and changes nothing.
    with pytest.raises(Exception) as err:
        services.record_complaint_findings(actor=world.handler, ticket_id=ticket.pk, version=ticket.version - 1,
                                           result="x")
    assert getattr(err.value, "code", "") == "stale_version"
    assert ComplaintRecord.objects.get(ticket=ticket).result == ""


def test_findings_only_for_complaints(world):
    ticket = world.ticket()
    with pytest.raises(ValidationFailed) as err:
        services.record_complaint_findings(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                           content="x")
    assert err.value.code == "not_a_complaint"


def test_supervisor_override_needs_a_reason_and_the_findings(world):
    ticket = resolved_complaint(world)
    with pytest.raises(Forbidden):
        services.override_close(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, reason="客户失联")
    with pytest.raises(ValidationFailed) as err:
        services.override_close(actor=world.supervisor, ticket_id=ticket.pk, version=ticket.version, reason=" ")
    assert (err.value.code, err.value.field) == ("required", "reason")
    with pytest.raises(ValidationFailed) as err:
        services.override_close(actor=world.supervisor, ticket_id=ticket.pk, version=ticket.version,
                                reason="客户失联")
    assert err.value.params["missing"] == ["responsible_party", "content", "result"]
    ticket = findings(world, ticket)
    closed = services.override_close(actor=world.supervisor, ticket_id=ticket.pk, version=ticket.version,
                                     reason="客户拒绝接听，已三次回访")
    assert closed.status == "closed" and not closed.is_open
    codes = list(closed.events.order_by("id").values_list("code", flat=True))
    at = codes.index("close_overridden")
    assert codes[at + 1] == "status_changed"
    # The callback that was still waiting has nothing left to ask: it is cancelled, as an outcome event.
    assert codes[at + 2:] == ["callback_outcome"]


def test_out_of_scope_request_waits_for_the_manager(world):
    ticket = world.ticket(title="要求赔偿误工费")
    referral = services.refer_to_manager(actor=world.agent, ticket_id=ticket.pk, question="客户要求赔偿误工费 200 元",
                                         manager_id=world.manager.pk)
    assert Notification.objects.filter(recipient=world.manager, kind="manager_referral").exists()
    with pytest.raises(ValidationFailed) as err:
        services.add_message(actor=world.agent, ticket_id=ticket.pk, kind="reply", body="可以赔偿")
    assert (err.value.code, err.value.field) == ("awaiting_manager", "body")
    services.add_message(actor=world.agent, ticket_id=ticket.pk, kind="note", body="已转经理")
    ticket.refresh_from_db()
    with pytest.raises(ValidationFailed) as err:
        move(world, ticket, "resolved")
    assert err.value.code == "awaiting_manager"
    with pytest.raises(ValidationFailed) as err:
        services.refer_to_manager(actor=world.agent, ticket_id=ticket.pk, question="再问", manager_id=world.manager.pk)
    assert err.value.code == "duplicate"

    with pytest.raises(Forbidden):
        services.decide_referral(actor=world.lead, referral_id=referral.pk, decision="同意")
    with pytest.raises(NotFound):  # another manager's referral is not this one's to decide
        other = world.manager.__class__.objects.create(username="manager2", role="manager")
        services.decide_referral(actor=other, referral_id=referral.pk, decision="同意")
    services.decide_referral(actor=world.manager, referral_id=referral.pk, decision="按规定赔偿 100 元")
    referral.refresh_from_db()
    assert referral.state == ManagerReferral.State.DECIDED and referral.decided_by == world.manager
    assert Notification.objects.filter(recipient=world.agent, kind="manager_decided").exists()
    with pytest.raises(ValidationFailed) as err:
        services.decide_referral(actor=world.manager, referral_id=referral.pk, decision="改主意")
    assert err.value.code == "already_done"
    services.add_message(actor=world.agent, ticket_id=ticket.pk, kind="reply", body="经理批示：赔偿 100 元")
    assert TicketMessage.objects.filter(ticket=ticket, kind="reply").count() == 1
    codes = list(ticket.events.values_list("code", flat=True))
    assert "referred_to_manager" in codes and "manager_decided" in codes


def test_referral_needs_a_real_manager_and_a_question(world):
    ticket = world.ticket()
    with pytest.raises(ValidationFailed) as err:
        services.refer_to_manager(actor=world.agent, ticket_id=ticket.pk, question="x", manager_id=world.lead.pk)
    assert (err.value.code, err.value.field) == ("unknown_manager", "manager_id")
    with pytest.raises(ValidationFailed) as err:
        services.refer_to_manager(actor=world.agent, ticket_id=ticket.pk, question="", manager_id=world.manager.pk)
    assert (err.value.code, err.value.field) == ("required", "question")
    assert not ManagerReferral.objects.exists()


def test_closed_loop_through_the_api(world, api):
    ticket = resolved_complaint(world)
    auth = world.auth(world.handler)
    r = api.put(f"/tickets/{ticket.pk}/complaint", {"version": ticket.version, "responsible_party": "李师傅",
                                                   "content": "语气生硬", "result": "致歉"}, **auth)
    assert r.status_code == 200, r.content
    assert r.json()["missing"] == ["callback_outcome", "customer_acceptance"]
    ticket.refresh_from_db()
    r = api.post(f"/tickets/{ticket.pk}/transition", {"version": ticket.version, "to": "closed"}, **auth)
    assert r.status_code == 422 and r.json()["error"]["code"] == "complaint_loop_open"
    r = api.post(f"/tickets/{ticket.pk}/override-close", {"version": ticket.version, "reason": "失联"}, **auth)
    assert r.status_code == 403
    r = api.post(f"/tickets/{ticket.pk}/override-close", {"version": ticket.version, "reason": "失联"},
                 **world.auth(world.lead))
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_referral_inbox_and_decision_through_the_api(world, api):
    ticket = world.ticket()
    r = api.post(f"/tickets/{ticket.pk}/referrals", {"question": "可否减免", "manager_id": world.manager.pk},
                 **world.auth(world.agent))
    assert r.status_code == 201, r.content
    referral = r.json()["id"]
    r = api.get("/tickets/referrals", **world.auth(world.manager))
    assert [x["id"] for x in r.json()] == [referral]
    assert api.get("/tickets/referrals?state=bogus", **world.auth(world.manager)).json()["error"]["field"] == "state"
    r = api.post(f"/tickets/referrals/{referral}/decision", {"decision": ""}, **world.auth(world.manager))
    assert r.status_code == 422 and r.json()["error"]["field"] == "decision"
    r = api.post(f"/tickets/referrals/{referral}/decision", {"decision": "同意减免"}, **world.auth(world.manager))
    assert r.status_code == 200 and r.json()["state"] == "decided"


def test_ticket_page_shows_the_loop_and_the_referral_forms(world, client):
    ticket = resolved_complaint(world)
    client.force_login(world.lead)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="loop-missing"' in page and 'data-testid="override-form"' in page
    r = client.post(f"/tickets/{ticket.pk}/complaint/", {"version": ticket.version - 1, "result": "x"})
    assert r.status_code == 409
    r = client.post(f"/tickets/{ticket.pk}/complaint/", {"version": ticket.version, "responsible_party": "李师傅",
                                                          "content": "语气生硬", "result": "致歉"})
    assert r.status_code == 302
    other = world.ticket()
    client.force_login(world.agent)
    assert 'data-testid="refer-form"' in client.get(other.get_absolute_url()).content.decode()
    r = client.post(f"/tickets/{other.pk}/refer/", {"manager_id": world.manager.pk, "question": ""})
    assert r.status_code == 422 and 'class="field-error"' in r.content.decode()
    assert not ManagerReferral.objects.filter(ticket=other).exists()
    client.post(f"/tickets/{other.pk}/refer/", {"manager_id": world.manager.pk, "question": "可否减免"})
    client.force_login(world.manager)
    assert other.title in client.get("/tickets/referrals/").content.decode()
    page = client.get(other.get_absolute_url()).content.decode()
    assert 'data-testid="decide-form"' in page


def test_a_second_referral_racing_past_the_check_is_refused_not_a_500(world, monkeypatch):
    """Both requests passed the 'already waiting?' check; the database's constraint decides."""
    from kefu.tickets.services import referrals

    ticket = world.ticket()
    services.refer_to_manager(actor=world.agent, ticket_id=ticket.pk, question="可否减免", manager_id=world.manager.pk)
    monkeypatch.setattr(referrals.ManagerReferral.objects, "filter",
                        lambda **kw: ManagerReferral.objects.none() if "state" in kw else
                        ManagerReferral.objects.all().filter(**kw))
    with pytest.raises(ValidationFailed) as err:
        services.refer_to_manager(actor=world.handler, ticket_id=ticket.pk, question="再问",
                                  manager_id=world.manager.pk)
    assert err.value.code == "duplicate"
    assert ManagerReferral.objects.count() == 1
