"""The channel panel on the ticket page, the reply box, split buttons, downloads, the setup page and the CLI."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from kefu.channels.email.receive import receive_mail
from kefu.channels.models import Attachment, InboundMessage, Mailbox, OutboundMessage
from kefu.channels.tests import corpus

NOW = dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def box(world):
    return Mailbox.objects.create(name="客服邮箱", address="kefu@gas.example.com", team=world.team_a)


def _mail(box, raw):
    return receive_mail(raw=raw, mailbox=box, now=NOW).inbound


def test_ticket_page_shows_the_mail_masked_with_flags_and_attachments(client, world, box):
    first = _mail(box, corpus.with_attachment(message_id="v-1@qq.com", filename="账单.pdf", data=b"%PDF-1.4 x"))
    _mail(box, corpus.mail(message_id="v-2@qq.com", sender="other@qq.com", subject="别的事", in_reply_to="v-1@qq.com"))
    client.force_login(world.agent)
    page = client.get(f"/tickets/{first.ticket_id}/").content.decode()
    panel = page[page.index('data-testid="channel-panel"'):]
    panel = panel[:panel.index("</section>")]
    assert "wz@qq.com" not in panel and "other@qq.com" not in panel and "w***@qq.com" in panel  # masked
    assert 'data-testid="foreign-sender"' in page and 'data-testid="split-ask"' in page
    attachment = Attachment.objects.get(inbound=first)
    assert f"/channels/attachments/{attachment.pk}/" in page


def test_html_of_a_mail_never_reaches_the_page_unsanitised(client, world, box):
    inbound = _mail(box, corpus.HTML_ONLY)
    from kefu.tickets.models import Ticket

    Ticket.objects.filter(pk=inbound.ticket_id).update(team=world.team_a)
    client.force_login(world.agent)
    page = client.get(f"/tickets/{inbound.ticket_id}/").content.decode()
    assert "alert(" not in page and "onerror" not in page and "tracker.example.com" not in page


def test_attachment_download_is_a_download_and_hidden_from_other_teams(client, world, box):
    inbound = _mail(box, corpus.with_attachment(message_id="v-3@qq.com", filename="账单.pdf", data=b"%PDF-1.4 x"))
    attachment = Attachment.objects.get(inbound=inbound)
    client.force_login(world.agent)
    response = client.get(f"/channels/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(world.agent_b)
    assert client.get(f"/channels/attachments/{attachment.pk}/").status_code == 404


def test_reply_box_queues_the_reply_and_an_empty_one_is_refused_in_place(client, world, box):
    inbound = _mail(box, corpus.mail(message_id="v-4@qq.com"))
    client.force_login(world.agent)
    refused = client.post(f"/channels/tickets/{inbound.ticket_id}/reply/", {"body": "  "})
    assert refused.status_code == 422 and not OutboundMessage.objects.exists()
    done = client.post(f"/channels/tickets/{inbound.ticket_id}/reply/", {"body": "已安排上门"})
    assert done.status_code == 302
    assert OutboundMessage.objects.get().recipient == "wz@qq.com"


def test_split_button_opens_a_new_ticket(client, world, box):
    _mail(box, corpus.mail(message_id="v-5@qq.com"))
    other = _mail(box, corpus.mail(message_id="v-6@qq.com", subject="表箱漏气", in_reply_to="v-5@qq.com"))
    client.force_login(world.agent)
    response = client.post(f"/channels/inbound/{other.pk}/split/", {"ticket": other.ticket_id})
    other.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/tickets/{other.split_ticket_id}/"


def test_setup_page_is_for_administrators(client, world, box):
    client.force_login(world.agent)
    assert client.get("/channels/").status_code == 403
    client.force_login(world.admin)
    page = client.get("/channels/").content.decode()
    assert "客服邮箱" in page and 'data-testid="mailboxes"' in page


def test_setup_page_query_count_does_not_grow_with_mailboxes(client, world, box, django_assert_max_num_queries):
    client.force_login(world.admin)
    client.get("/channels/")
    for n in range(5):
        Mailbox.objects.create(name=f"m{n}", address=f"m{n}@gas.example.com", team=world.team_a)
    with django_assert_max_num_queries(12):
        client.get("/channels/")


def test_kefu_mail_receive_reads_the_message_from_stdin(world, box, monkeypatch):
    raw = corpus.mail(message_id="cli-1@qq.com", name="王喆", charset="gb2312")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("mail", "receive", "--mailbox", "客服邮箱", stdout=out)
    result = json.loads(out.getvalue())
    assert result["created"] is True and result["state"] == "new_ticket"
    assert InboundMessage.objects.get(pk=result["inbound"]).sender_name == "王喆"
