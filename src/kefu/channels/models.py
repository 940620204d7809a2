"""Channels: where messages come from (mailboxes, webhook endpoints, WeChat accounts) and the typed record of
every message that came in or went out on them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Medium(models.TextChoices):
    """The channel a message travelled on."""

    EMAIL = "email", _("Email")
    FAX = "fax", _("Fax")
    WECHAT = "wechat", _("WeChat Official Account")
    WECOM = "wecom", _("WeCom customer service")
    QQ = "qq", _("QQ")
    WEBHOOK = "webhook", _("Webhook")


class Mailbox(models.Model):
    """A mailbox the worker polls over IMAP (TLS), or that the MTA pipes mail into; fax arrives as mail too."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    address = models.EmailField(_("address"), help_text=_("Replies are sent from this address."))
    is_fax = models.BooleanField(_("fax gateway"), default=False,
                                 help_text=_("Mail from a fax-to-mail gateway: tickets are opened as faxes."))
    imap_host = models.CharField(_("IMAP host"), max_length=200, blank=True,
                                 help_text=_("Empty: mail is piped in by the mail server (kefu mail receive)."))
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_user = models.CharField(_("IMAP user"), max_length=200, blank=True)
    imap_password = models.CharField(_("IMAP password"), max_length=200, blank=True)
    imap_folder = models.CharField(_("folder"), max_length=100, default="INBOX")
    tls_ca_file = models.CharField(_("CA certificate file"), max_length=300, blank=True,
                                   help_text=_("The intranet CA that signed the server's certificate; empty: the "
                                               "system's trusted CAs."))
    ticket_type = models.CharField(_("ticket type code"), max_length=50, default="inquiry")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("team"))
    max_attachment_kb = models.PositiveIntegerField(_("largest attachment (KB)"), default=20 * 1024)
    enabled = models.BooleanField(_("enabled"), default=True)
    # The poller's place in the folder: IMAP UIDs only grow while UIDVALIDITY stays the same.
    uid_validity = models.BigIntegerField(default=0, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    # A poll is claimed by setting a lease (conditional UPDATE), so two workers never read one mailbox at once.
    poll_lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self):
        return self.name

    @property
    def medium(self) -> str:
        return Medium.FAX if self.is_fax else Medium.EMAIL


class Endpoint(models.Model):
    """An IM or shop system posting messages in through the signed webhook, or a WeChat / WeCom / QQ account."""

    medium = models.CharField(_("channel"), max_length=20, choices=Medium.choices, default=Medium.WEBHOOK)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=50, unique=True,
                            help_text=_("The last part of the callback URL the platform posts to."))
    secret = models.CharField(_("signing secret / token"), max_length=200)
    app_id = models.CharField(_("AppID / CorpID"), max_length=100, blank=True)
    app_secret = models.CharField(_("AppSecret"), max_length=200, blank=True)
    agent_id = models.CharField(_("WeCom AgentId"), max_length=20, blank=True)
    aes_key = models.CharField(_("EncodingAESKey"), max_length=43, blank=True,
                               help_text=_("Set for the encrypted (safe) message mode."))
    reply_url = models.URLField(_("reply URL"), max_length=300, blank=True,
                                help_text=_("Webhook: where replies are posted. WeChat: the API base URL."))
    ticket_type = models.CharField(_("ticket type code"), max_length=50, default="inquiry")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("team"))
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["medium", "name"]
        verbose_name = _("endpoint")
        verbose_name_plural = _("endpoints")

    def __str__(self):
        return self.name


class InboundState(models.TextChoices):
    """What became of a message that came in."""

    NEW_TICKET = "new_ticket", _("Opened a ticket")
    THREADED = "threaded", _("Added to a ticket")
    AUTO_REPLY = "auto_reply", _("Auto-reply (not answered)")
    BOUNCE = "bounce", _("Bounce")
    LOOP = "loop", _("Our own mail (loop)")
    REFUSED = "refused", _("Refused")


class ThreadedBy(models.TextChoices):
    """How an inbound message found its ticket."""

    NONE = "", _("New conversation")
    MESSAGE_ID = "message_id", _("In-Reply-To / References")
    TOKEN = "token", _("Ticket number in the subject")
    THREAD_INDEX = "thread_index", _("Outlook Thread-Index")
    CONVERSATION = "conversation", _("Open conversation of the sender")


class InboundMessage(models.Model):
    """One message received on a channel. (medium, external_id) is unique: a redelivery is the same row."""

    medium = models.CharField(max_length=20, choices=Medium.choices)
    external_id = models.CharField(max_length=300)  # Message-ID, MsgId, or endpoint:Idempotency-Key
    mailbox = models.ForeignKey(Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    endpoint = models.ForeignKey(Endpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=20, choices=InboundState.choices)
    threaded_by = models.CharField(max_length=20, choices=ThreadedBy.choices, blank=True)
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    message = models.ForeignKey("tickets.TicketMessage", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    sender = models.CharField(max_length=300, blank=True)  # address or openid: personal data, shown masked
    sender_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    html = models.TextField(blank=True)  # sanitised (nh3): safe to show as HTML
    foreign_sender = models.BooleanField(default=False)  # not among the ticket's known senders/contacts
    split_pending = models.BooleanField(default=False)  # a new subject on an old thread: the agent decides
    split_ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    size = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["medium", "external_id"], name="inbound_once")]
        indexes = [models.Index(fields=["ticket", "received_at"], name="inbound_ticket"),
                   models.Index(fields=["medium", "sender", "received_at"], name="inbound_sender")]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")

    def __str__(self):
        return f"{self.medium} #{self.pk}"


