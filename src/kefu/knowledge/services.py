"""Every change to the knowledge base: write, revise, restore, review, publish, withdraw, feedback."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.core.store import load_visible, save_versioned, stale
from kefu.knowledge.access import is_staff_user, require_knowledge_manager
from kefu.knowledge.models import (
    Article,
    ArticleEvent,
    ArticleEventCode,
    ArticleFeedback,
    ArticleRevision,
    ArticleStatus,
    Audience,
    Category,
    Tag,
)

MAX_BODY = 100_000
MAX_TAGS = 10


@dataclass
class ArticleInput:
    title: str
    body: str
    summary: str = ""
    category_id: int | None = None
    tags: list[str] = field(default_factory=list)
    audience: str = Audience.INTERNAL
    is_faq: bool = False


def _clean(data: ArticleInput) -> dict:
    title = " ".join((data.title or "").split())
    if not title:
        raise ValidationFailed(_("This field is required."), code="required", field="title")
    if len(title) > 200:
        raise ValidationFailed(_("The title is too long."), code="too_long", field="title")
    body = (data.body or "").strip()
    if not body:
        raise ValidationFailed(_("This field is required."), code="required", field="body")
    if len(body) > MAX_BODY:
        raise ValidationFailed(_("The text is too long."), code="too_long", field="body")
    summary = " ".join((data.summary or "").split())
    if len(summary) > 300:
        raise ValidationFailed(_("The summary is too long."), code="too_long", field="summary")
    if data.audience not in Audience.values:
        raise ValidationFailed(_("Unknown audience."), code="invalid_choice", field="audience")
    category = None
    if data.category_id is not None:
        category = Category.objects.filter(pk=data.category_id).first()
        if category is None:
            raise ValidationFailed(_("No such category."), code="unknown_category", field="category_id")
    tags = []
    for i, raw in enumerate(data.tags or []):
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > 30:
            raise ValidationFailed(_("A tag is at most 30 characters."), code="too_long", field=f"tags[{i}]")
        if name not in tags:
            tags.append(name)
    if len(tags) > MAX_TAGS:
        raise ValidationFailed(_("At most 10 tags."), code="too_many", field="tags")
    return {"title": title, "body": body, "summary": summary, "category": category, "tags": tags,
            "audience": data.audience, "is_faq": bool(data.is_faq)}


def _event(article: Article, code: str, *, actor, at: datetime, params: dict | None = None) -> None:
    ArticleEvent.objects.create(article=article, code=code, revision=article.current_revision, params=params or {},
                                actor=actor if getattr(actor, "pk", None) else None, created_at=at)


def _revision(article: Article, *, actor, at: datetime, restored_from: int | None = None) -> ArticleRevision:
    return ArticleRevision.objects.create(
        article=article, number=article.current_revision, title=article.title, summary=article.summary,
        body=article.body, category_name=article.category.name if article.category_id else "",
        tag_names=sorted(t.name for t in article.tags.all()), audience=article.audience,
        restored_from=restored_from, created_by=actor if getattr(actor, "pk", None) else None, created_at=at)


def _set_tags(article: Article, names: list[str]) -> None:
    tags = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(name=name)
        tags.append(tag)
    article.tags.set(tags)


def load_article(actor: User | None, article_id: int, *, field: str = "article_id") -> Article:
    """The article as the actor may see it; an invisible one is reported exactly like a missing one."""
    return load_visible(
        Article.objects.select_related("category", "published_revision", "author", "reviewer"),
        actor, article_id, message=_("No such article."), field=field)


def _save(article: Article, version: int, changes: dict) -> None:
    """Conditional UPDATE: two editors who both read `version` cannot both win."""
    save_versioned(article, version, changes,
                   conflict=stale(_("Someone else changed this article since you opened it. Reload and try again.")))


def _check_version(article: Article, version: int | None) -> None:
    if version is None:
        raise ValidationFailed(_("Send the version of the article you are changing."), code="required",
                               field="version")
    if article.version != version:
        raise Conflict(_("Someone else changed this article since you opened it. Reload and try again."),
                       field="version", params={"current_version": article.version, "your_version": version})


@transaction.atomic
def create_article(*, actor: User | None, data: ArticleInput, now: datetime | None = None) -> Article:
    """Write a new article as a draft (revision 1)."""
    require_knowledge_manager(actor)
    clean = _clean(data)
    at = now or timezone.now()
    tags = clean.pop("tags")
    article = Article.objects.create(**clean, author=actor if getattr(actor, "pk", None) else None,
                                     created_at=at, updated_at=at)
    _set_tags(article, tags)
    _revision(article, actor=actor, at=at)
    _event(article, ArticleEventCode.CREATED, actor=actor, at=at)
    return article


@transaction.atomic(durable=True)
def update_article(*, actor: User | None, article_id: int, version: int, data: ArticleInput,
                   now: datetime | None = None) -> Article:
    """Save a new revision of the working copy. A published article stays online (its published revision)
    until the new one is reviewed; an article in review goes back to draft."""
    require_knowledge_manager(actor)
    article = load_article(actor, article_id)
    _check_version(article, version)
    clean = _clean(data)
    at = now or timezone.now()
    tags = clean.pop("tags")
    _save(article, version, {**clean, "status": ArticleStatus.DRAFT, "current_revision": article.current_revision + 1,
                             "updated_at": at})
    _set_tags(article, tags)
    _revision(article, actor=actor, at=at)
    _event(article, ArticleEventCode.EDITED, actor=actor, at=at)
    return article


@transaction.atomic(durable=True)
def restore_revision(*, actor: User | None, article_id: int, version: int, revision: int,
                     now: datetime | None = None) -> Article:
    """Make an earlier revision the working copy again, as a new revision (history is never rewritten)."""
    require_knowledge_manager(actor)
    article = load_article(actor, article_id)
    _check_version(article, version)
    old = ArticleRevision.objects.filter(article=article, number=revision).first()
    if old is None:
        raise NotFound(_("No such revision."), field="revision")
    at = now or timezone.now()
    category = Category.objects.filter(name=old.category_name).first() if old.category_name else None
    _save(article, version, {"title": old.title, "summary": old.summary, "body": old.body, "category": category,
                             "audience": old.audience, "status": ArticleStatus.DRAFT,
                             "current_revision": article.current_revision + 1, "updated_at": at})
    _set_tags(article, old.tag_names)
    _revision(article, actor=actor, at=at, restored_from=old.number)
    _event(article, ArticleEventCode.RESTORED, actor=actor, at=at, params={"from": old.number})
    return article


def _working_author(article: Article):
    return ArticleRevision.objects.filter(article=article, number=article.current_revision).values_list(
        "created_by_id", flat=True).first()


@transaction.atomic
def submit_for_review(*, actor: User | None, article_id: int, version: int, now: datetime | None = None) -> Article:
    """Ask a colleague to review the working copy (draft or rejected → in review)."""
    require_knowledge_manager(actor)
    article = load_article(actor, article_id)
    _check_version(article, version)
    if article.status not in (ArticleStatus.DRAFT, ArticleStatus.REJECTED):
        raise ValidationFailed(_("Only a draft or a rejected article can be submitted for review."),
                               code="transition_not_allowed", field="status",
                               params={"from": article.status, "to": ArticleStatus.IN_REVIEW})
    at = now or timezone.now()
    _save(article, version, {"status": ArticleStatus.IN_REVIEW, "review_note": "", "updated_at": at})
    _event(article, ArticleEventCode.SUBMITTED, actor=actor, at=at)
    return article


@transaction.atomic
def review_article(*, actor: User | None, article_id: int, version: int, approve: bool, note: str = "",
                   now: datetime | None = None) -> Article:
    """Publish the revision in review, or reject it with a note. The reviewer is never its author."""
    require_knowledge_manager(actor)
    article = load_article(actor, article_id)
    _check_version(article, version)
    if article.status != ArticleStatus.IN_REVIEW:
        raise ValidationFailed(_("This article is not in review."), code="transition_not_allowed", field="status",
                               params={"from": article.status})
    if actor is not None and _working_author(article) == actor.pk:
        raise Forbidden(_("Someone other than the author must review this revision."), code="own_revision")
    note = " ".join((note or "").split())
    if len(note) > 500:
        raise ValidationFailed(_("The note is too long."), code="too_long", field="note")
    if not approve and not note:
        raise ValidationFailed(_("Say why the article is rejected."), code="required", field="note")
    at = now or timezone.now()
    reviewer = actor if getattr(actor, "pk", None) else None
    if approve:
        published = ArticleRevision.objects.get(article=article, number=article.current_revision)
        _save(article, version, {"status": ArticleStatus.PUBLISHED, "published_revision": published,
                                 "published_at": at, "reviewer": reviewer, "review_note": note})
        _event(article, ArticleEventCode.PUBLISHED, actor=actor, at=at)
    else:
        _save(article, version, {"status": ArticleStatus.REJECTED, "reviewer": reviewer, "review_note": note})
        _event(article, ArticleEventCode.REJECTED, actor=actor, at=at)
    return article


@transaction.atomic(durable=True)
def withdraw_article(*, actor: User | None, article_id: int, version: int, now: datetime | None = None) -> Article:
    """Take a published article offline (readers and the help center no longer see it); it becomes a draft."""
    require_knowledge_manager(actor)
    article = load_article(actor, article_id)
    _check_version(article, version)
    if article.published_revision_id is None:
        raise ValidationFailed(_("This article is not published."), code="not_published", field="status")
    at = now or timezone.now()
    _save(article, version, {"status": ArticleStatus.DRAFT, "published_revision": None, "published_at": None,
                             "updated_at": at})
    _event(article, ArticleEventCode.WITHDRAWN, actor=actor, at=at)
    return article


@transaction.atomic
def give_feedback(*, actor: User | None, article_id: int, helpful: bool, session_key: str = "", comment: str = "",
                  now: datetime | None = None) -> ArticleFeedback:
    """Record helpful / not helpful: one answer per user (or anonymous session); answering again changes it.

    A logged-in user may rate what they can see; an anonymous visitor (actor None, a session key) only
    public published articles."""
    if is_staff_user(actor):
        article = load_article(actor, article_id)
        if article.published_revision_id is None:
            raise ValidationFailed(_("Only published articles take feedback."), code="not_published",
                                   field="article_id")
        who = {"user": actor, "session_key": ""}
    else:
        if not session_key:
            raise ValidationFailed(_("This field is required."), code="required", field="session_key")
        article = Article.objects.public().filter(pk=article_id).first()
        if article is None:
            raise NotFound(_("No such article."), field="article_id")
        who = {"user": None, "session_key": session_key[:40]}
    comment = " ".join((comment or "").split())[:500]
    values = {"helpful": bool(helpful), "comment": comment, "created_at": now or timezone.now()}
    # Two clicks at once from the same person: the unique constraints keep one row; the loser updates it.
    try:
        with transaction.atomic():
            feedback, _created = ArticleFeedback.objects.update_or_create(article=article, **who, defaults=values)
    except IntegrityError:
        feedback = ArticleFeedback.objects.get(article=article, **who)
        ArticleFeedback.objects.filter(pk=feedback.pk).update(**values)
        feedback.refresh_from_db()
    return feedback
