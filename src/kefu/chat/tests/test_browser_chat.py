"""Two browsers, a customer on a company's site and an agent at the desk, over the real ASGI server."""

import pytest

from kefu.chat.models import Conversation
from kefu.chat.tests.conftest import available, make_widget
from kefu.sla.models import BusinessCalendar
from kefu.tickets.models import Ticket
from kefu.web.tests.browser import VIEWPORT, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site():
    """The company's web site: another origin than kefu's (another port), with the one script tag on its page.
    A real server on loopback, because Chromium forbids a page from elsewhere to load from loopback."""
    import http.server
    import threading

    pages = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — the standard library's name
            body = pages.get("html", "").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}", "pages": pages}
    server.shutdown()


def login(browser, server, user):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(10000)
    page = context.new_page()
    log_in(page, server, user)
    return context, page


def customer_on_site(browser, server, site, widget, *, phone=False):
    """The company's page with the one script tag; returns the chat's frame."""
    viewport = {"width": 375, "height": 740} if phone else VIEWPORT
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.set_default_timeout(10000)
    site["pages"]["html"] = (f'<!DOCTYPE html><html><body><h1>燃气公司</h1><script src="{server}/chat/embed.js" '
                             f'data-widget="{widget.key}" async></script></body></html>')
    page = context.new_page()
    page.goto(f"{site['url']}/")
    page.click("[data-kefu-chat=open]")
    page.wait_for_selector("iframe[data-kefu-chat=frame]")
    return context, page, page.frame_locator("iframe[data-kefu-chat=frame]")


def test_a_chat_from_first_message_to_rating_with_a_whisper_and_a_dropped_connection(browser, asgi_server, site, world):
    widget = make_widget(world, allowed_origins=site["url"])
    available(world.agent, capacity=2)
    agent_ctx, desk = login(browser, asgi_server, world.agent)
    desk.goto(f"{asgi_server}/chat/desk/")
    cust_ctx, host, chat = customer_on_site(browser, asgi_server, site, widget, phone=True)
    lead_ctx = None
    try:
        chat.locator("textarea[name=question]").fill("燃气费怎么交 <b>急</b>")
        chat.locator("[data-testid=start]").click()
        desk.click("[data-testid=accept]")
        chat.locator(".msg.agent").first.wait_for()  # the greeting, at once
        pane = desk.locator(".pane").first
        pane.locator(".msg.customer", has_text="燃气费怎么交 <b>急</b>").wait_for()  # shown as text, not markup
        assert pane.locator("b").count() == 0

        chat.locator("textarea[name=body]").fill("我的户号是 M-0001 😀")
        chat.locator("[data-testid=send]").click()
        pane.locator(".msg.customer", has_text="M-0001 😀").wait_for()
        pane.locator("textarea").press("a")  # typing shows on the visitor's side
        chat.locator("#typing").wait_for(state="visible")
        pane.locator("textarea").fill("好的，马上为您查询。")
        pane.locator("textarea").press("Enter")
        chat.locator(".msg.agent", has_text="马上为您查询").wait_for()

        conv = Conversation.objects.get()
        lead_ctx, lead = login(browser, asgi_server, world.lead)
        lead.goto(f"{asgi_server}/chat/live/{conv.pk}/")
        lead.locator(".msg.customer", has_text="M-0001").wait_for()
        lead.fill("#whisper input[name=body]", "先核实身份再答复")
        lead.click("[data-testid=whisper]")
        pane.locator(".msg.whisper", has_text="先核实身份").wait_for()

        # The visitor's connection drops; two replies are sent meanwhile; it comes back with nothing lost or twice.
        site_frame = host.frames[1]
        site_frame.evaluate("window.kefuChat.source.close()")
        for text in ("第一条：已查到", "第二条：请在微信缴费"):
            pane.locator("textarea").fill(text)
            pane.locator("textarea").press("Enter")
            pane.locator(".msg.agent", has_text=text).wait_for()
        site_frame.evaluate("window.kefuChat.reconnect()")
        chat.locator(".msg.agent", has_text="第二条").wait_for()
        seqs = chat.locator(".msg").evaluate_all("els => els.map(e => Number(e.dataset.seq))")
        assert seqs == sorted(set(seqs)) and len(seqs) == conv.messages.exclude(kind="whisper").count()
        assert chat.locator(".msg", has_text="先核实身份").count() == 0  # the whisper never reaches the visitor
        screenshot(desk, "chat-desk")
        screenshot(host, "chat-widget-phone")

        pane.locator("button.end").click()
        chat.locator("#rating").wait_for(state="visible")
        chat.locator("input[name=score][value='5']").check()
        chat.locator("[data-testid=rate]").click()
        chat.locator("[data-testid=thanks]").wait_for(state="visible")
    finally:
        for ctx in (agent_ctx, cust_ctx, lead_ctx):
            if ctx is not None:
                ctx.close()
    conv.refresh_from_db()
    assert (conv.state, conv.rating) == ("ended", 5)


