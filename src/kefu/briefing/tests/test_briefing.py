"""Daily briefing: prepared from yesterday's tickets and open memos, published, read receipts per team."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.briefing import selectors
from kefu.briefing.models import ItemKind
from kefu.briefing.services import add_item, mark_read, prepare_briefing, publish_briefing
from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.memos.services import ask_memo

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 3, 3)
YESTERDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SH)


def _yesterdays_tickets(world):
    for i in range(3):
        world.ticket(title="小区停气", type="repair", custom={"fault": "其他"}, now=YESTERDAY + timedelta(minutes=i))
    world.ticket(title="燃气费怎么交", now=YESTERDAY)
    world.ticket(title="今天的", now=datetime(2026, 3, 3, 9, 0, tzinfo=SH))  # not yesterday


def test_prepared_briefing_lists_yesterdays_hot_issues_and_open_memos(world):
    _yesterdays_tickets(world)
    memo = ask_memo(actor=world.agent, question="停气补偿怎么算？", now=YESTERDAY)
    briefing = prepare_briefing(actor=world.info_desk, day=DAY)
    out = selectors.briefing_out(selectors.briefing_detail(world.info_desk, briefing.pk))
    hot = [(i["text"], i["count"]) for i in out["items"] if i["kind"] == ItemKind.HOT_ISSUE]
    assert ("小区停气", 3) in hot
    assert sum(n for text, n in hot if text != "小区停气") == 4  # by type: 3 repairs + 1 inquiry
    questions = [i for i in out["items"] if i["kind"] == ItemKind.OPEN_QUESTION]
    assert [(q["memo_id"], q["text"]) for q in questions] == [(memo.pk, "停气补偿怎么算？")]
    with pytest.raises(ValidationFailed) as exc:
        prepare_briefing(actor=world.info_desk, day=DAY)
    assert exc.value.code == "duplicate"


def test_drafts_are_hidden_from_agents_until_published(world):
    briefing = prepare_briefing(actor=world.info_desk, day=DAY)
    add_item(actor=world.info_desk, briefing_id=briefing.pk, kind="process_change", text="本周起停气报修直接派抢修")
    with pytest.raises(NotFound):
        mark_read(actor=world.agent, briefing_id=briefing.pk)
    with pytest.raises(Forbidden):
        add_item(actor=world.agent, briefing_id=briefing.pk, kind="defect", text="x")
    briefing = publish_briefing(actor=world.info_desk, briefing_id=briefing.pk, version=briefing.version + 1)
    assert selectors.latest_published(world.agent).pk == briefing.pk


def test_read_receipts_show_who_has_not_read_for_the_team_lead(world):
    briefing = prepare_briefing(actor=world.info_desk, day=DAY)
    publish_briefing(actor=world.info_desk, briefing_id=briefing.pk, version=briefing.version)
    first = mark_read(actor=world.agent, briefing_id=briefing.pk)
    again = mark_read(actor=world.agent, briefing_id=briefing.pk)
    assert first.read_at == again.read_at
    status = selectors.read_status(world.lead, briefing.pk)
    assert [u.pk for u, _at in status["read"]] == [world.agent.pk]
    assert status["expected"] == len(status["read"]) + len(status["unread"])
    unread = {u.pk for u in status["unread"]}
    assert world.handler.pk in unread and world.agent_b.pk not in unread  # team A only for its lead
    assert world.agent_b.pk in {u.pk for u in selectors.read_status(world.info_desk, briefing.pk)["unread"]}
    with pytest.raises(Forbidden):
        selectors.read_status(world.agent, briefing.pk)


def test_api_prepare_publish_read(world, api):
    api.as_user(world, world.info_desk)
    made = api.post("/briefings", {"day": "2026-03-03"})
    assert made.status_code == 201
    bid = made.json()["id"]
    added = api.post(f"/briefings/{bid}/items", {"kind": "defect", "text": "昨日漏派单2张"}).json()
    assert any(i["text"] == "昨日漏派单2张" for i in added["items"])
    assert api.post(f"/briefings/{bid}/publish", {"version": added["version"]}).json()["status"] == "published"
    api.as_user(world, world.agent)
    assert api.post(f"/briefings/{bid}/read").json()["read"] is True
    api.as_user(world, world.lead)
    reads = api.get(f"/briefings/{bid}/reads").json()
    assert [r["user"]["id"] for r in reads["read"]] == [world.agent.pk]


def test_page_refuses_a_malformed_number_naming_the_field(client, world):
    briefing = prepare_briefing(actor=world.info_desk, day=DAY)
    client.force_login(world.info_desk)
    response = client.post(f"/briefing/{briefing.pk}/remove/", {"item_id": "abc"})
    assert response.status_code == 422 and "整数" in response.content.decode()
    response = client.post(f"/briefing/{briefing.pk}/publish/", {"version": "x1"})
    assert response.status_code == 422
    briefing.refresh_from_db()
    assert briefing.status != "published"
