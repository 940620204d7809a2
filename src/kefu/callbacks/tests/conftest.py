import datetime as dt

import pytest
from django.utils import timezone

from kefu.tickets import services

MONDAY = timezone.make_aware(dt.datetime(2026, 11, 23, 10, 0))  # a working Monday in Asia/Shanghai


@pytest.fixture
def resolve(world):
    """Open a ticket of `type` for team A, have world.agent handle and resolve it at `now`."""

    def make(type="repair", now=MONDAY, by=None, **fields):
        fields.setdefault("custom", {"fault": "其他"} if type == "repair" else {})
        if type == "complaint":
            fields["custom"] = {"category": "服务态度"}
        ticket = world.ticket(type=type, title=fields.pop("title", "燃气表不走字"), now=now, by=by,
                              team_id=world.team_a.pk, assignee_id=world.agent.pk, **fields)
        ticket = services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                            to="in_progress", now=now)
        return services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                          to="resolved", now=now + dt.timedelta(hours=1))

    return make
