"""Articles in the one search index (kefu.search): the published copy of each article, as readers see it."""

from kefu.knowledge.markup import plain_excerpt
from kefu.knowledge.models import Article
from kefu.search.indexing import DocumentInput, index_document, register_source, remove_document
from kefu.search.models import Audience as SearchAudience
from kefu.search.models import Kind

BODY_CHARS = 20_000  # an article's text beyond this is not searched


def _queryset():
    return Article.objects.filter(published_revision__isnull=False).select_related(
        "category", "published_revision").prefetch_related("tags")


def article_document(article: Article) -> DocumentInput:
    """Title, summary, text, tags and category of the published revision; public articles marked public."""
    copy = article.published_revision
    tags = [tag.name for tag in article.tags.all()]
    body = "\n".join(p for p in [copy.summary, plain_excerpt(copy.body, BODY_CHARS)] if p)
    return DocumentInput(
        kind=Kind.ARTICLE, object_id=article.pk, title=copy.title, body=body,
        keywords=[*tags, article.category.name if article.category_id else ""],
        status="published", created_at=article.published_at,
        audience=SearchAudience.PUBLIC if article.audience == "public" else SearchAudience.INTERNAL,
    )


def index_article(article_id: int) -> None:
    """Write the article's document, or remove it when the article is not published (called on each change)."""
    article = _queryset().filter(pk=article_id).first()
    if article is None:
        remove_document(kind=Kind.ARTICLE, object_id=article_id)
    else:
        index_document(article_document(article))


def _batches(batch: int):
    last = 0
    while True:
        rows = list(_queryset().filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return
        last = rows[-1].pk
        yield [article_document(row) for row in rows]


def register() -> None:
    """Let `kefu search reindex` rebuild the articles' documents."""
    register_source(Kind.ARTICLE, _batches, lambda: _queryset().count())
