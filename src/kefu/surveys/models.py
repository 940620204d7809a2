"""Satisfaction surveys (用户满意度调查表, 业户意见调查表, CB3): questionnaires, responses and invitation links."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import Role
from kefu.core.permissions import VIEW, check_action


def _english() -> bool:
    return (get_language() or "").startswith("en")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE5 = "scale5", _("Scale 1–5")
    SCALE10 = "scale10", _("Scale 0–10")
    TEXT = "text", _("Free text")


class QuestionRole(models.TextChoices):
    """What a question measures for the center's figures: at most one of each per questionnaire."""

    NONE = "", _("—")
    CSAT = "csat", _("CSAT question")
    NPS = "nps", _("NPS question")


class Via(models.TextChoices):
    CALLBACK = "callback", _("During a callback")
    LINK = "link", _("Link sent to the customer")
    CAMPAIGN = "campaign", _("Outbound campaign")


class InviteChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Online chat")


def is_designer(user) -> bool:
    """Who designs questionnaires and reads their results: team leads, supervisors and administrators."""
    return bool(user and user.is_authenticated and user.is_active and user.can_supervise())


class QuestionnaireQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> "QuestionnaireQuerySet":
        """Designers see every questionnaire; other staff the active ones (to take them); anonymous none."""
        check_action(action)
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if is_designer(user):
            return self.all()
        return self.filter(active=True)


class Questionnaire(models.Model):
    """A questionnaire in both languages, for some ticket types (none = the default one)."""

    title = models.CharField(_("title"), max_length=100)
    title_en = models.CharField(_("English title"), max_length=100)
    intro = models.CharField(_("introduction"), max_length=500, blank=True)
    intro_en = models.CharField(_("English introduction"), max_length=500, blank=True)
    active = models.BooleanField(_("active"), default=True)
    ticket_types = models.ManyToManyField("tickets.TicketType", blank=True, related_name="+",
                                          verbose_name=_("ticket types"))
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("updated by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-active", "-created_at", "-id"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.title_en if _english() and self.title_en else self.title

    @property
    def intro_label(self) -> str:
        return self.intro_en if _english() and self.intro_en else self.intro


class Question(models.Model):
    """One question of a questionnaire: its kind, choices as data ([{key, label, label_en}]) and role."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(_("English question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    role = models.CharField(_("measures"), max_length=4, choices=QuestionRole.choices, blank=True, default="")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "role"], condition=~Q(role=""),
                                    name="survey_one_question_per_role"),
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.text_en if _english() and self.text_en else self.text

    @property
    def field_name(self) -> str:
        """The form field's name in the take partial and the public page: q_<id>."""
        return f"q_{self.pk}"

    def choice_label(self, key: str) -> str:
        for choice in self.choices:
            if choice["key"] == key:
                return choice.get("label_en") if _english() and choice.get("label_en") else choice["label"]
        return key

    def labelled_choices(self) -> list[tuple[str, str]]:
        return [(c["key"], self.choice_label(c["key"])) for c in self.choices]

    @property
    def scale(self) -> range | None:
        if self.kind == QuestionKind.SCALE5:
            return range(1, 6)
        if self.kind == QuestionKind.SCALE10:
            return range(0, 11)
        return None


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> "ResponseQuerySet":
        """Designers and QA read every response; other staff the ones they took themselves."""
        check_action(action)
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if is_designer(user) or user.role == Role.QA_INSPECTOR:
            return self.all()
        return self.filter(taken_by_id=user.pk)


class Response(models.Model):
    """One filled-in questionnaire: how it was taken, for which ticket, and the CSAT/NPS scores it gave."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("ticket"))
    # The callback task (kefu.callbacks, built alongside) by id: surveys do not depend on that app.
    callback_task_id = models.PositiveIntegerField(_("callback task"), null=True, blank=True)
    via = models.CharField(_("taken"), max_length=10, choices=Via.choices)
    # The agent the answer is about (the ticket's assignee when it was given); None without a ticket.
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("agent"))
    # Who entered it (the agent on the phone); None when the customer answered a link.
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("taken by"))
    csat = models.PositiveSmallIntegerField(_("CSAT score"), null=True, blank=True)
    nps = models.PositiveSmallIntegerField(_("NPS score"), null=True, blank=True)
    created_at = models.DateTimeField(_("answered"), default=timezone.now)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["questionnaire", "created_at"], name="survey_response_q"),
            models.Index(fields=["ticket"], name="survey_response_ticket"),
        ]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"#{self.pk}"


class Answer(models.Model):
    """One answer to one question: a choice key (one row per ticked choice), a number or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(_("choice"), max_length=20, blank=True)
    number = models.SmallIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["question", "choice"], name="survey_answer_choice"),
                   models.Index(fields=["question", "number"], name="survey_answer_number")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.question_id}"


class Invitation(models.Model):
    """A link sent to a customer: only the hash of its token is kept; answered once, before it expires."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="invitations")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("ticket"))
    channel = models.CharField(_("sent by"), max_length=10, choices=InviteChannel.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("sent by"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    # Claimed with a conditional UPDATE … WHERE answered_at IS NULL: the link is answered exactly once.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    response = models.OneToOneField(Response, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="invitation")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ticket", "-created_at"], name="survey_invitation_ticket")]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self):
        return f"#{self.pk}"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at
