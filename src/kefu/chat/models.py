"""Web chat (CH2): widgets a company embeds, the routing settings of each team's chat queue, conversations with
their sequenced messages, and each conversation's typed history."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_widget_key() -> str:
    return secrets.token_urlsafe(12)


class ChatQueue(models.Model):
    """How one team's chats are routed: strategy, offer time, VIP first, the automatic greeting."""

    class Strategy(models.TextChoices):
        LEAST_BUSY = "least_busy", _("Least busy agent first")
        ROUND_ROBIN = "round_robin", _("Round robin")

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="chat_queue",
                                verbose_name=_("team"))
    strategy = models.CharField(_("strategy"), max_length=20, choices=Strategy.choices, default=Strategy.LEAST_BUSY)
    offer_seconds = models.PositiveSmallIntegerField(_("seconds to accept an offer"), default=30)
    vip_first = models.BooleanField(_("VIP and at-risk chats first"), default=True)
    auto_greeting = models.BooleanField(_("send the greeting when an agent accepts"), default=True)
    greeting_phrase = models.ForeignKey("phrases.Phrase", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("greeting phrase"))
    # A chat waiting longer than this is "at risk" and goes ahead of the others when vip_first is set.
    at_risk_seconds = models.PositiveIntegerField(_("waiting seconds before a chat is at risk"), default=120)

    class Meta:
        verbose_name = _("chat queue")
        verbose_name_plural = _("chat queues")

    def __str__(self):
        return str(self.team)


