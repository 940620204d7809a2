"""Tickets are indexed after the commit: marked pending in the change, written by a drain a second later."""

from datetime import UTC, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from kefu.search import pending
from kefu.search.models import PendingDocument, SearchDocument
from kefu.search.selectors import search
from kefu.testing import at_once
from kefu.tickets.services import add_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def deferred(settings, monkeypatch):
    """Production behaviour: nothing is segmented inside the change; no drain scheduled by an earlier test."""
    settings.SEARCH_INDEX_INLINE = False
    monkeypatch.setattr(pending, "_scheduled_until", 0.0)


def ids(user, q):
    return [h.object_id for h in search(user, q).hits if h.kind == "ticket"]


def documents(ticket):
    return SearchDocument.objects.filter(kind="ticket", object_id=ticket.pk)


def test_a_new_ticket_is_marked_in_its_transaction_and_found_after_the_drain(world, deferred):
    ticket = world.ticket(title="燃气灶打不着火")
    assert list(PendingDocument.objects.values_list("kind", "object_id")) == [("ticket", ticket.pk)]
    assert not documents(ticket).exists() and not ids(world.supervisor, "燃气灶")
    assert pending.drain() == 1
    assert ids(world.supervisor, "燃气灶") == [ticket.pk]
    assert not PendingDocument.objects.exists()
    assert pending.drain() == 0


def test_a_rolled_back_change_marks_nothing(world, deferred):
    with pytest.raises(RuntimeError), transaction.atomic():
        world.ticket(title="燃气灶打不着火")
        raise RuntimeError
    assert not PendingDocument.objects.exists()


def test_a_commit_schedules_one_drain_a_second_ahead_and_a_burst_shares_it(world, deferred,
                                                                            django_capture_on_commit_callbacks):
    from huey.contrib.djhuey import HUEY

    with django_capture_on_commit_callbacks(execute=True) as first:
        world.ticket(title="燃气灶打不着火")
    with django_capture_on_commit_callbacks(execute=True):
        world.ticket(title="热水器不出热水")
    assert first  # the mark asked for a drain after the commit
    queued = HUEY.pending()  # with its eta: the consumer holds it back until then
    assert [task.name for task in queued] == ["drain_pending"]
    assert timezone.now() + timedelta(seconds=0.5) < queued[0].eta.replace(tzinfo=UTC)
    assert pending.drain() == 2


def test_a_reply_after_the_drain_is_indexed_by_the_next_one(world, deferred):
    ticket = world.ticket(title="咨询燃气费缴纳方式")
    pending.drain()
    add_message(actor=world.agent, ticket_id=ticket.pk, kind="note", body="已指导客户在支付宝中添加户号")
    assert not ids(world.supervisor, "支付宝")
    assert pending.drain() == 1
    assert ids(world.supervisor, "支付宝") == [ticket.pk]
    assert documents(ticket).count() == 1


def test_a_change_while_the_drain_segments_is_not_overwritten_by_its_stale_document(world, deferred):
    ticket = world.ticket(title="咨询燃气费缴纳方式")
    token, claimed = pending._claim(10, timezone.now())
    stale = [pending.indexing.build_row(pending.indexing.ticket_document(ticket))]
    # Meanwhile an agent adds a note: the change marks the ticket again, which clears the drain's claim.
    add_message(actor=world.agent, ticket_id=ticket.pk, kind="note", body="已指导客户在支付宝中添加户号")
    assert pending._write(token, stale, claimed) == 0
    assert not documents(ticket).exists()
    assert PendingDocument.objects.get().claim is None
    assert pending.drain() == 1
    assert ids(world.supervisor, "支付宝") == [ticket.pk]


def test_a_claim_left_by_a_dead_drain_is_taken_over_after_the_timeout(world, deferred):
    ticket = world.ticket(title="燃气灶打不着火")
    PendingDocument.objects.update(claim="dead", claimed_at=timezone.now() - timedelta(minutes=1))
    assert pending.drain() == 0  # another drain may still be working on it
    PendingDocument.objects.update(claimed_at=timezone.now() - pending.CLAIM_TIMEOUT - timedelta(seconds=1))
    assert pending.drain() == 1
    assert documents(ticket).exists()


def test_a_ticket_that_no_longer_exists_loses_its_document(world, deferred):
    SearchDocument.objects.create(kind="ticket", object_id=999_999, title="gone", indexed_at=timezone.now())
    pending.mark("ticket", 999_999)
    assert pending.drain() == 1
    assert not SearchDocument.objects.filter(object_id=999_999).exists()


def test_drain_works_in_batches_up_to_a_limit(world, deferred):
    tickets = [world.ticket(title=f"燃气表读数异常 {i}") for i in range(5)]
    assert pending.drain(batch=2, limit=3) == 3
    assert PendingDocument.objects.count() == 2
    assert pending.drain(batch=2) == 2
    assert SearchDocument.objects.filter(kind="ticket").count() == len(tickets)


def test_the_worker_task_drains(world, deferred):
    from kefu.search.tasks import drain_pending, drain_pending_leftovers

    world.ticket(title="燃气灶打不着火")
    assert drain_pending.call_local() == 1
    world.ticket(title="热水器不出热水")
    assert drain_pending_leftovers.call_local() == 1


@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_index_each_ticket_once(deferred):
    from kefu.testing import build_world

    world = build_world()
    tickets = [world.ticket(title=f"燃气表读数异常 {i}") for i in range(40)]
    done = at_once(lambda _: pending.drain(batch=5), [1, 2])
    assert sum(done) == len(tickets)
    assert not PendingDocument.objects.exists()
    assert SearchDocument.objects.filter(kind="ticket").count() == len(tickets)
