"""The FAQ assistant: public articles first, "did this solve it?", and hand-offs counted."""

import pytest

from kefu.chat.models import ChatEvent, ChatMessage, Conversation
from kefu.chat.services import visitor
from kefu.chat.services.visitor import VisitorInput, start_chat
from kefu.chat.tests.conftest import make_widget
from kefu.knowledge.services import ArticleInput, create_article, review_article, submit_for_review

pytestmark = pytest.mark.django_db
S = Conversation.State


@pytest.fixture
def faq(world):
    def publish(title, body, audience):
        a = create_article(actor=world.info_desk, data=ArticleInput(title=title, body=body, audience=audience))
        a = submit_for_review(actor=world.info_desk, article_id=a.pk, version=a.version)
        return review_article(actor=world.supervisor, article_id=a.pk, version=a.version, approve=True)

    return {"public": publish("燃气费怎么交", "可以通过微信、支付宝或营业厅缴纳燃气费。", "public"),
            "internal": publish("燃气费内部减免流程", "内部：燃气费减免审批。", "internal")}


def test_the_assistant_answers_with_public_articles_only_and_asks_if_it_helped(world, faq):
    widget = make_widget(world, assistant=True)
    conv, token = start_chat(widget_key=widget.key, data=VisitorInput(question="燃气费怎么交"))
    answer = ChatMessage.objects.get(conversation=conv, kind="assistant")
    ids = [a["id"] for a in answer.meta["articles"]]
    assert faq["public"].pk in ids and faq["internal"].pk not in ids
    assert answer.meta["ask"]
    visitor.answer_helped(token=token, helped=True)
    conv.refresh_from_db()
    assert (conv.state, conv.assistant_outcome) == (S.ENDED, "solved")
    assert ChatEvent.objects.filter(conversation=conv, code="solved_by_assistant").exists()


def test_a_second_unanswered_question_hands_over_with_the_transcript(world, faq):
    widget = make_widget(world, assistant=True)
    conv, token = start_chat(widget_key=widget.key, data=VisitorInput(question="燃气费怎么交"))
    visitor.send_message(token=token, body="我家的猫为什么不吃饭")
    conv.refresh_from_db()
    assert (conv.state, conv.assistant_outcome) == (S.WAITING, "handed_over")
    assert ChatEvent.objects.get(conversation=conv, code="handed_over").params["reason"] == "unanswered"
    kinds = list(conv.messages.order_by("seq").values_list("kind", flat=True))
    assert kinds[:3] == ["system", "customer", "assistant"]  # the agent gets the whole transcript


def test_asking_for_an_agent_hands_over_at_once(world, faq):
    widget = make_widget(world, assistant=True)
    conv, token = start_chat(widget_key=widget.key, data=VisitorInput())
    visitor.ask_for_agent(token=token)
    conv.refresh_from_db()
    assert (conv.state, conv.assistant_outcome) == (S.WAITING, "handed_over")