class Widget(models.Model):
    """One embeddable chat widget: its public key, the team it queues to, who may embed it, its hours."""

    key = models.CharField(_("public key"), max_length=32, unique=True, default=new_widget_key)
    name = models.CharField(_("name"), max_length=100)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    # Sites allowed to embed the widget and call its endpoints, one origin per line (https://www.example.com).
    allowed_origins = models.TextField(_("allowed origins"), blank=True)
    calendar = models.ForeignKey("sla.BusinessCalendar", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("business calendar"))
    assistant = models.BooleanField(_("FAQ assistant answers first"), default=True)
    # Skills every chat of this widget needs (a product line: "product:gas").
    skills = models.JSONField(_("skills required"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chat widget")
        verbose_name_plural = _("chat widgets")

    def __str__(self):
        return self.name

    def origins(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.allowed_origins.splitlines() if line.strip()]


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConversationQuerySet":
        """Agents see the chats offered to or held by them and their team's; leads their team's; the center all."""
        from kefu.accounts.roles import TICKET_SCOPE, Scope

        if user is None or not user.is_authenticated or not user.is_active or not user.can_handle_tickets():
            return self.none()
        scope = TICKET_SCOPE.get(user.role)
        if scope == Scope.CENTER:
            return self.all()
        if scope in (Scope.TEAM, Scope.OWN_AND_TEAM) and user.team_id:
            return self.filter(Q(team_id=user.team_id) | Q(agent_id=user.pk))
        return self.filter(agent_id=user.pk)


class Conversation(models.Model):
    """One chat with a website visitor, from the first message to the rating."""

    class State(models.TextChoices):
        ASSISTANT = "assistant", _("With the FAQ assistant")
        WAITING = "waiting", _("Waiting in the queue")
        OFFERED = "offered", _("Offered to an agent")
        ACTIVE = "active", _("In progress")
        ENDED = "ended", _("Ended")
        LEFT_MESSAGE = "left_message", _("Message left")

    class Outcome(models.TextChoices):
        SOLVED = "solved", _("Solved by the assistant")
        HANDED_OVER = "handed_over", _("Handed over to an agent")

    widget = models.ForeignKey(Widget, on_delete=models.PROTECT, related_name="conversations")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("customer"))
    visitor_key = models.CharField(max_length=64, unique=True)  # sha256 of the visitor's token, never the token
    visitor_name = models.CharField(_("visitor name"), max_length=100, blank=True)
    visitor_phone = models.CharField(_("visitor phone"), max_length=20, blank=True)
    visitor_email = models.CharField(_("visitor email"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    skills = models.JSONField(default=list, blank=True)  # what the router must match
    is_vip = models.BooleanField(_("VIP"), default=False)
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("agent"))
    # The agent whose chat slot this conversation holds (released exactly once when it ends or moves).
    slot_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    passed_over = models.JSONField(default=list, blank=True)  # agents who let an offer lapse
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    last_customer_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    assistant_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    assistant_misses = models.PositiveSmallIntegerField(default=0)
    first_question = models.CharField(max_length=300, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("ticket"))
    last_seq = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("started"), default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The queue: a team's waiting chats, oldest first.
            models.Index(fields=["team", "state", "queued_at"], name="chat_queue_order",
                         condition=Q(state__in=["waiting", "offered"])),
            # Offers that lapse: the router's sweep reads only these.
            models.Index(fields=["offer_expires_at"], name="chat_offer_expiry", condition=Q(state="offered")),
            models.Index(fields=["agent", "state"], name="chat_agent_state"),
            models.Index(fields=["customer", "created_at"], name="chat_customer"),
            models.Index(fields=["created_at"], name="chat_created"),
        ]
        verbose_name = _("chat")
        verbose_name_plural = _("chats")

    def __str__(self):
        return f"chat {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.state in (self.State.ASSISTANT, self.State.WAITING, self.State.OFFERED, self.State.ACTIVE)


class ChatMessage(models.Model):
    """One line of a chat, numbered within the conversation so a client resumes from the last one it saw."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        AGENT = "agent", _("Agent")
        ASSISTANT = "assistant", _("FAQ assistant")
        SYSTEM = "system", _("System")
        WHISPER = "whisper", _("Whisper")  # lead ↔ agent only; never sent to the customer

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    body = models.TextField(blank=True)
    image = models.BinaryField(null=True, blank=True)
    image_type = models.CharField(max_length=20, blank=True)
    meta = models.JSONField(default=dict, blank=True)  # assistant: article ids and titles; system: a code
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["conversation", "seq"]
        constraints = [models.UniqueConstraint(fields=["conversation", "seq"], name="chat_message_seq")]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")

    def __str__(self):
        return f"{self.conversation_id}#{self.seq}"

    @property
    def public(self) -> bool:
        return self.kind != self.Kind.WHISPER


class ChatEventCode(models.TextChoices):
    STARTED = "started", _("Chat started")
    QUEUED = "queued", _("Queued")
    OFFERED = "offered", _("Offered to an agent")
    OFFER_LAPSED = "offer_lapsed", _("Offer not accepted in time")
    ACCEPTED = "accepted", _("Accepted")
    TRANSFERRED = "transferred", _("Transferred")
    TAKEN_OVER = "taken_over", _("Taken over by the team lead")
    WHISPERED = "whispered", _("Whisper")
    SOLVED_BY_ASSISTANT = "solved_by_assistant", _("Solved by the FAQ assistant")
    HANDED_OVER = "handed_over", _("Handed over to a person")
    ENDED = "ended", _("Ended")
    RATED = "rated", _("Rated")
    TICKET_MADE = "ticket_made", _("Turned into a ticket")
    MESSAGE_LEFT = "message_left", _("Message left outside working hours")
    TRANSCRIPT_SENT = "transcript_sent", _("Transcript sent")


class ChatEvent(models.Model):
    """One typed entry in a chat's history: a code and JSON params of codes and ids, never personal data."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    code = models.CharField(max_length=30, choices=ChatEventCode.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField()
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["conversation", "at", "id"]
        indexes = [models.Index(fields=["code", "at"], name="chat_event_code_at")]
        verbose_name = _("chat event")
        verbose_name_plural = _("chat events")

    def __str__(self):
        return f"{self.conversation_id} {self.code}"
