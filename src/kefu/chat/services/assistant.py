"""The FAQ assistant: answers a visitor's question from the public knowledge articles before a person does.

It answers with the top articles and asks "这解决了您的问题吗？"; "转人工", or a second question it could not
answer, hands the chat to the queue — the agent sees the whole transcript with the articles offered."""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext as _t

from kefu.chat.models import ChatEventCode, Conversation
from kefu.chat.services.common import emit, post
from kefu.chat.services.routing import do_enqueue

TOP_ARTICLES = 3
MISSES_BEFORE_HANDOVER = 2


def find_articles(text: str) -> list[dict]:
    """The public articles the search engine ranks first for the question (no login: public ones only)."""
    from kefu.search.selectors import search

    page = search(AnonymousUser(), text, kinds=["article"], page_size=TOP_ARTICLES)
    found = [{"id": hit.object_id, "title": _plain(hit.title)} for hit in page.hits[:TOP_ARTICLES]]
    return found or _public_by_terms(text)


def _public_by_terms(text: str) -> list[dict]:
    """The public help center's articles sharing the question's distinctive words (jieba), for articles the search
    index does not hold yet: one query for the candidates, scored here (title 3, summary 2, text 1)."""
    from django.db.models import Q

    from kefu.knowledge.models import Article
    from kefu.knowledge.selectors import terms_of

    terms = terms_of(text, limit=8)
    if not terms:
        return []
    where = Q()
    for term in terms:
        for field in ("title", "summary", "body"):
            where |= Q(**{f"published_revision__{field}__icontains": term})
    rows = (Article.objects.public().filter(where).order_by("-is_faq", "-id")
            .values_list("pk", "published_revision__title", "published_revision__summary", "published_revision__body")
            [:50])
    scored = []
    for pk, title, summary, body in rows:
        score = sum(3 * (t in title) + 2 * (t in (summary or "")) + (t in (body or "")) for t in terms)
        scored.append((-score, pk, title))
    return [{"id": pk, "title": title} for _s, pk, title in sorted(scored)[:TOP_ARTICLES]]


def _plain(html: str) -> str:
    """The hit's title without the search's <mark> tags, as plain text (the widget shows it with textContent)."""
    from html import unescape

    from django.utils.html import strip_tags

    return unescape(strip_tags(str(html)))


def _answer_pending(conv: Conversation) -> bool:
    """The assistant's last answer offered articles and the visitor asked again instead of saying it helped."""
    from kefu.chat.models import ChatMessage

    meta = (ChatMessage.objects.filter(conversation_id=conv.pk, kind=ChatMessage.Kind.ASSISTANT)
            .order_by("-seq").values_list("meta", flat=True).first())
    return bool(meta and meta.get("articles"))


def answer(conv: Conversation, text: str, at: datetime) -> None:
    """Answer one question: articles and the question whether they helped, or a miss (two misses hand over)."""
    pending = _answer_pending(conv)
    articles = find_articles(text)
    # The answer before went unconfirmed (the visitor asked again) and this one found nothing: each is a miss.
    misses = conv.assistant_misses + int(pending) + int(not articles)
    Conversation.objects.filter(pk=conv.pk).update(assistant_misses=misses)
    conv.assistant_misses = misses
    if misses >= MISSES_BEFORE_HANDOVER:
        hand_over(conv, at, reason="unanswered")
        return
    with translation.override(conv.language):
        if articles:
            post(conv, "assistant", _t("These articles may answer your question:"), author=None, at=at,
                 meta={"articles": articles, "ask": _t("Did this solve your problem?")})
        else:
            post(conv, "assistant", _t("Sorry, I found no answer to that. Try other words, or ask for an agent."),
                 author=None, at=at, meta={"articles": [], "miss": True})


def hand_over(conv: Conversation, at: datetime, *, reason: str) -> None:
    """Pass the chat to a person: counted as a hand-off, queued with its place from now."""
    Conversation.objects.filter(pk=conv.pk).update(assistant_outcome=Conversation.Outcome.HANDED_OVER)
    conv.assistant_outcome = Conversation.Outcome.HANDED_OVER
    emit(conv, ChatEventCode.HANDED_OVER, actor=None, at=at, params={"reason": reason,
                                                                     "misses": conv.assistant_misses})
    with translation.override(conv.language):
        post(conv, "system", _t("Connecting you to an agent…"), author=None, at=at, meta={"code": "handover"})
    do_enqueue(conv, at)


def solved(conv: Conversation, at: datetime) -> None:
    """The visitor says the articles solved it: the chat ends, counted as solved by the assistant."""
    Conversation.objects.filter(pk=conv.pk).update(state=Conversation.State.ENDED, ended_at=at,
                                                   assistant_outcome=Conversation.Outcome.SOLVED)
    conv.state, conv.assistant_outcome = Conversation.State.ENDED, Conversation.Outcome.SOLVED
    emit(conv, ChatEventCode.SOLVED_BY_ASSISTANT, actor=None, at=at)
    with translation.override(conv.language):
        post(conv, "system", _t("Glad it helped. Please rate this chat."), author=None, at=at,
             meta={"code": "ended"})
