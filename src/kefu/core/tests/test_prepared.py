"""kefu.core.prepared: the compiled hot-path SQL writes and reads exactly what the ORM would."""

import datetime as dt
from contextlib import nullcontext

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_init, post_save
from django.test.utils import CaptureQueriesContext

from kefu.accounts.models import User
from kefu.core.prepared import PreparedInsert, PreparedList, PreparedQuery, PreparedUpdate
from kefu.customers.models import Customer
from kefu.customers.services import CustomerInput, create_customer
from kefu.tickets.models import EventCode, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=dt.UTC)


def _event(ticket, **kwargs):
    fields = {"ticket": ticket, "version": 7, "code": EventCode.NOTE_ADDED, "params": {"中文": [1, None]},
              "actor": None, "created_at": AT, **kwargs}
    return TicketEvent(**fields)


def test_insert_writes_the_row_the_orm_would_and_sets_the_pk(world):
    ticket = world.ticket()
    mine = PreparedInsert(TicketEvent).save(_event(ticket))
    theirs = TicketEvent.objects.create(**{f.name: getattr(_event(ticket), f.name)
                                          for f in TicketEvent._meta.concrete_fields if not f.primary_key})
    assert mine.pk and not mine._state.adding
    fields = ["ticket_id", "version", "code", "params", "actor_id", "created_at"]
    assert (TicketEvent.objects.filter(pk=mine.pk).values(*fields).get()
            == TicketEvent.objects.filter(pk=theirs.pk).values(*fields).get())
    assert TicketEvent.objects.get(pk=mine.pk).created_at == AT


def test_bulk_insert_is_one_statement_and_returns_every_pk_in_order(world):
    ticket = world.ticket()
    events = [_event(ticket, version=v) for v in range(1, 6)]
    with CaptureQueriesContext(connection) as queries:
        PreparedInsert(TicketEvent).bulk(events)
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1
    stored = dict(TicketEvent.objects.filter(pk__in=[e.pk for e in events]).values_list("pk", "version"))
    assert [stored[e.pk] for e in events] == [1, 2, 3, 4, 5]


def test_insert_goes_through_the_orm_when_someone_listens_for_saves(world):
    ticket = world.ticket()
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    post_save.connect(receiver, sender=TicketEvent, dispatch_uid="test-prepared")
    try:
        event = PreparedInsert(TicketEvent).save(_event(ticket))
    finally:
        post_save.disconnect(dispatch_uid="test-prepared", sender=TicketEvent)
    assert heard == [(event.pk, True)]


def test_insert_is_undone_with_the_callers_transaction(world):
    ticket = world.ticket()
    before = TicketEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        PreparedInsert(TicketEvent).bulk([_event(ticket), _event(ticket)])
        raise RuntimeError
    assert TicketEvent.objects.count() == before


def test_query_returns_the_instance_with_its_related_rows_and_converted_values(world):
    query = PreparedQuery(lambda pk: User.objects.select_related("team").filter(pk=pk, is_active=True), 1)
    with CaptureQueriesContext(connection) as queries:
        agent = query.first(world.agent.pk)
        assert agent.team.name == world.team_a.name  # came with the same query
    assert len(queries) == 1
    assert (agent.pk, agent.role, agent.date_joined) == (world.agent.pk, world.agent.role, world.agent.date_joined)
    assert query.first(world.agent_b.pk).pk == world.agent_b.pk  # compiled once, new values each time
    assert query.first(999_999) is None
    User.objects.filter(pk=world.agent.pk).update(is_active=False)
    assert query.first(world.agent.pk) is None


def test_query_keyed_by_context_answers_none_when_the_queryset_is_empty(world):
    query = PreparedQuery(lambda pk, actor: Customer.objects.visible_to(actor).filter(pk=pk), 1)
    customer = create_customer(actor=None, data=CustomerInput(name="王伟"))
    assert query.first(customer.pk, key="agent", actor=world.agent).pk == customer.pk
    world.agent.is_active = False  # visible_to() answers none(): nothing is compiled and nothing is run
    with CaptureQueriesContext(connection) as queries:
        assert query.first(customer.pk, key="inactive", actor=world.agent) is None
    assert len(queries) == 0


