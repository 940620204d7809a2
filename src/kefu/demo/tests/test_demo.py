"""`kefu demo`: a small demo center loaded once through the services, then checked like a user would check it."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Max

from kefu.accounts.models import User
from kefu.accounts.roles import Role
from kefu.customers.models import ContactPoint, Customer, CustomerStatusChange
from kefu.tickets.lifecycle import DONE_STATUSES, Channel, Priority, Status
from kefu.tickets.models import EventCode, Ticket, TicketEvent, TicketField, TicketLink, TicketType

pytestmark = pytest.mark.django_db

# Events the demo itself drives; the SLA app adds its own (escalations) with times of its choosing.
DEMO_EVENTS = {EventCode.CREATED, EventCode.STATUS_CHANGED, EventCode.ASSIGNED, EventCode.DISPATCHED,
               EventCode.REPLIED, EventCode.NOTE_ADDED, EventCode.CUSTOMER_MESSAGE, EventCode.REOPENED,
               EventCode.LINKED, EventCode.MERGED_INTO, EventCode.MERGED_FROM, EventCode.PARENT_SET,
               EventCode.CHILD_ADDED, EventCode.COMPLAINT_RECORDED}


def _titles_after_loading(seed: int) -> tuple[list[str], list[str]]:
    """Load a tiny demo inside a savepoint, read it, and roll it back so the database is empty again."""
    with transaction.atomic():
        call_command("demo", customers=6, tickets=20, seed=seed, quiet=True)
        titles = sorted(Ticket.objects.values_list("title", flat=True))
        names = sorted(Customer.objects.values_list("name", flat=True))
        transaction.set_rollback(True)
    return titles, names


# These two run first, on an empty database, before the module's demo below is loaded.
def test_the_same_seed_gives_the_same_tickets_and_customers():
    assert not Ticket.objects.exists()
    first = _titles_after_loading(11)
    assert first == _titles_after_loading(11)
    assert len(first[0]) == 20 and len(first[1]) == 6


def test_bad_sizes_are_refused():
    with pytest.raises(CommandError, match="--customers"):
        call_command("demo", customers=1, tickets=5, quiet=True)
    assert not User.objects.exists()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module's tests; rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("demo", customers=24, tickets=100, seed=7, stdout=out, stderr=StringIO())
        yield out.getvalue()
        transaction.set_rollback(True)


def test_every_type_status_channel_and_priority_occurs(demo):
    tickets = Ticket.objects.all()
    assert tickets.count() == 100
    assert set(tickets.values_list("ticket_type__code", flat=True)) == set(
        TicketType.objects.values_list("code", flat=True))
    assert set(tickets.values_list("status", flat=True)) == set(Status.values)
    assert set(tickets.values_list("channel", flat=True)) == set(Channel.values)
    assert set(tickets.values_list("priority", flat=True)) == set(Priority.values)
    phone = Counter(tickets.values_list("channel", flat=True))
    assert phone.most_common(1)[0][0] == Channel.PHONE


def test_every_ticket_has_one_created_event_and_versions_agree(demo):
    tickets = dict(Ticket.objects.values_list("pk", "version"))
    created = Counter(TicketEvent.objects.filter(code=EventCode.CREATED).values_list("ticket_id", flat=True))
    assert created == Counter(tickets.keys())
    assert not TicketEvent.objects.filter(code=EventCode.CREATED).exclude(version=1).exists()
    latest = dict(TicketEvent.objects.values("ticket_id").annotate(v=Max("version")).values_list("ticket_id", "v"))
    assert latest == tickets
    # Every version from 1 to the ticket's version was produced by exactly one change the demo made.
    versions = Counter(TicketEvent.objects.filter(code__in=DEMO_EVENTS).values_list("ticket_id", "version"))
    assert all(count == 1 for count in versions.values())
    assert sum(tickets.values()) == len(versions)


def test_history_is_backdated_in_order_and_in_the_past(demo):
    from django.utils import timezone

    now = timezone.now()
    for ticket in Ticket.objects.all():
        events = list(ticket.events.filter(code__in=DEMO_EVENTS).order_by("version", "id"))
        times = [e.created_at for e in events]
        assert times == sorted(times), ticket.number
        assert times[0] == ticket.created_at and times[-1] < now
        assert ticket.occurred_at < ticket.created_at
    span = Ticket.objects.order_by("created_at")
    assert (span.last().created_at - span.first().created_at).days >= 30


def test_custom_fields_follow_their_definitions(demo):
    definitions = {}
    for field in TicketField.objects.select_related("ticket_type"):
        definitions.setdefault(field.ticket_type.code, []).append(field)
    for ticket in Ticket.objects.select_related("ticket_type"):
        for field in definitions.get(ticket.ticket_type.code, []):
            value = ticket.custom.get(field.key)
            if field.required:
                assert value not in (None, ""), (ticket.number, field.key)
            if value is not None and field.kind == TicketField.Kind.CHOICE:
                assert value in field.choices, (ticket.number, field.key, value)
        assert set(ticket.custom) <= {f.key for f in definitions.get(ticket.ticket_type.code, [])}
        assert ticket.title and ticket.description and ticket.reporter_name and ticket.handling


def test_records_read_like_the_businesses(demo):
    after_sales = Ticket.objects.filter(ticket_type__code="after_sales")
    assert all(t.custom["order_no"] in t.description for t in after_sales)
    repairs = Ticket.objects.filter(ticket_type__code="repair", customer__isnull=False)
    assert all(t.custom["device_no"].startswith("M-") for t in repairs)
    bugs = Ticket.objects.filter(ticket_type__code="bug")
    assert all("UID" in t.description or "玩家" in t.description for t in bugs)
    complaints_closed = Ticket.objects.filter(ticket_type__code="complaint", status=Status.CLOSED)
    for ticket in complaints_closed:  # a complaint closes only after its callback step (TK7)
        assert ticket.events.filter(code=EventCode.STATUS_CHANGED, params__to=Status.CALLBACK).exists()


def test_work_goes_through_dispatch_reopen_links_merges_and_outages(demo):
    crews = Ticket.objects.filter(dispatched_team__is_field_crew=True)
    assert crews.exists()
    assert all(t.appointment_start < t.appointment_end for t in crews)
    assert TicketEvent.objects.filter(code=EventCode.REOPENED).exists()
    assert TicketLink.objects.exists()
    merged = Ticket.objects.filter(merged_into__isnull=False)
    assert merged.exists() and set(merged.values_list("status", flat=True)) == {Status.CLOSED}
    parents = Ticket.objects.filter(children__isnull=False).distinct()
    assert parents.exists()
    for parent in parents:
        assert parent.is_major
        if parent.status in DONE_STATUSES:
            assert not parent.children.filter(is_open=True).exists()
    # Field crews did their part themselves, as users who see only dispatched work.
    assert TicketEvent.objects.filter(actor__role=Role.FIELD_CREW, code=EventCode.STATUS_CHANGED).exists()


def test_every_ticket_has_one_to_a_few_replies_or_notes(demo):
    for ticket in Ticket.objects.all():
        count = ticket.messages.exclude(kind="customer").count()
        assert 1 <= count <= 8, (ticket.number, count)
    assert Ticket.objects.filter(messages__kind="customer").exists()


def test_people_customers_and_logins(demo):
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(role=Role.AGENT).count() == 30
    assert User.objects.exclude(agent_no=None).count() == User.objects.count()
    assert authenticate(username="agent01", password="kefu2026") is not None
    assert authenticate(username="admin", password="kefu2026").is_superuser
    assert Customer.objects.count() == 24
    mobiles = list(ContactPoint.objects.filter(kind="mobile").values_list("value", flat=True))
    assert len(mobiles) == len(set(mobiles))
    assert all(m[0] == "1" and len(m) == 11 for m in mobiles)
    organisations = Customer.objects.filter(kind=Customer.Kind.ORGANISATION)
    assert organisations.exists()
    assert all(o.account_manager is not None and o.tier in ("group", "vip") for o in organisations)
    assert CustomerStatusChange.objects.exists()
    for login in ("admin", "agent01", "lead01", "supervisor", "kefu2026"):
        assert login in demo


def test_a_second_load_is_refused_and_if_empty_skips(demo):
    count = Ticket.objects.count()
    with pytest.raises(CommandError, match="already has"):
        call_command("demo", quiet=True)
    out = StringIO()
    call_command("demo", if_empty=True, stdout=out)
    assert "not loaded" in out.getvalue()
    assert Ticket.objects.count() == count


def test_demo_has_knowledge_phrases_memos_and_a_read_briefing(demo):
    from kefu.briefing.models import Briefing
    from kefu.knowledge.models import Article
    from kefu.memos.models import Memo

    assert Article.objects.public().count() >= 4
    assert Article.objects.filter(status="in_review").count() == 1
    assert Memo.objects.filter(status="answered").exists() and Memo.objects.filter(briefing_date__isnull=False).exists()
    briefing = Briefing.objects.get(status="published")
    assert briefing.reads.count() == 3


def test_called_back_tickets_close_through_their_callback_and_complaints_through_the_loop(demo):
    from kefu.callbacks.models import CallbackTask
    from kefu.tickets.models import ComplaintRecord

    closed = Ticket.objects.filter(status="closed")
    accepted = set(CallbackTask.objects.filter(outcome="accepted").values_list("ticket_id", flat=True))
    closed_complaints = set(closed.filter(ticket_type__is_complaint=True).values_list("pk", flat=True))
    assert closed_complaints and closed_complaints <= accepted
    assert closed_complaints <= set(ComplaintRecord.objects.values_list("ticket_id", flat=True))
    # Resolved tickets still wait in the callback queue, so the demo's callback screen has work on it.
    assert CallbackTask.objects.filter(state="open").exists()
    # Most customers reached answer the survey, so the callback report has CSAT and NPS to show.
    from kefu.reports.models import SurveyAnswer as SurveyFact
    from kefu.surveys.models import Response

    taken = Response.objects.filter(via="callback").count()
    assert 0.4 * len(accepted) < taken <= len(accepted)
    assert SurveyFact.objects.count() == taken
