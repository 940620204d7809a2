"""Knowledge base endpoints (知识库) for staff, and the public help center (常见问题) without login."""

from datetime import datetime

from ninja import Query, Router, Schema, Status

from kefu.api.patch import merged, patch_schema
from kefu.api.schemas import ERRORS, UserRef, one_of, user_ref
from kefu.knowledge import selectors, services
from kefu.knowledge.markup import plain_excerpt, render_markdown
from kefu.knowledge.models import ArticleStatus, Audience, Category
from kefu.knowledge.services import ArticleInput

router = Router(tags=["knowledge"])
help_router = Router(tags=["help center"], auth=None)


class ArticleIn(Schema):
    title: str
    body: str
    summary: str = ""
    category_id: int | None = None
    tags: list[str] = []
    audience: str = "internal"
    is_faq: bool = False


ArticlePatch = patch_schema(ArticleIn, "ArticlePatch")


class VersionIn(Schema):
    version: int


class ReviewIn(Schema):
    version: int
    approve: bool
    note: str = ""


class RestoreIn(Schema):
    version: int
    revision: int


class FeedbackIn(Schema):
    helpful: bool
    comment: str = ""


class SuggestIn(Schema):
    text: str
    limit: int = 5


class ArticleOut(Schema):
    id: int
    title: str
    summary: str
    category: str | None
    tags: list[str]
    audience: str = one_of(Audience)
    is_faq: bool
    status: str = one_of(ArticleStatus)
    published: bool
    current_revision: int
    published_revision: int | None
    updated_at: datetime
    version: int
    helpful: int | None = None
    not_helpful: int | None = None


class ArticleDetailOut(ArticleOut):
    body: str
    body_html: str
    author: UserRef | None
    reviewer: UserRef | None
    review_note: str
    published_at: datetime | None


class ArticleListOut(Schema):
    count: int
    items: list[ArticleOut]


class ArticleListQuery(Schema):
    q: str = ""
    category_id: int | None = None
    tag: str = ""
    status: str = one_of(["", *ArticleStatus.values], "")
    audience: str = one_of(["", *Audience.values], "")
    page: int = 1
    page_size: int = 20


class RevisionOut(Schema):
    number: int
    title: str
    by: UserRef | None
    at: datetime
    restored_from: int | None


class DiffLine(Schema):
    op: str
    text: str


class DiffOut(Schema):
    a: int
    b: int
    added: int
    removed: int
    lines: list[DiffLine]


class DiffQuery(Schema):
    a: int
    b: int


class FeedbackOut(Schema):
    helpful: bool
    comment: str


class CategoryOut(Schema):
    id: int
    name: str


class PublicArticleOut(Schema):
    id: int
    title: str
    summary: str
    category: str | None
    is_faq: bool
    published_at: datetime | None


class PublicDetailOut(PublicArticleOut):
    body: str
    body_html: str


class PublicListOut(Schema):
    count: int
    items: list[PublicArticleOut]


class PublicQuery(Schema):
    q: str = ""
    category_id: int | None = None
    page: int = 1
    page_size: int = 20


def _input(payload: ArticleIn) -> ArticleInput:
    return ArticleInput(**payload.dict(exclude={"version"}))


def _detail(user, article_id: int) -> dict:
    article, counts = selectors.article_detail(user, article_id)
    copy = selectors.reader_copy(user, article)
    return {**selectors.article_out(user, article), "helpful": counts["helpful"],
            "not_helpful": counts["not_helpful"], "body": copy["body"], "body_html": render_markdown(copy["body"]),
            "author": user_ref(article.author), "reviewer": user_ref(article.reviewer),
            "review_note": article.review_note, "published_at": article.published_at}


@router.get("/articles", response={200: ArticleListOut, **ERRORS})
def list_articles(request, q: Query[ArticleListQuery]):
    """Articles the caller may read (published ones; the information desk sees drafts and reviews too)."""
    count, items = selectors.list_articles(request.auth, **q.dict())
    return {"count": count, "items": [selectors.article_out(request.auth, a) for a in items]}


@router.post("/articles", response={201: ArticleDetailOut, **ERRORS})
def create_article(request, payload: ArticleIn):
    article = services.create_article(actor=request.auth, data=_input(payload))
    return Status(201, _detail(request.auth, article.pk))


@router.get("/articles/{int:article_id}", response={200: ArticleDetailOut, **ERRORS})
def get_article(request, article_id: int):
    """One article; `body_html` is the text rendered safely (everything typed is escaped)."""
    return _detail(request.auth, article_id)