def test_update_writes_each_instance_in_one_statement(world):
    tickets = [world.ticket(), world.ticket()]
    for i, ticket in enumerate(tickets):
        ticket.title, ticket.closed_at = f"改 {i}", AT if i else None
    with CaptureQueriesContext(connection) as queries:
        assert PreparedUpdate(Ticket, ["title", "closed_at"]).run(tickets) == 2
    assert len(queries) == 1
    assert list(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).order_by("pk")
                .values_list("title", "closed_at")) == [("改 0", None), ("改 1", AT)]


def _queue(*values, user, shape):
    qs = Ticket.objects.visible_to(user).filter(**dict(zip(shape, values, strict=True)))
    return qs.select_related("ticket_type", "team", "assignee", "customer").order_by("-priority", "created_at", "id")


def _same(mine: Ticket, theirs: Ticket) -> None:
    fields = [f.attname for f in Ticket._meta.concrete_fields]
    assert [getattr(mine, f) for f in fields] == [getattr(theirs, f) for f in fields]
    for name in ("ticket_type", "team", "assignee", "customer"):
        a, b = getattr(mine, name), getattr(theirs, name)
        assert (a and {f.attname: getattr(a, f.attname) for f in a._meta.concrete_fields}) == (
            b and {f.attname: getattr(b, f.attname) for f in b._meta.concrete_fields}), name
    assert not mine._state.adding and mine._state.db == "default"


def test_list_pages_and_count_are_what_the_orm_returns(world):
    for i in range(5):
        world.ticket(title=f"工单 {i}", priority=1 + i % 3, customer_id=world.customer.pk if i % 2 else None,
                     assignee_id=world.agent.pk if i else None,
                     occurred_at=AT if i % 2 else None, type="repair",
                     custom={"fault": "其他", "device_no": f"M-{i}"})
    world.ticket(title="别人的", by=world.agent_b)
    listed = PreparedList(_queue, None)
    key = ("agent", ("created_by_id",))
    context = {"user": world.agent, "shape": ("created_by_id",)}
    orm = list(_queue(world.agent.pk, **context))
    assert listed.count(world.agent.pk, key=key, **context) == len(orm) == 5
    with CaptureQueriesContext(connection) as queries:
        first, second = (listed.page(world.agent.pk, offset=o, limit=3, key=key, **context) for o in (0, 3))
        assert [t.customer and t.customer.name for t in first + second] == [t.customer and t.customer.name
                                                                             for t in orm]
    assert len(queries) == 2  # the related rows came with the page
    for mine, theirs in zip(first + second, orm, strict=True):
        _same(mine, theirs)
    assert {t.occurred_at for t in first + second} == {None, AT}
    # One instance per related row on a page, however many tickets share it.
    assigned = [t.assignee for t in first + second if t.assignee_id]
    assert len(assigned) == 4 and len({id(a) for a in assigned[:2]}) == 1 and assigned[0].pk == world.agent.pk
    assert len({id(t.ticket_type) for t in first}) == 1
    assert listed.count(world.agent_b.pk, key=key, **context) == 0  # the same statement, another value


def test_list_rows_with_deferred_related_columns_load_them_when_read(world):
    world.ticket(title="工单", customer_id=world.customer.pk)
    listed = PreparedList(lambda pk: Ticket.objects.filter(created_by_id=pk).select_related("customer")
                          .only("id", "title", "customer__name"), 1)
    [ticket] = listed.page(world.agent.pk, offset=0, limit=10)
    with CaptureQueriesContext(connection) as queries:
        assert (ticket.title, ticket.customer.name) == ("工单", "王小明")
    assert len(queries) == 0
    assert ticket.customer.tier == world.customer.tier  # deferred: loaded on demand, like the ORM's only()