def test_outside_working_hours_a_message_left_becomes_a_ticket(browser, asgi_server, site, world):
    closed = BusinessCalendar.objects.create(name="夜间不营业", hours={}, cn_holidays=False)
    widget = make_widget(world, allowed_origins=site["url"], calendar=closed)
    ctx, _host, chat = customer_on_site(browser, asgi_server, site, widget)
    try:
        chat.locator("[data-testid=closed]").wait_for()
        chat.locator("#leave input[name=phone]").fill("13900001111")
        chat.locator("#leave textarea[name=body]").fill("燃气表不走字了，请回电")
        chat.locator("[data-testid=leave]").click()
        chat.locator("[data-testid=left]").wait_for(state="visible")
    finally:
        ctx.close()
    ticket = Ticket.objects.get(channel="chat")
    assert ticket.contact_phone == "13900001111" and "不走字" in ticket.description


def test_a_transfer_moves_the_chat_to_the_colleagues_desk_with_the_note(browser, asgi_server, site, world):
    widget = make_widget(world, allowed_origins=site["url"])
    available(world.agent, capacity=1)
    available(world.handler, capacity=1)
    a_ctx, a_desk = login(browser, asgi_server, world.agent)
    b_ctx, b_desk = login(browser, asgi_server, world.handler)
    a_desk.goto(f"{asgi_server}/chat/desk/")
    b_desk.goto(f"{asgi_server}/chat/desk/")
    c_ctx, _site, chat = customer_on_site(browser, asgi_server, site, widget)
    try:
        chat.locator("textarea[name=question]").fill("我要投诉")
        chat.locator("[data-testid=start]").click()
        chat.locator(".msg.customer", has_text="我要投诉").wait_for()
        offered_to = Conversation.objects.get().agent_id  # least busy, then the lower id: either may get it
        conv_desk = a_desk if offered_to == world.agent.pk else b_desk
        other, other_user = (b_desk, world.handler) if conv_desk is a_desk else (a_desk, world.agent)
        conv_desk.click("[data-testid=accept]")
        pane = conv_desk.locator(".pane").first
        pane.locator(".msg.customer", has_text="我要投诉").wait_for()
        pane.locator(".transfer-toggle").click()
        pane.locator(".transfer select[name=to_user]").select_option(str(other_user.pk))
        pane.locator(".transfer input[name=note]").fill("客户情绪激动，请优先处理")
        pane.locator(".transfer button").click()
        other.locator(".pane .msg.whisper", has_text="客户情绪激动").wait_for()
        other.locator(".pane .msg.customer", has_text="我要投诉").wait_for()
        other.locator(".pane textarea").fill("您好，我是投诉专席。")
        other.locator(".pane textarea").press("Enter")
        chat.locator(".msg.agent", has_text="投诉专席").wait_for()
        assert chat.locator(".msg", has_text="情绪激动").count() == 0
    finally:
        for ctx in (a_ctx, b_ctx, c_ctx):
            ctx.close()
    assert Conversation.objects.get().agent_id == other_user.pk
