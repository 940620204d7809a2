"""The ticket lifecycle (TK3), per-type transitions (TK1), reopen, relations (TK6), dispatch (TK4)."""

import datetime as dt

import pytest
from django.utils import timezone

from kefu.core.errors import ValidationFailed
from kefu.tickets import services
from kefu.tickets.models import EventCode, Ticket


def move(world, ticket, to, user=None, **kwargs):
    return services.transition_ticket(actor=user or world.agent, ticket_id=ticket.pk, version=ticket.version,
                                      to=to, **kwargs)


def test_repair_walks_the_full_lifecycle_and_every_step_is_an_event(world):
    ticket = world.ticket(type="repair", title="燃气表不走字", custom={"fault": "计量异常", "device_no": "M-0001"})
    ticket = services.assign_ticket(actor=world.lead, ticket_id=ticket.pk, version=ticket.version,
                                    team_id=world.team_a.pk, assignee_id=world.agent.pk)
    assert ticket.status == "assigned"
    for to in ("in_progress", "waiting_customer", "in_progress", "resolved", "callback", "closed"):
        ticket = move(world, ticket, to)
    assert ticket.status == "closed" and not ticket.is_open and ticket.closed_at and ticket.resolved_at
    codes = list(ticket.events.order_by("id").values_list("code", flat=True))
    # Resolving schedules the callback (kefu.callbacks); closing by hand cancels it, as an outcome event.
    assert codes == (["created", "assigned"] + ["status_changed"] * 4 + ["callback_scheduled"]
                     + ["status_changed"] * 2 + ["callback_outcome"])
    # Every change of the ticket itself is one version; the callback's events record the version they saw.
    changes = ticket.events.exclude(code__startswith="callback_").order_by("id")
    assert list(changes.values_list("version", flat=True)) == list(range(1, ticket.version + 1))


def test_complaint_cannot_skip_the_callback(world):
    ticket = world.ticket(type="complaint", title="维修人员态度差", custom={"category": "服务态度"})
    ticket = move(world, ticket, "in_progress")
    ticket = move(world, ticket, "resolved")
    with pytest.raises(ValidationFailed) as err:
        move(world, ticket, "closed")
    assert err.value.code == "transition_not_allowed"
    assert move(world, ticket, "callback").status == "callback"


def test_inquiry_answered_on_the_spot_closes_at_once(world):
    ticket = world.ticket(type="inquiry")
    assert move(world, ticket, "closed").status == "closed"


def test_assigned_needs_an_assignee(world):
    ticket = world.ticket(type="repair", custom={"fault": "其他"})
    with pytest.raises(ValidationFailed) as err:
        move(world, ticket, "assigned")
    assert err.value.code == "no_assignee"


def test_reopen_needs_a_reason_and_a_done_ticket(world):
    ticket = world.ticket()
    with pytest.raises(ValidationFailed) as err:
        services.reopen_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, reason="再次来电")
    assert err.value.code == "not_reopenable"
    ticket = move(world, ticket, "closed")
    with pytest.raises(ValidationFailed) as err:
        services.reopen_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, reason="  ")
    assert err.value.field == "reason"
    ticket = services.reopen_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                    reason="客户再次来电，问题未解决")
    assert ticket.status == "in_progress" and ticket.is_open and ticket.closed_at is None
    assert ticket.events.last().code == EventCode.REOPENED


def test_parent_cannot_be_resolved_while_a_child_is_open(world):
    outage = world.ticket(type="repair", title="城东片区停气", custom={"fault": "无法使用"})
    child = world.ticket(type="repair", title="家里没气", parent_id=outage.pk, custom={"fault": "无法使用"})
    outage.refresh_from_db()
    assert outage.events.last().code == EventCode.CHILD_ADDED
    with pytest.raises(ValidationFailed) as err:
        move(world, outage, "resolved")
    assert err.value.code == "open_children"
    move(world, child, "resolved")
    assert move(world, outage, "resolved").status == "resolved"


def test_parent_cycles_are_refused(world):
    a = world.ticket(title="a")
    b = world.ticket(title="b", parent_id=a.pk)
    a.refresh_from_db()
    with pytest.raises(ValidationFailed) as err:
        services.set_parent(actor=world.agent, ticket_id=a.pk, version=a.version, parent_id=b.pk)
    assert err.value.code == "parent_cycle"


def test_merge_closes_the_duplicate_and_records_both_sides(world):
    keep = world.ticket(title="小区燃气泄漏")
    dup = world.ticket(title="闻到燃气味")
    merged = services.merge_ticket(actor=world.agent, ticket_id=dup.pk, version=dup.version, into_id=keep.pk)
    assert merged.status == "closed" and merged.merged_into_id == keep.pk
    assert keep.events.last().code == EventCode.MERGED_FROM
    with pytest.raises(ValidationFailed) as err:
        services.merge_ticket(actor=world.agent, ticket_id=merged.pk, version=merged.version, into_id=keep.pk)
    assert err.value.code == "already_merged"
    with pytest.raises(ValidationFailed) as err:
        services.reopen_ticket(actor=world.agent, ticket_id=merged.pk, version=merged.version, reason="x")
    assert err.value.code == "merged"


