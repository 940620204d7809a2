"""Knowledge base (知识库, KB1): articles with categories, tags, versions, review before publishing, feedback."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.permissions import VIEW, check_action
from kefu.knowledge.access import can_manage_knowledge, is_staff_user


class Category(models.Model):
    """A category of articles (燃气费, 报修, 安全用气 …); setup data kept in the admin."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class Tag(models.Model):
    """A free tag on articles; created on first use."""

    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class Audience(models.TextChoices):
    INTERNAL = "internal", _("Internal (staff only)")
    PUBLIC = "public", _("Public (help center)")


class ArticleStatus(models.TextChoices):
    """The review state of the working copy; the published copy stays online while a new draft is reviewed."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> "ArticleQuerySet":
        """Knowledge managers see every article; other staff only published ones; anonymous users none
        (the public help center reads `public()` instead)."""
        check_action(action)
        if not is_staff_user(user):
            return self.none()
        if can_manage_knowledge(user):
            return self.all()
        return self.filter(published_revision__isnull=False)

    def public(self) -> "ArticleQuerySet":
        """What customers may read without logging in: published articles for the public."""
        return self.filter(published_revision__isnull=False, audience=Audience.PUBLIC)


class Article(models.Model):
    """An article: the working copy (latest revision) and the revision published to readers, if any."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="articles", verbose_name=_("category"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.INTERNAL)
    # FAQ (客户常问问题): shown first in the help center and the agents' list.
    is_faq = models.BooleanField(_("frequently asked"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices,
                              default=ArticleStatus.DRAFT)
    current_revision = models.PositiveIntegerField(_("revision"), default=1)
    published_revision = models.ForeignKey("ArticleRevision", null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+", verbose_name=_("published revision"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("author"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("reviewer"))
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-is_faq", "-updated_at", "-id"]
        indexes = [models.Index(fields=["audience", "published_revision"], name="article_public")]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return self.title


class ArticleRevision(models.Model):
    """One saved state of an article: every save is a new row (who, when, what); restore adds another."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    category_name = models.CharField(_("category"), max_length=50, blank=True)
    tag_names = models.JSONField(_("tags"), default=list, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    restored_from = models.PositiveIntegerField(_("restored from"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_revision_unique")]
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")

    def __str__(self):
        return f"{self.article_id} r{self.number}"


class ArticleEventCode(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    RESTORED = "restored", _("Restored an earlier revision")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn from readers")


class ArticleEvent(models.Model):
    """One typed step of an article's review workflow: code + ids, translated when shown."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    code = models.CharField(max_length=20, choices=ArticleEventCode.choices)
    revision = models.PositiveIntegerField()
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("article event")
        verbose_name_plural = _("article events")

    def __str__(self):
        return f"{self.article_id} {self.code}"


class ArticleFeedback(models.Model):
    """Helpful or not: one per logged-in user, or one per anonymous help-center session, changeable."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    session_key = models.CharField(max_length=40, blank=True)
    helpful = models.BooleanField(_("helpful"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], condition=Q(user__isnull=False),
                                    name="feedback_one_per_user"),
            models.UniqueConstraint(fields=["article", "session_key"], condition=Q(user__isnull=True),
                                    name="feedback_one_per_session"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(session_key=""),
                                   name="feedback_has_author"),
        ]
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")

    def __str__(self):
        return f"{self.article_id} {'+' if self.helpful else '-'}"
