"""Quality inspection (质检, QA1–QA3): scorecards, contacts and their automatic checks, samples, evaluations,
appeals, calibration, and the app's own typed history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.quality.access import can_inspect, reads_center


class Scorecard(models.Model):
    """A named scorecard; its items live in versions so that an old evaluation keeps the card it was scored on."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)
    current = models.ForeignKey("ScorecardVersion", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("current version"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self):
        return self.name


class ScorecardVersion(models.Model):
    """One frozen set of items: [{code, category, label, points, fatal}]; points add up to the full score."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    items = models.JSONField(_("items"), default=list)
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["scorecard", "number"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "number"], name="quality_card_version")]
        verbose_name = _("scorecard version")
        verbose_name_plural = _("scorecard versions")

    def __str__(self):
        return f"{self.scorecard_id} v{self.number}"

    @property
    def full_score(self) -> int:
        return sum(item["points"] for item in self.items if not item.get("fatal"))

    def item(self, code: str) -> dict | None:
        return next((i for i in self.items if i["code"] == code), None)


class CheckRules(models.Model):
    """The automatic checks' word lists and limits, one row for the center, edited by the supervisor."""

    greeting = models.JSONField(_("greeting words"), default=list)
    closing = models.JSONField(_("closing words"), default=list)
    polite = models.JSONField(_("polite words"), default=list)
    forbidden = models.JSONField(_("forbidden phrases"), default=list)
    rude = models.JSONField(_("rude words"), default=list)
    arguing = models.JSONField(_("arguing markers"), default=list)
    first_reply_limit = models.PositiveIntegerField(_("first reply within (s)"), default=60)
    talk_limit = models.PositiveIntegerField(_("talk time limit (s)"), default=300)
    hold_limit = models.PositiveIntegerField(_("hold limit (s)"), default=60)
    silence_limit = models.PositiveIntegerField(_("long silence (s)"), default=30)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("automatic check rules")
        verbose_name_plural = _("automatic check rules")

    def __str__(self):
        return f"check rules v{self.version}"


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ContactQuerySet":
        """Inspectors of the center see every contact, team leads their team's, agents their own."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if reads_center(user):
            return self.all()
        if can_inspect(user) and user.team_id:
            return self.filter(Q(team_id=user.team_id) | Q(agent_id=user.pk))
        return self.filter(agent_id=user.pk)


class Contact(models.Model):
    """One customer contact handled by one agent (a ticket conversation, a call, a chat) as QA sees it."""

    source = models.CharField(_("source"), max_length=20)
    ref = models.CharField(_("reference"), max_length=64)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("agent"))
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("team"))
    channel = models.CharField(_("channel"), max_length=20)
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started"))
    month = models.DateField(_("month"))
    is_complaint = models.BooleanField(_("complaint"), default=False)
    csat = models.PositiveSmallIntegerField(_("lowest CSAT answered"), null=True, blank=True)
    checks = models.JSONField(_("automatic checks"), default=dict, blank=True)
    check_failed = models.BooleanField(_("failed an automatic check"), default=False)
    checked_at = models.DateTimeField(null=True, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "ref"], name="quality_contact_ref")]
        indexes = [models.Index(fields=["agent", "month"], name="quality_contact_agent"),
                   models.Index(fields=["team", "month"], name="quality_contact_team")]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return f"{self.source}:{self.ref}"


class CallTranscript(models.Model):
    """What the telephony system sent about a call beyond cti.Call: its transcript lines and hold time."""

    call = models.OneToOneField("cti.Call", on_delete=models.CASCADE, related_name="+")
    lines = models.JSONField(_("lines"), default=list)  # [{speaker, offset, text}] offset in seconds from answer
    hold_seconds = models.PositiveIntegerField(_("hold (s)"), default=0)
    received_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("call transcript")
        verbose_name_plural = _("call transcripts")

    def __str__(self):
        return f"transcript of {self.call_id}"


class SamplingPlan(models.Model):
    """How a team's contacts are sampled each month: N per agent at random plus every flagged contact."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="+", verbose_name=_("team"))
    per_agent = models.PositiveSmallIntegerField(_("random contacts per agent per month"), default=5)
    complaints = models.BooleanField(_("every complaint"), default=True)
    low_surveys = models.BooleanField(_("every low survey score"), default=True)
    low_survey_max = models.PositiveSmallIntegerField(_("low survey means CSAT at most"), default=2)
    check_failures = models.BooleanField(_("every automatic check failure"), default=True)
    scorecard = models.ForeignKey(Scorecard, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("scorecard"))
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["team"]
        verbose_name = _("sampling plan")
        verbose_name_plural = _("sampling plans")

    def __str__(self):
        return f"plan {self.team_id}"


class SampleReason(models.TextChoices):
    RANDOM = "random", _("Random")
    COMPLAINT = "complaint", _("Complaint")
    LOW_SURVEY = "low_survey", _("Low survey score")
    AUTO_CHECK = "auto_check", _("Automatic check failed")
    MANUAL = "manual", _("Picked by hand")


class SampleState(models.TextChoices):
    PENDING = "pending", _("To score")
    SCORED = "scored", _("Scored")


class SampleQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SampleQuerySet":
        """The inspection queue: inspectors only, never their own contacts."""
        if not can_inspect(user):
            return self.none()
        qs = self.exclude(contact__agent_id=user.pk)
        if reads_center(user):
            return qs
        return qs.filter(contact__team_id=user.team_id) if user.team_id else qs.none()


class Sample(models.Model):
    """A contact picked for inspection, with why it was picked and who claimed it."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="sample")
    month = models.DateField(_("month"))
    reasons = models.JSONField(_("reasons"), default=list)
    state = models.CharField(_("state"), max_length=10, choices=SampleState.choices, default=SampleState.PENDING)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("inspector"))
    created_at = models.DateTimeField(_("created"))

    objects = SampleQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "month"], name="quality_sample_queue")]
        verbose_name = _("sample")
        verbose_name_plural = _("samples")

    def __str__(self):
        return f"sample {self.contact_id}"


class EvaluationStatus(models.TextChoices):
    FINAL = "final", _("Final")
    APPEALED = "appealed", _("Under appeal")
    KEPT = "kept", _("Appeal refused, score kept")
    CHANGED = "changed", _("Changed on appeal")


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EvaluationQuerySet":
        """Agents their own, team leads their team's, inspectors what they scored, QA and management all."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if reads_center(user):
            return self.all()
        own = Q(agent_id=user.pk) | Q(inspector_id=user.pk)
        if can_inspect(user) and user.team_id:
            return self.filter(own | Q(contact__team_id=user.team_id))
        return self.filter(own)


class Evaluation(models.Model):
    """One inspector's score of one contact against one scorecard version."""

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="evaluation")
    card = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("scorecard version"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("inspector"))
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("agent"))
    deductions = models.JSONField(_("deductions"), default=dict)  # {item code: points deducted}
    fatal = models.JSONField(_("fatal items"), default=list)  # item codes
    score = models.PositiveSmallIntegerField(_("score"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.FINAL)
    scored_at = models.DateTimeField(_("scored"))
    month = models.DateField(_("month"))  # of the contact, in the center's time zone
    version = models.PositiveIntegerField(default=1)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-scored_at", "-id"]
        indexes = [models.Index(fields=["agent", "month"], name="quality_eval_agent"),
                   models.Index(fields=["scored_at"], name="quality_eval_scored")]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"evaluation {self.pk} {self.score}"


class Comment(models.Model):
    """The inspector's remark on one moment of the contact: a line (message) or a time in the recording."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="comments")
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    second = models.PositiveIntegerField(_("second"), null=True, blank=True)
    text = models.CharField(_("comment"), max_length=500)

    class Meta:
        ordering = ["evaluation", "line", "second", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.text[:40]


class AppealState(models.TextChoices):
    OPEN = "open", _("Waiting for the supervisor")
    KEPT = "kept", _("Score kept")
    CHANGED = "changed", _("Score changed")


class Appeal(models.Model):
    """An agent's appeal (申诉) against an evaluation and the supervisor's decision."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="appeals")
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=AppealState.choices, default=AppealState.OPEN)
    filed_at = models.DateTimeField(_("filed"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    old_score = models.PositiveSmallIntegerField(_("score before"))
    new_score = models.PositiveSmallIntegerField(_("score after"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["evaluation"], condition=Q(state="open"),
                                               name="quality_one_open_appeal")]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return f"appeal {self.pk} {self.state}"


class Calibration(models.Model):
    """A calibration session: several inspectors score the same contacts; a reference score is set for each."""

    title = models.CharField(_("title"), max_length=100)
    contacts = models.ManyToManyField(Contact, related_name="+", verbose_name=_("contacts"))
    references = models.JSONField(_("reference scores"), default=dict)  # {contact id: score}
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")

    def __str__(self):
        return self.title


class CalibrationScore(models.Model):
    """One inspector's score of one contact in a calibration session (not an evaluation of the agent)."""

    calibration = models.ForeignKey(Calibration, on_delete=models.CASCADE, related_name="scores")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deductions = models.JSONField(default=dict)
    fatal = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField(_("score"))
    scored_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["calibration", "contact", "inspector"],
                                               name="quality_calibration_once")]
        verbose_name = _("calibration score")
        verbose_name_plural = _("calibration scores")

    def __str__(self):
        return f"{self.calibration_id}/{self.contact_id}: {self.score}"


class QualityEventCode(models.TextChoices):
    SAMPLED = "sampled", _("Sampled")
    SCORED = "scored", _("Scored")
    APPEALED = "appealed", _("Appealed")
    APPEAL_KEPT = "appeal_kept", _("Appeal refused, score kept")
    APPEAL_CHANGED = "appeal_changed", _("Score changed on appeal")


class QualityEvent(models.Model):
    """One typed change in quality inspection: a code, JSON params of codes and ids, who and when."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="events")
    evaluation = models.ForeignKey(Evaluation, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    code = models.CharField(max_length=20, choices=QualityEventCode.choices)
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("quality event")
        verbose_name_plural = _("quality events")

    def __str__(self):
        return f"{self.contact_id} {self.code}"
