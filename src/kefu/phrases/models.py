"""Scripts and quick phrases (话术, 快捷短语, KB4): opening, closing, standard and sensitive-question scripts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.permissions import VIEW, check_action
from kefu.knowledge.access import can_manage_knowledge, is_staff_user


class PhraseKind(models.TextChoices):
    OPENING = "opening", _("Opening words")
    CLOSING = "closing", _("Closing words")
    STANDARD = "standard", _("Standard phrase")
    # TK9: questions such as discount levels or 串货 are answered only with the approved script.
    SENSITIVE = "sensitive", _("Sensitive question script")


class PhraseQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> "PhraseQuerySet":
        """Managers see every phrase; other staff the active center-wide ones and those of their own team."""
        check_action(action)
        if not is_staff_user(user):
            return self.none()
        if can_manage_knowledge(user):
            return self.all()
        team = Q(team__isnull=True) | Q(team_id=user.team_id) if user.team_id else Q(team__isnull=True)
        return self.filter(team, active=True)


class Phrase(models.Model):
    """One script or quick phrase, center-wide or for one team and/or one ticket type, with placeholders."""

    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=PhraseKind.choices, default=PhraseKind.STANDARD)
    body = models.TextField(_("text"))
    # Empty team and ticket type mean the whole center and every type.
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("team"))
    ticket_type = models.ForeignKey("tickets.TicketType", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+", verbose_name=_("ticket type"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("updated by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = PhraseQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "position", "id"]
        indexes = [models.Index(fields=["active", "kind", "position"], name="phrase_active_kind")]
        verbose_name = _("phrase")
        verbose_name_plural = _("phrases")

    def __str__(self):
        return self.title

    @property
    def is_sensitive(self) -> bool:
        return self.kind == PhraseKind.SENSITIVE
