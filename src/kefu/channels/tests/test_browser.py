"""In a real browser: an HTML mail with scripts never runs them on the ticket page; the agent sees the channel
panel and replies; the administrator's channel page, the leads and the partner cases screens render."""

import datetime as dt

import pytest

from kefu.channels.email.receive import receive_mail
from kefu.channels.models import Endpoint, InboundMessage, Mailbox, Medium, OutboundMessage, PartnerSource
from kefu.channels.partners import services as partners
from kefu.channels.partners.sheets import CaseRow
from kefu.channels.tests import corpus
from kefu.web.tests.browser import VIEWPORT, log_in, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def patient_page(browser, live_server):
    """Like new_page, with a longer timeout: the ticket page of a mail ticket loads several panels."""
    contexts = []

    def make(user):
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        context.set_default_timeout(30000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, live_server.url, user)
        return page

    yield make
    for context in contexts:
        context.close()


def test_agent_works_a_mail_ticket_and_no_script_from_the_mail_runs(world, live_server, patient_page):
    box = Mailbox.objects.create(name="客服邮箱", address="kefu@gas.example.com", team=world.team_a,
                                 imap_host="imap.gas.example.com", imap_user="kefu")
    html = receive_mail(raw=corpus.HTML_ONLY, mailbox=box).inbound
    receive_mail(raw=corpus.mail(message_id="b-2@qq.com", sender="neighbour@qq.com", subject="另外，表箱漏气",
                                 in_reply_to="html-only-1@example.com"), mailbox=box)
    receive_mail(raw=corpus.with_attachment(message_id="b-3@qq.com", filename="燃气账单.pdf", data=b"%PDF-1.4 x",
                                            sender="shop@example.com"), mailbox=box)
    agent = patient_page(world.agent)
    dialogs = []
    agent.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    agent.goto(f"{live_server.url}/tickets/{html.ticket_id}/")
    panel = agent.locator("[data-testid=channel-panel]")
    assert panel.is_visible()
    assert agent.locator("[data-testid=foreign-sender]").count() == 1
    assert agent.locator("[data-testid=split-ask]").count() == 1
    panel.scroll_into_view_if_needed()
    screenshot(agent, "channels-ticket-panel")
    agent.fill("[data-testid=channel-reply] textarea", "您好，已安排师傅上门检查燃气表。")
    agent.click("[data-testid=channel-reply] button")
    agent.wait_for_url(f"**/tickets/{html.ticket_id}/")
    assert agent.locator("[data-testid=outbound-state]").count() == 1
    assert OutboundMessage.objects.filter(ticket_id=html.ticket_id).exists()
    assert dialogs == []  # the mail's alert() never ran
    agent.set_viewport_size({"width": 390, "height": 844})
    agent.locator("[data-testid=channel-panel]").scroll_into_view_if_needed()
    screenshot(agent, "channels-ticket-panel-phone")
    assert InboundMessage.objects.count() == 3

    Endpoint.objects.create(medium=Medium.WECHAT, name="燃气服务号", slug="gas-mp", secret="t", app_id="wx1",
                            aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
    admin = patient_page(world.admin)
    admin.goto(f"{live_server.url}/channels/")
    assert admin.locator("[data-testid=mailboxes]").is_visible()
    screenshot(admin, "channels-setup")

    agent.set_viewport_size({"width": 1366, "height": 768})
    agent.goto(f"{live_server.url}/channels/leads/")
    assert agent.locator("[data-testid=leads] tbody tr").count() >= 1
    screenshot(agent, "channels-leads")

    source = PartnerSource.objects.create(kind="12345", name="12345 市民热线", code="12345", team=world.team_a)
    friday = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)  # long enough ago for both deadlines to pass
    partners.import_cases(actor=world.agent, source_id=source.pk, now=friday, rows=[
        CaseRow(external_id="SX2026120400017", title="小区燃气管道有异味", content="3号楼"),
        CaseRow(external_id="SX2026120400018", title="燃气费多收")])
    agent.goto(f"{live_server.url}/channels/partners/")
    assert agent.locator("[data-testid=overdue] tbody tr").count() == 2
    screenshot(agent, "channels-partners")
