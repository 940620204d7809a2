"""The search index: one row per searchable object, with its display text and its token streams.

The full-text index itself lives beside this table and is made by a migration for the database in use: an FTS5
table kept in step by triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL.
"""

from django.conf import settings
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


class VocabularyList(models.TextChoices):
    THESAURUS = "thesaurus", _("Thesaurus")
    DOMAIN = "domain", _("Domain dictionary")


class Vocabulary(models.Model):
    """A word list the information desk edits: the thesaurus, or one industry's domain dictionary."""

    list = models.CharField(_("list"), max_length=20, choices=VocabularyList.choices)
    industry = models.CharField(_("industry"), max_length=20, blank=True)
    # One entry per line: a group of synonyms (the usual word first), or one word of the trade.
    text = models.TextField(_("entries"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        db_table = "search_vocabulary"
        constraints = [models.UniqueConstraint(fields=["list", "industry"], name="search_vocabulary_list")]
        verbose_name = _("search vocabulary")
        verbose_name_plural = _("search vocabularies")

    def __str__(self):
        return f"{self.list}:{self.industry}"


class ReindexJob(models.Model):
    """A rebuild of the index in the background (after a vocabulary change), with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(max_length=20, blank=True)  # a VocabularyList code, or "manual"
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        db_table = "search_reindex_job"
        verbose_name = _("reindex job")
        verbose_name_plural = _("reindex jobs")

    def __str__(self):
        return f"reindex {self.pk} {self.status}"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else (100 if self.status == "done" else 0)