@router.patch("/articles/{int:article_id}", response={200: ArticleDetailOut, **ERRORS})
def update_article(request, article_id: int, payload: ArticlePatch):
    """Save a new revision with the fields sent changed; a published article stays online until it is reviewed."""
    current = services.load_article(request.auth, article_id)
    data = merged({"title": current.title, "body": current.body, "summary": current.summary,
                   "category_id": current.category_id, "tags": sorted(t.name for t in current.tags.all()),
                   "audience": current.audience, "is_faq": current.is_faq}, payload)
    services.update_article(actor=request.auth, article_id=article_id, version=payload.version,
                            data=ArticleInput(**data))
    return _detail(request.auth, article_id)


@router.post("/articles/{int:article_id}/submit", response={200: ArticleDetailOut, **ERRORS})
def submit_article(request, article_id: int, payload: VersionIn):
    services.submit_for_review(actor=request.auth, article_id=article_id, version=payload.version)
    return _detail(request.auth, article_id)


@router.post("/articles/{int:article_id}/review", response={200: ArticleDetailOut, **ERRORS})
def review_article(request, article_id: int, payload: ReviewIn):
    """Publish (approve) or reject the revision in review; the reviewer must not be its author."""
    services.review_article(actor=request.auth, article_id=article_id, version=payload.version,
                            approve=payload.approve, note=payload.note)
    return _detail(request.auth, article_id)


@router.post("/articles/{int:article_id}/withdraw", response={200: ArticleDetailOut, **ERRORS})
def withdraw_article(request, article_id: int, payload: VersionIn):
    services.withdraw_article(actor=request.auth, article_id=article_id, version=payload.version)
    return _detail(request.auth, article_id)


@router.post("/articles/{int:article_id}/restore", response={200: ArticleDetailOut, **ERRORS})
def restore_article(request, article_id: int, payload: RestoreIn):
    """Make an earlier revision the working copy again (as a new revision)."""
    services.restore_revision(actor=request.auth, article_id=article_id, version=payload.version,
                              revision=payload.revision)
    return _detail(request.auth, article_id)


@router.get("/articles/{int:article_id}/revisions", response={200: list[RevisionOut], **ERRORS})
def list_revisions(request, article_id: int):
    return [{"number": r.number, "title": r.title, "by": user_ref(r.created_by), "at": r.created_at,
             "restored_from": r.restored_from} for r in selectors.revisions(request.auth, article_id)]


@router.get("/articles/{int:article_id}/diff", response={200: DiffOut, **ERRORS})
def diff_article(request, article_id: int, q: Query[DiffQuery]):
    """What changed between revisions a and b (line diff of title, summary, tags and text)."""
    return selectors.diff_revisions(request.auth, article_id, q.a, q.b)


@router.post("/articles/{int:article_id}/feedback", response={200: FeedbackOut, **ERRORS})
def article_feedback(request, article_id: int, payload: FeedbackIn):
    """Helpful or not; answering again changes the caller's one answer."""
    feedback = services.give_feedback(actor=request.auth, article_id=article_id, helpful=payload.helpful,
                                      comment=payload.comment)
    return {"helpful": feedback.helpful, "comment": feedback.comment}


@router.post("/suggest", response={200: list[ArticleOut], **ERRORS})
def suggest(request, payload: SuggestIn):
    """The published articles most relevant to a ticket's text, while the agent is still typing."""
    limit = max(1, min(payload.limit, 20))
    return [selectors.article_out(request.auth, a)
            for a in selectors.suggest_articles(request.auth, payload.text, limit=limit)]


@router.get("/categories", response={200: list[CategoryOut], **ERRORS})
def list_categories(request):
    return [{"id": c.pk, "name": c.name} for c in Category.objects.all()]


def _public_out(article) -> dict:
    rev = article.published_revision
    return {"id": article.pk, "title": rev.title, "summary": rev.summary or plain_excerpt(rev.body),
            "category": article.category.name if article.category_id else None, "is_faq": article.is_faq,
            "published_at": article.published_at}


@help_router.get("/articles", response={200: PublicListOut, **ERRORS})
def public_list(request, q: Query[PublicQuery]):
    """The public help center (常见问题): published public articles, searchable, no login."""
    count, items = selectors.public_articles(**q.dict())
    return {"count": count, "items": [_public_out(a) for a in items]}


@help_router.get("/articles/{int:article_id}", response={200: PublicDetailOut, **ERRORS})
def public_detail(request, article_id: int):
    article = selectors.public_article(article_id)
    body = article.published_revision.body
    return {**_public_out(article), "body": body, "body_html": render_markdown(body)}
