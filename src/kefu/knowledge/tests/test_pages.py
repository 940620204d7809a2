"""Knowledge, help center, phrases, memos and briefing pages through the test client, and stored-markup safety."""

import pytest

from kefu.briefing.services import add_item, prepare_briefing, publish_briefing
from kefu.knowledge.models import Article
from kefu.knowledge.services import ArticleInput, create_article
from kefu.knowledge.tests.conftest import publish
from kefu.memos.services import answer_memo, ask_memo
from kefu.phrases.models import Phrase

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def _assert_inert(html: str) -> None:
    assert "<script>alert" not in html and "<img src=x" not in html and 'onerror="alert' not in html
    assert "&lt;script&gt;" in html


def test_injected_markup_in_an_article_memo_and_briefing_never_reaches_another_user_unescaped(client, world):
    article = publish(world, create_article(actor=world.info_desk, data=ArticleInput(
        title=f"标题{SCRIPT}", body=f"正文 {SCRIPT}\n\n[x](javascript:alert(1))", summary=SCRIPT, audience="public")))
    memo = ask_memo(actor=world.agent, question=f"问题 {SCRIPT}")
    answer_memo(actor=world.info_desk, memo_id=memo.pk, version=memo.version, answer=f"答复 {SCRIPT}")
    briefing = prepare_briefing(actor=world.info_desk, day=__import__("datetime").date(2026, 3, 3))
    add_item(actor=world.info_desk, briefing_id=briefing.pk, kind="defect", text=SCRIPT)
    publish_briefing(actor=world.info_desk, briefing_id=briefing.pk, version=briefing.version + 1)

    client.force_login(world.agent)
    for url in (f"/knowledge/{article.pk}/", "/knowledge/", f"/memos/{memo.pk}/", "/memos/mine/",
                f"/briefing/{briefing.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_inert(response.content.decode())
    assert 'href="javascript' not in client.get(f"/knowledge/{article.pk}/").content.decode()
    client.logout()
    for url in (f"/help/{article.pk}/", "/help/?q=标题"):
        _assert_inert(client.get(url, follow=True).content.decode())


def test_help_center_needs_no_login_and_hides_internal_and_draft_articles(client, world, published):
    page = client.get("/help/").content.decode()
    assert "燃气费怎么交" in page and "燃气泄漏应急处理" not in page and "草稿" not in page
    assert client.get(f"/help/{published['internal'].pk}/").status_code == 404
    assert client.get(f"/help/{published['draft'].pk}/").status_code == 404
    assert "<strong>微信</strong>" in client.get(f"/help/{published['public'].pk}/").content.decode()


def test_anonymous_feedback_is_one_per_session(client, world, published):
    article = published["public"]
    client.post(f"/help/{article.pk}/feedback/", {"helpful": "1"})
    response = client.post(f"/help/{article.pk}/feedback/", {"helpful": "0"}, HTTP_HX_REQUEST="true")
    assert "感谢您的反馈" in response.content.decode()
    assert list(article.feedback.values_list("helpful", flat=True)) == [False]


def test_information_desk_writes_submits_and_a_lead_publishes_through_the_pages(client, world):
    client.force_login(world.info_desk)
    bad = client.post("/knowledge/new/", {"title": "", "body": "x"})
    assert bad.status_code == 422 and "此项为必填项" in bad.content.decode()
    response = client.post("/knowledge/new/", {"title": "停气公告", "body": "周三停气", "audience": "public",
                                               "tags": "停气，公告"})
    article = Article.objects.get(title="停气公告")
    assert response.url == f"/knowledge/{article.pk}/"
    assert sorted(article.tags.values_list("name", flat=True)) == ["停气", "公告"]
    client.post(f"/knowledge/{article.pk}/edit/", {"title": "停气公告", "body": "周四停气", "audience": "public",
                                                    "version": article.version})
    article.refresh_from_db()
    client.post(f"/knowledge/{article.pk}/submit/", {"version": article.version})
    article.refresh_from_db()
    own = client.post(f"/knowledge/{article.pk}/approve/", {"version": article.version})
    assert own.status_code == 403
    client.force_login(world.lead)
    assert "停气公告" in client.get("/knowledge/review/").content.decode()
    client.post(f"/knowledge/{article.pk}/approve/", {"version": article.version})
    article.refresh_from_db()
    assert article.status == "published"
    history = client.get(f"/knowledge/{article.pk}/history/").content.decode()
    assert "- 周三停气" in history and "+ 周四停气" in history


def test_agents_read_but_cannot_open_the_editor(client, world, published):
    client.force_login(world.agent)
    assert client.get("/knowledge/new/").status_code == 403
    assert client.get(f"/knowledge/{published['draft'].pk}/").status_code == 404
    listing = client.get("/knowledge/?q=燃气", follow=True).content.decode()
    assert "燃气费怎么交" in listing and "草稿" not in listing
    suggest = client.get("/knowledge/suggest/", {"text": "燃气泄漏了"}).content.decode()
    assert "燃气泄漏应急处理" in suggest


def test_phrase_management_refuses_unknown_placeholders_and_the_picker_fills_them(client, world):
    client.force_login(world.lead)
    bad = client.post("/phrases/", {"title": "问候", "body": "您好{name}", "kind": "opening", "active": "on"})
    assert bad.status_code == 422 and "{name}" in bad.content.decode()
    client.post("/phrases/", {"title": "问候", "body": "{customer_name}您好", "kind": "opening", "active": "on",
                              "team_id": world.team_a.pk})
    assert Phrase.objects.filter(title="问候", team=world.team_a).exists()
    ticket = world.ticket(customer_id=world.customer.pk)
    client.force_login(world.agent)
    picker = client.get("/phrases/pick/", {"ticket": ticket.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-text="王小明您好"' in picker and 'data-insert-into="reply-body"' in picker
    assert client.get("/phrases/").status_code == 403


def test_memo_pages_ask_answer_and_close(client, world):
    ticket = world.ticket()
    client.force_login(world.agent)
    response = client.post("/memos/ask/", {"question": "怎么开票？", "ticket_id": ticket.pk})
    memo_url = response.url
    client.force_login(world.info_desk)
    inbox = client.get("/memos/").content.decode()
    assert "怎么开票？" in inbox and ticket.number in inbox
    memo_id = int(memo_url.strip("/").split("/")[-1])
    client.post(f"/memos/{memo_id}/take/")
    client.post(f"/memos/{memo_id}/answer/", {"version": 2, "answer": "营业厅开具"})
    client.force_login(world.agent)
    assert "营业厅开具" in client.get("/memos/mine/").content.decode()
    client.post(f"/memos/{memo_id}/close/")
    assert "已关闭" in client.get(memo_url).content.decode()


def test_briefing_pages_prepare_publish_read_and_show_who_has_not_read(client, world):
    client.force_login(world.info_desk)
    response = client.post("/briefing/", {"day": "2026-03-03"})
    briefing_url = response.url
    bid = int(briefing_url.strip("/").split("/")[-1])
    client.post(f"/briefing/{bid}/add/", {"kind": "process_change", "text": "停气报修直接派抢修"})
    client.post(f"/briefing/{bid}/publish/", {"version": 2})
    client.force_login(world.agent)
    page = client.get(briefing_url).content.decode()
    assert "停气报修直接派抢修" in page and "我已阅读" in page
    client.post(f"/briefing/{bid}/read/")
    assert "您已阅读本次例会" in client.get(briefing_url).content.decode()
    client.force_login(world.lead)
    status = client.get(briefing_url).content.decode()
    unread = status.split('data-testid="unread"')[1].split("</ul>")[0]
    assert "handler" in unread and "agent</li>" not in unread.replace(" · 1001", "")


def test_injected_markup_in_a_reply_and_a_phrase_stays_inert_on_the_ticket_page(client, world):
    from kefu.phrases.services import PhraseInput, create_phrase
    from kefu.tickets.services import add_message

    ticket = world.ticket(team_id=world.team_a.pk)
    add_message(actor=world.agent, ticket_id=ticket.pk, kind="reply", body=f"答复 {SCRIPT}")
    create_phrase(actor=world.info_desk, data=PhraseInput(title=f"短语{SCRIPT}", body=f"您好 {SCRIPT}"))
    client.force_login(world.lead)
    _assert_inert(client.get(f"/tickets/{ticket.pk}/").content.decode())
    _assert_inert(client.get("/phrases/").content.decode())
    client.force_login(world.agent_b)
    _assert_inert(client.get("/phrases/pick/").content.decode())


def test_list_pages_cost_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for i in range(10):
        publish(world, create_article(actor=world.info_desk, data=ArticleInput(title=f"文章{i}", body="正文",
                                                                                tags=[f"t{i}", "共用"])))
        ask_memo(actor=world.agent, ticket_id=world.ticket().pk, question=f"问题{i}")
    client.force_login(world.info_desk)
    client.get("/knowledge/")  # warm the session and the translation catalog
    with django_assert_max_num_queries(10):
        assert client.get("/knowledge/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/memos/").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/help/").status_code == 200
