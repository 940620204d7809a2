"""Tickets (工单): types with custom fields as data, the 5W1H record, messages, links and typed events."""

import functools

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import TICKET_SCOPE, Scope
from kefu.core.labels import choice_label
from kefu.core.permissions import CHANGE, RestrictedQuerySet
from kefu.tickets.lifecycle import DEFAULT_TRANSITIONS, Channel, Priority, Status


class TicketType(models.Model):
    """A kind of ticket (咨询, 报修, 投诉 …) with its own fields and allowed transitions (TK1)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50)
    # {status: [next statuses]}; empty means the default lifecycle. Edited by administrators, no code.
    transitions = models.JSONField(_("transitions"), default=dict, blank=True)
    is_complaint = models.BooleanField(_("complaint"), default=False)
    is_emergency = models.BooleanField(_("emergency"), default=False)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name

    def allowed_next(self, status: str) -> list[str]:
        table = self.transitions or DEFAULT_TRANSITIONS
        return list(table.get(status, []))


class TicketField(models.Model):
    """A custom field of a ticket type, defined as data (e.g. meter number for 报修, order number for 售后)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        BOOLEAN = "boolean", _("Yes/no")

    ticket_type = models.ForeignKey(TicketType, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=50)
    label_en = models.CharField(_("English label"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["ticket_type", "key"], name="ticket_field_unique_key")]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")

    def __str__(self):
        return self.key


@functools.cache
def _detail_prefix() -> str:
    """/tickets/ (or wherever the URLconf mounts them): reversed once, not once per row of every list."""
    return reverse("tickets:detail", args=[0])[:-2]


class TicketQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str) -> "TicketQuerySet":
        """Tickets in the role's scope (TICKET_SCOPE); to change one the role must also handle tickets."""
        if action == CHANGE and not user.can_handle_tickets():
            return self.none()
        if user.is_superuser:
            return self.all()
        scope = TICKET_SCOPE.get(user.role)
        own = Q(assignee_id=user.pk) | Q(created_by_id=user.pk)
        if scope == Scope.CENTER:
            return self.all()
        if scope == Scope.OWN_AND_TEAM:
            return self.filter(own | Q(team_id=user.team_id)) if user.team_id else self.filter(own)
        if scope == Scope.TEAM:
            if not user.team_id:
                return self.filter(own)
            return self.filter(own | Q(team_id=user.team_id) | Q(dispatched_team_id=user.team_id))
        if scope == Scope.DISPATCHED:
            return self.filter(dispatched_team_id=user.team_id) if user.team_id else self.none()
        if scope == Scope.OWN_CUSTOMERS:
            return self.filter(own | Q(customer__account_manager_id=user.pk))
        return self.none()


