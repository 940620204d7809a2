"""Daily briefing (每日例会/晨会, KB5): hot issues, temporary process changes, defects, open questions; who read it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.permissions import VIEW, check_action
from kefu.knowledge.access import can_manage_knowledge, is_staff_user


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ItemKind(models.TextChoices):
    HOT_ISSUE = "hot_issue", _("Hot issue")
    PROCESS_CHANGE = "process_change", _("Temporary process change")
    DEFECT = "defect", _("Yesterday's defect")
    OPEN_QUESTION = "open_question", _("Open question")


class BriefingQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> "BriefingQuerySet":
        """Published briefings for all staff; drafts only for those who prepare them."""
        check_action(action)
        if not is_staff_user(user):
            return self.none()
        if can_manage_knowledge(user):
            return self.all()
        return self.filter(status=BriefingStatus.PUBLISHED)


class Briefing(models.Model):
    """The briefing of one day, prepared by the information desk and read by agents before their shift."""

    day = models.DateField(_("date"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BriefingStatus.choices,
                              default=BriefingStatus.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("prepared by"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = BriefingQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")

    def __str__(self):
        return f"{self.day} {self.title}"


class BriefingItem(models.Model):
    """One point of a briefing; hot issues carry yesterday's count, open questions their memo."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    text = models.TextField(_("text"))
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    memo = models.ForeignKey("memos.Memo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("memo"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["briefing", "kind", "position", "id"]
        verbose_name = _("briefing item")
        verbose_name_plural = _("briefing items")

    def __str__(self):
        return f"{self.kind}: {self.text[:40]}"


class BriefingRead(models.Model):
    """A read receipt: this user read this briefing at this time (recorded once)."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["briefing", "user"], name="briefing_read_once")]
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")

    def __str__(self):
        return f"{self.briefing_id} {self.user_id}"
