"""What the list pages' speed-ups must not change: the chosen filters stay selected, labels follow the language."""

import pytest
from django.utils import translation

from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_filter_bar_keeps_every_choice_selected(client, world):
    client.force_login(world.agent)
    page = client.get("/tickets/all/", {"type": "repair", "priority": "3", "channel": "wechat", "sla": "breached",
                                        "tier": "vip", "status": "resolved", "q": "漏气"}).content.decode()
    for option in ('value="repair" selected', 'value="3" selected', 'value="wechat" selected',
                   'value="breached" selected', 'value="vip" selected', 'value="resolved" selected'):
        assert option in page, option
    assert 'name="q" value="漏气"' in page
    assert page.count(" selected") == 6
    assert client.get("/tickets/all/").content.decode().count(" selected") == 0


def test_choice_labels_follow_the_active_language(client, world):
    ticket = world.ticket(title="燃气费", channel="wechat", priority=3, team_id=world.team_a.pk,
                          assignee_id=world.agent.pk)
    expected = (("zh-hans", "已分派", "微信", "高"), ("en", "Assigned", "WeChat", "High"))
    for language, status, channel, priority in expected:
        with translation.override(language):
            assert (ticket.get_status_display(), ticket.get_channel_display(),
                    ticket.get_priority_display()) == (status, channel, priority)
    assert Ticket(status="gone", priority=9).get_status_display() == "gone"
    client.force_login(world.agent)
    page = client.get("/tickets/mine/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "WeChat" in page and ">High<" in page


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York"])
def test_short_time_prints_what_the_date_filter_printed(zone):
    import datetime as dt

    from django.template import Context, Template
    from django.utils import timezone

    page = Template('{% load kefu %}{{ v|date:"m-d H:i" }}|{{ v|short_time }}')
    with timezone.override(zone):
        for moment in (dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC), dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC),
                       None):
            before, after = page.render(Context({"v": moment})).split("|")
            assert before == after, (zone, moment)