class OutboundState(models.TextChoices):
    """Where a reply on a channel stands."""

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Delivery failed")


class OutboundMessage(models.Model):
    """A reply sent back on the channel its ticket came from, with its delivery state."""

    medium = models.CharField(max_length=20, choices=Medium.choices)
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey("tickets.TicketMessage", null=True, on_delete=models.SET_NULL, related_name="+")
    mailbox = models.ForeignKey(Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    endpoint = models.ForeignKey(Endpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    in_reply_to = models.ForeignKey(InboundMessage, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recipient = models.CharField(max_length=300)
    external_id = models.CharField(max_length=300, unique=True)  # our Message-ID, or the platform's msgid
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    state = models.CharField(max_length=20, choices=OutboundState.choices, default=OutboundState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=50, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)  # when a worker started sending it
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="outbound_ticket"),
                   models.Index(fields=["state", "created_at"], name="outbound_state")]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")

    def __str__(self):
        return f"{self.medium} #{self.pk}"


class ThreadKey(models.Model):
    """A key that leads later mail to its ticket: a Message-ID we saw or sent, or an Outlook conversation."""

    key = models.CharField(max_length=300, unique=True)  # "mid:<id>" or "ti:<base64 of 22 bytes>"
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("thread key")
        verbose_name_plural = _("thread keys")

    def __str__(self):
        return self.key


class Attachment(models.Model):
    """A file that came with an inbound message; refused ones keep a row with the reason and no file."""

    inbound = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="attachments")
    ticket = models.ForeignKey("tickets.Ticket", null=True, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=300, blank=True)  # under files.root(); content-addressed
    refused = models.CharField(max_length=20, blank=True)  # "too_large" / "type_not_allowed"

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["ticket"], name="attachment_ticket")]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.filename


class Signature(models.Model):
    """An agent's signature, added under every email reply they send."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("signature"), max_length=1000)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self):
        return f"signature {self.user_id}"


class Lead(models.Model):
    """A customer record opened by an unknown sender on a channel, for an agent to confirm or merge (CH6)."""

    customer = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="+")
    medium = models.CharField(max_length=20, choices=Medium.choices)
    created_at = models.DateTimeField()
    merged_into = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    merged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["merged_at", "created_at"], name="lead_open")]
        verbose_name = _("lead customer")
        verbose_name_plural = _("lead customers")

    def __str__(self):
        return f"lead {self.customer_id}"


class CustomerMerge(models.Model):
    """One duplicate customer merged into another (CH6): what moved, who did it, when. The source record stays
    (closed, with its history); its tickets and contacts now belong to the target."""

    source = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    tickets = models.JSONField(default=list)  # ids of the tickets moved
    contacts = models.PositiveIntegerField(default=0)  # contacts copied to the target
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source"], name="customer_merged_once")]
        verbose_name = _("customer merge")
        verbose_name_plural = _("customer merges")

    def __str__(self):
        return f"{self.source_id} → {self.target_id}"


class PartnerSource(models.Model):
    """A partner or public channel that passes cases with its own deadlines (CH5): the 12345 hotline, the
    consumer association, a carrier, a shop's reviews."""

    class Kind(models.TextChoices):
        HOTLINE_12345 = "12345", _("12345 government hotline")
        CONSUMER_ASSOCIATION = "consumer_assoc", _("Consumer association")
        CARRIER = "partner", _("Carrier or channel partner")
        REVIEW = "review", _("Shop reviews")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    ack_hours = models.PositiveIntegerField(_("sign for within (working hours)"), default=2)
    finish_days = models.PositiveIntegerField(_("finish within (working days)"), default=5)
    calendar = models.ForeignKey("sla.BusinessCalendar", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("business calendar"))
    ticket_type = models.CharField(_("ticket type code"), max_length=50, default="inquiry")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("team"))
    result_email = models.EmailField(_("send results to"), blank=True,
                                     help_text=_("Empty: the result workbook is downloaded and uploaded by hand."))
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner source")
        verbose_name_plural = _("partner sources")

    def __str__(self):
        return self.name


class ResultBatch(models.Model):
    """One workbook of results sent back to a partner, and the partner's acknowledgement of it."""

    source = models.ForeignKey(PartnerSource, on_delete=models.PROTECT, related_name="batches")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    cases = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=300, blank=True)  # the workbook, under files.root()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement = models.CharField(max_length=200, blank=True)  # the partner's receipt number or note

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("result batch")
        verbose_name_plural = _("result batches")

    def __str__(self):
        return f"{self.source_id}/{self.pk}"


class PartnerCase(models.Model):
    """A case passed by a partner, with the partner's deadlines beside kefu's own SLA clocks."""

    source = models.ForeignKey(PartnerSource, on_delete=models.PROTECT, related_name="cases")
    external_id = models.CharField(max_length=100)
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField()
    ack_due_at = models.DateTimeField()
    finish_due_at = models.DateTimeField()
    acked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(blank=True)
    batch = models.ForeignKey(ResultBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["finish_due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="partner_case_once")]
        # The overdue list reads open cases by deadline (STYLE §4: a deadline column with an index).
        indexes = [models.Index(fields=["finished_at", "finish_due_at"], name="partner_case_due"),
                   models.Index(fields=["acked_at", "ack_due_at"], name="partner_case_ack_due")]
        verbose_name = _("partner case")
        verbose_name_plural = _("partner cases")

    def __str__(self):
        return f"{self.source_id}:{self.external_id}"