def test_link_once_and_never_to_itself(world):
    a, b = world.ticket(title="a"), world.ticket(title="b")
    services.link_tickets(actor=world.agent, ticket_id=a.pk, other_id=b.pk)
    for other, code in ((a.pk, "self_link"), (b.pk, "duplicate")):
        with pytest.raises(ValidationFailed) as err:
            services.link_tickets(actor=world.agent, ticket_id=a.pk, other_id=other)
        assert err.value.code == code
    with pytest.raises(ValidationFailed):  # the reverse direction is the same link
        services.link_tickets(actor=world.agent, ticket_id=b.pk, other_id=a.pk)


def test_dispatch_with_appointment_window_makes_ticket_visible_to_crew(world):
    ticket = world.ticket(type="repair", custom={"fault": "漏气/漏水"})
    start = timezone.now() + dt.timedelta(hours=2)
    with pytest.raises(ValidationFailed) as err:
        services.dispatch_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                 team_id=world.crew.pk, appointment_start=start, appointment_end=start)
    assert err.value.code == "invalid_window"
    assert not Ticket.objects.visible_to(world.fieldman).exists()
    ticket = services.dispatch_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                      team_id=world.crew.pk, appointment_start=start,
                                      appointment_end=start + dt.timedelta(hours=2), note="带检漏仪")
    assert ticket.status == "waiting_other"
    assert list(Ticket.objects.visible_to(world.fieldman)) == [ticket]
    event = ticket.events.last()
    assert event.code == EventCode.DISPATCHED and event.params["team"] == world.crew.pk
    # The crew records its result as a note and hands back; the agent's team still sees it.
    services.add_message(actor=world.fieldman, ticket_id=ticket.pk, kind="note", body="已到场，更换阀门")
    assert Ticket.objects.visible_to(world.agent).filter(pk=ticket.pk).exists()


def test_update_records_only_changed_fields_and_hides_phone(world):
    ticket = world.ticket(type="repair", custom={"fault": "其他"})
    ticket = services.update_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                    changes={"priority": 3, "title": ticket.title,
                                             "contact_phone": "13900001111"})
    params = ticket.events.last().params
    assert set(params["fields"]) == {"priority", "contact_phone"}
    assert params["fields"]["contact_phone"] == ["***", "***"]
    assert "13900001111" not in str(list(ticket.events.values_list("params", flat=True)))
    again = services.update_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                   changes={"priority": 3})
    assert again.version == ticket.version  # nothing changed, nothing written


def test_changing_type_revalidates_custom_fields(world):
    ticket = world.ticket(type="inquiry")
    with pytest.raises(ValidationFailed) as err:
        services.update_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                               changes={"type": "repair"})
    assert (err.value.code, err.value.field) == ("required", "custom.fault")
    ticket = services.update_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                    changes={"type": "repair", "custom": {"fault": "噪音"}})
    assert ticket.ticket_type.code == "repair" and ticket.custom == {"fault": "噪音"}


def test_reveal_contact_phone_is_audited_and_refused_to_qa(world):
    from kefu.audit.models import AuditEntry
    from kefu.core.errors import Forbidden

    ticket = world.ticket()
    assert services.reveal_contact_phone(actor=world.agent, ticket_id=ticket.pk) == "13812341234"
    entry = AuditEntry.objects.get(action="pii_revealed")
    assert (entry.actor, entry.target_type, entry.target_id) == (world.agent, "ticket", str(ticket.pk))
    with pytest.raises(Forbidden):
        services.reveal_contact_phone(actor=world.qa, ticket_id=ticket.pk)
    assert AuditEntry.objects.filter(action="pii_revealed").count() == 1


def test_no_new_or_reopened_child_under_a_closed_parent(world):
    outage = world.ticket(title="片区停气")
    child = world.ticket(title="家里没气", parent_id=outage.pk)
    child = move(world, child, "closed")
    outage.refresh_from_db()
    move(world, outage, "closed")
    with pytest.raises(ValidationFailed) as err:
        world.ticket(title="又一户没气", parent_id=outage.pk)
    assert (err.value.code, err.value.field) == ("parent_done", "parent_id")
    with pytest.raises(ValidationFailed) as err:
        services.reopen_ticket(actor=world.agent, ticket_id=child.pk, version=child.version, reason="又没气了")
    assert err.value.code == "parent_done"
    assert Ticket.objects.get(pk=child.pk).status == "closed"