class Ticket(models.Model):
    """One case: 5W1H record, channel, priority, routing, status and a version for optimistic locking."""

    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("type"))
    title = models.CharField(_("title"), max_length=200)
    # 5W1H (TK2): what happened, when, who reported it, where, why, and how it should be handled.
    description = models.TextField(_("what"), blank=True)
    occurred_at = models.DateTimeField(_("when"), null=True, blank=True)
    reporter_name = models.CharField(_("who"), max_length=100, blank=True)
    location = models.CharField(_("where"), max_length=300, blank=True)
    cause = models.TextField(_("why"), blank=True)
    handling = models.TextField(_("how"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PHONE)
    channel_ref = models.CharField(_("channel reference"), max_length=100, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    # 重要事件/突发事件: escalates at once instead of waiting for a breach (SL3).
    is_major = models.BooleanField(_("major or sudden event"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    # Denormalised from status so that "my open tickets" is one ordered index range, not an IN + sort.
    is_open = models.BooleanField(default=True)
    # The routing foreign keys get no index of their own: the composite indexes in Meta start with them.
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="tickets", verbose_name=_("customer"), db_index=False)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="tickets", verbose_name=_("team"), db_index=False)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="assigned_tickets", verbose_name=_("assignee"), db_index=False)
    dispatched_team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="dispatched_tickets", verbose_name=_("dispatched to"),
                                        db_index=False)
    appointment_start = models.DateTimeField(_("appointment from"), null=True, blank=True)
    appointment_end = models.DateTimeField(_("appointment until"), null=True, blank=True)
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    # Few tickets have a parent or were merged: their indexes are partial (see Meta), so that creating a ticket
    # writes no index entry for an empty link.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("parent"), db_index=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged", verbose_name=_("merged into"), db_index=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), db_index=True)
    updated_at = models.DateTimeField(_("updated"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # A summary of the ticket's live SLA clocks, kept by kefu.sla.summary whenever a clock starts, stops, pauses,
    # resumes or changes its limit: the earliest warning point and the earliest moment it is overdue (a limit, or
    # a breach already stamped). "At risk" and "breached" then move with the clock without a write, and the board
    # and the queue filters read them from the ticket's own index instead of probing the clocks of every ticket.
    sla_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    sla_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "created_at"]
        indexes = [
            # Partial on open tickets: SQLite matches the bare `WHERE is_open` Django writes only this way,
            # and the queues then read in priority-then-age order straight off the index.
            models.Index(fields=["assignee", "-priority", "created_at"], name="ticket_my_queue",
                         condition=Q(is_open=True)),
            models.Index(fields=["team", "-priority", "created_at"], name="ticket_team_queue",
                         condition=Q(is_open=True)),
            models.Index(fields=["dispatched_team", "-priority", "created_at"], name="ticket_dispatch_queue",
                         condition=Q(is_open=True, dispatched_team__isnull=False)),
            # Every column the queue board's COUNT … GROUP BY reads (the visibility test's routing columns, the
            # grouping and the SLA summary), for open tickets only: the board counts from this index alone.
            models.Index(fields=["team", "assignee", "dispatched_team", "created_by", "sla_due_at", "sla_warn_at"],
                         name="ticket_open_board", condition=Q(is_open=True)),
            models.Index(fields=["assignee", "created_at"], name="ticket_assignee"),
            models.Index(fields=["team", "created_at"], name="ticket_team"),
            # Partial where most tickets have nothing to index (a ticket is created undispatched, without parent,
            # unmerged): every query of these columns compares them with a value, which implies IS NOT NULL to
            # SQLite's and PostgreSQL's planners alike.
            models.Index(fields=["dispatched_team", "created_at"], name="ticket_dispatched",
                         condition=Q(dispatched_team__isnull=False)),
            models.Index(fields=["parent"], name="ticket_parent", condition=Q(parent__isnull=False)),
            models.Index(fields=["merged_into"], name="ticket_merged_into", condition=Q(merged_into__isnull=False)),
            models.Index(fields=["customer", "created_at"], name="ticket_customer"),
            models.Index(fields=["status", "created_at"], name="ticket_status"),
            models.Index(fields=["contact_phone"], name="ticket_phone"),
        ]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return f"{_detail_prefix()}{self.pk}/"

    # Django's generated get_*_display() translates every choice on every call; the queue, the board and the
    # customer panel show these on each row, so they read a per-language table instead (kefu.core.labels).
    def get_status_display(self) -> str:
        return choice_label(Status, self.status)

    def get_priority_display(self) -> str:
        return choice_label(Priority, self.priority)

    def get_channel_display(self) -> str:
        return choice_label(Channel, self.channel)

    @property
    def number(self) -> str:
        """The number agents read to customers: GD + zero-padded id."""
        return f"GD{self.pk:08d}" if self.pk else ""


class TicketMessage(models.Model):
    """A customer-visible reply or an internal note on a ticket."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply to customer")
        NOTE = "note", _("Internal note")
        CUSTOMER = "customer", _("Message from customer")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket")]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.kind} #{self.pk}"


class TicketLink(models.Model):
    """A link between two tickets (related, duplicate of, caused by) — TK6."""

    class Kind(models.TextChoices):
        RELATED = "related", _("Related")
        DUPLICATE = "duplicate", _("Duplicate of")
        CAUSED_BY = "caused_by", _("Caused by")
        FOLLOW_UP = "follow_up", _("Follow-up case of")

    source = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RELATED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="ticket_link_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="ticket_link_not_self"),
        ]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self):
        return f"{self.source_id}-{self.kind}-{self.target_id}"


class EventCode(models.TextChoices):
    """The changes the ticket app itself makes; other apps register their own codes (kefu.tickets.events)."""

    CREATED = "created", _("Created")
    UPDATED = "updated", _("Fields changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    DISPATCHED = "dispatched", _("Dispatched")
    REPLIED = "replied", _("Replied to customer")
    NOTE_ADDED = "note_added", _("Internal note")
    CUSTOMER_MESSAGE = "customer_message", _("Message from customer")
    REOPENED = "reopened", _("Reopened")
    LINKED = "linked", _("Linked")
    MERGED_INTO = "merged_into", _("Merged into another ticket")
    MERGED_FROM = "merged_from", _("Another ticket merged in")
    PARENT_SET = "parent_set", _("Parent set")
    CHILD_ADDED = "child_added", _("Child added")
    PHONE_REVEALED = "phone_revealed", _("Contact phone revealed")
    FOLLOW_UP_CREATED = "follow_up_created", _("Follow-up task created")
    FOLLOW_UP_DONE = "follow_up_done", _("Follow-up task done")
    FIELD_ARRIVED = "field_arrived", _("Crew arrived on site")
    FIELD_COMPLETED = "field_completed", _("Field work done")
    # The closed-loop complaint and the manager referral (TK7, TK8).
    COMPLAINT_RECORDED = "complaint_recorded", _("Complaint findings recorded")
    CLOSE_OVERRIDDEN = "close_overridden", _("Closed by supervisor override")
    REFERRED_TO_MANAGER = "referred_to_manager", _("Passed to the manager")
    MANAGER_DECIDED = "manager_decided", _("Manager decided")


class TicketEvent(models.Model):
    """One typed change on a ticket: code + JSON parameters, who and when, and the version it produced."""

    # No index of its own: event_ticket_version starts with it.
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", db_index=False)
    version = models.PositiveIntegerField()
    # No choices: each app registers its own codes (kefu.tickets.events.register_codes), so a new app's event
    # never migrates this table; labels come from that registry.
    code = models.CharField(max_length=30)
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "version"], name="event_ticket_version"),
            # The queue board's newest escalations. Partial: only the rare escalated events are in it, so it
            # costs the write path nothing; queries must name the code literally (kefu.core.sql.LiteralIn).
            models.Index(fields=["created_at"], name="event_escalated", condition=Q(code__in=["escalated"])),
        ]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")

    def __str__(self):
        return f"{self.ticket_id} v{self.version} {self.code}"




class FollowUp(models.Model):
    """A task tied to a ticket with a due time, e.g. phone the customer to confirm a mail or fax arrived (CH3)."""

    class Kind(models.TextChoices):
        CONFIRM_RECEIPT = "confirm_receipt", _("Confirm by phone that it arrived")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="follow_ups")
    due_at = models.DateTimeField()
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    result = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["assignee", "done_at", "due_at"], name="follow_up_queue")]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")

    def __str__(self):
        return f"{self.ticket_id} {self.kind}"


class ComplaintRecord(models.Model):
    """The closed-loop findings of a complaint (TK7): who is responsible, what happened, how it was handled."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="complaint_record")
    responsible_party = models.CharField(_("responsible party"), max_length=100, blank=True)
    responsible_team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("responsible department"))
    content = models.TextField(_("verified complaint content"), blank=True)
    result = models.TextField(_("handling result"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("complaint findings")
        verbose_name_plural = _("complaint findings")

    def __str__(self):
        return f"{self.ticket_id} {self.responsible_party}"


class ManagerReferral(models.Model):
    """An out-of-scope request passed to a manager (TK8); replies to the customer wait for the decision."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the manager")
        DECIDED = "decided", _("Decided")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="referrals")
    question = models.TextField(_("question for the manager"))
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals",
                                verbose_name=_("manager"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["manager", "state", "asked_at"], name="referral_inbox")]
        constraints = [
            # One open question per ticket at a time: the reply waits for exactly one decision.
            models.UniqueConstraint(fields=["ticket"], condition=Q(state="pending"), name="referral_one_pending"),
        ]
        verbose_name = _("manager referral")
        verbose_name_plural = _("manager referrals")

    def __str__(self):
        return f"{self.ticket_id} → {self.manager_id} {self.state}"
