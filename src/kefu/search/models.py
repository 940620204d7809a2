"""The search index: one row per searchable object, with its display text and its token streams.

The full-text index itself lives beside this table and is made by a migration for the database in use: an FTS5
table kept in step by triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TICKET = "ticket", _("Ticket")
    CUSTOMER = "customer", _("Customer")
    ARTICLE = "article", _("Article")


class Audience(models.TextChoices):
    INTERNAL = "internal", _("Internal (staff only)")
    PUBLIC = "public", _("Public")


class SearchDocument(models.Model):
    """One searchable ticket, customer or article: what the result list shows and what the index reads."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField()
    # Display text: phones in it are shown masked when a snippet is made.
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # Token streams (space-separated), see kefu.search.text; the title's words weigh more in ranking.
    title_words = models.TextField(blank=True)
    body_words = models.TextField(blank=True)
    grams = models.TextField(blank=True)
    # Who may see it, as tokens (kefu.search.scope): the kind, `public`, a ticket's team, assignee, creator and
    # dispatched team. Indexed, never matched by the user's words; rewritten whenever one of them changes.
    scope = models.TextField(blank=True)
    # Filters shown in the search form.
    status = models.CharField(max_length=20, blank=True)
    ticket_type_id = models.IntegerField(null=True, blank=True)
    team_id = models.IntegerField(null=True, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.INTERNAL)
    created_at = models.DateTimeField(null=True, blank=True)
    indexed_at = models.DateTimeField()

    class Meta:
        db_table = "search_document"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_object")]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return f"{self.kind}:{self.object_id}"


class PendingDocument(models.Model):
    """An object whose document is out of date: marked in the changing transaction, indexed after commit."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField()
    queued_at = models.DateTimeField()
    # The drain indexing the object right now; a new change clears it, so that a drain which read the object
    # before that change does not write its stale document and the next drain indexes it again.
    claim = models.CharField(max_length=32, null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "search_pending"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_pending_object")]
        verbose_name = _("pending search document")
        verbose_name_plural = _("pending search documents")

    def __str__(self):
        return f"{self.kind}:{self.object_id}"