def test_list_rows_are_made_by_the_orm_when_someone_listens_for_inits(world):
    world.ticket(title="工单")
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance.pk)

    listed = PreparedList(_queue, None)
    context = {"user": world.agent, "shape": ("created_by_id",)}
    post_init.connect(receiver, sender=Ticket, dispatch_uid="test-prepared-list")
    try:
        [ticket] = listed.page(world.agent.pk, offset=0, limit=10, key="k", **context)
    finally:
        post_init.disconnect(dispatch_uid="test-prepared-list", sender=Ticket)
    assert heard == [ticket.pk]


def test_a_list_nobody_may_see_runs_no_query(world):
    world.agent.is_active = False
    listed = PreparedList(_queue, None)
    with CaptureQueriesContext(connection) as queries:
        assert listed.count(1, key="inactive", user=world.agent, shape=("created_by_id",)) == 0
        assert listed.page(1, offset=0, limit=5, key="inactive", user=world.agent, shape=("created_by_id",)) == []
    assert len(queries) == 0


def test_a_parameter_of_a_small_integer_column_is_prepared_like_any_other(world):
    # Django compiles an out-of-range integer filter to "matches nothing": the stand-ins must fit every column.
    ticket = world.ticket(priority=3)
    query = PreparedQuery(lambda priority: Ticket.objects.filter(priority=priority), 1)
    assert query.first(3).pk == ticket.pk
    assert query.first(1) is None


@pytest.mark.parametrize("recorded", [False, True])
def test_a_refused_statement_raises_djangos_error_whichever_cursor_runs_it(world, recorded):
    from kefu.search.models import SearchDocument

    def row():
        return SearchDocument(kind="ticket", object_id=1, title="x", indexed_at=AT)

    PreparedInsert(SearchDocument).save(row())
    # Recorded queries go through Django's cursor, the others through the direct one.
    with (CaptureQueriesContext(connection) if recorded else nullcontext(), pytest.raises(IntegrityError),
          transaction.atomic()):
        PreparedInsert(SearchDocument).save(row())
    assert SearchDocument.objects.filter(kind="ticket").count() == 1


def test_new_instances_are_what_the_model_class_makes(world):
    fields = {"ticket_type": world.ticket().ticket_type, "title": "新", "customer": world.customer, "team_id": None,
              "assignee": world.agent, "created_by": None, "created_at": AT, "updated_at": AT}
    mine, theirs = PreparedInsert(Ticket).new(**fields), Ticket(**fields)
    assert ({f.attname: getattr(mine, f.attname) for f in Ticket._meta.concrete_fields}
            == {f.attname: getattr(theirs, f.attname) for f in Ticket._meta.concrete_fields})
    assert mine._state.adding and mine.custom == {} and mine.custom is not theirs.custom
    assert mine.assignee is world.agent and mine.customer is world.customer and mine.created_by is None
    with pytest.raises(TypeError, match="colour"):
        PreparedInsert(Ticket).new(colour="red")


def test_versioned_update_bumps_only_the_version_it_was_based_on(world):
    from django.db.models import F

    from kefu.core.prepared import VersionedUpdate

    ticket = world.ticket()
    bump = VersionedUpdate(Ticket)
    with CaptureQueriesContext(connection) as queries:
        assert bump.run(ticket, {"updated_at": AT, "title": "改"}, version=1) == 2
    assert len(queries) == 1  # the UPDATE answers the new version itself
    assert bump.run(ticket, {"updated_at": AT}, version=1) is None  # stale: nothing written
    assert bump.run(ticket, {"assignee": world.agent}) == 3  # no version given: always bumps; objects by pk
    row = Ticket.objects.get(pk=ticket.pk)
    assert (row.version, row.title, row.updated_at, row.assignee_id) == (3, "改", AT, world.agent.pk)
    # A value only the ORM can write goes through update(), with the same answers.
    assert bump.run(ticket, {"priority": F("priority") + 1}, version=3) == 4
    assert bump.run(ticket, {"priority": F("priority") + 1}, version=3) is None
    assert Ticket.objects.get(pk=ticket.pk).priority == row.priority + 1
    assert bump.run(Ticket(pk=999_999), {}, version=1) is None
