"""KPI settings, appraisal rules and monthly results (绩效考核), bonus pools (奖金分配) and the star board (明星榜)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import Role


class KpiSettings(models.Model):
    """The center's KPI parameters, one row; an administrator changes them."""

    fcr_days = models.PositiveSmallIntegerField(_("repeat contact window (days) for first-contact resolution"),
                                                default=7)
    star_min_evaluations = models.PositiveSmallIntegerField(_("evaluations needed for the QA star"), default=3)
    star_min_answers = models.PositiveSmallIntegerField(_("survey answers needed for the CSAT star"), default=5)

    class Meta:
        verbose_name = _("KPI settings")
        verbose_name_plural = _("KPI settings")

    def __str__(self):
        return "KPI settings"

    @classmethod
    def current(cls) -> "KpiSettings":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class AppraisalRule(models.Model):
    """How one role is appraised: weighted KPIs, each scored between a floor and a target, and the bonus rule."""

    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, unique=True)
    # [{measure, weight, floor, target}]: points = weight × clamp((value − floor) ÷ (target − floor), 0, 1);
    # a target below the floor means lower is better. An item without data is left out and the others rescaled.
    items = models.JSONField(_("items"), default=list)
    min_score = models.PositiveSmallIntegerField(_("score needed for a bonus"), default=60)
    cap_fen = models.PositiveIntegerField(_("bonus cap per person (fen)"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["role"]
        verbose_name = _("appraisal rule")
        verbose_name_plural = _("appraisal rules")

    def __str__(self):
        return self.name


class BonusPool(models.Model):
    """The bonus money of one month for one rule's people, in integer fen."""

    month = models.DateField(_("month"))
    rule = models.ForeignKey(AppraisalRule, on_delete=models.CASCADE, related_name="pools")
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "rule"], name="kpi_pool_once")]
        verbose_name = _("bonus pool")
        verbose_name_plural = _("bonus pools")

    def __str__(self):
        return f"{self.month:%Y-%m} {self.rule_id}: {self.amount_fen}"


class ResultQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ResultQuerySet":
        """Management all, a team lead the team, everyone else their own."""
        from kefu.reports.access import CENTER, TEAM, report_scope

        scope = report_scope(user)
        if scope == CENTER:
            return self.all()
        if scope == TEAM and user.team_id:
            return self.filter(agent__team_id=user.team_id)
        if scope is None:
            return self.none()
        return self.filter(agent_id=user.pk)


class AppraisalResult(models.Model):
    """One agent's appraisal of one month: the score, the breakdown behind it and the bonus share."""

    month = models.DateField(_("month"))
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("agent"))
    rule = models.ForeignKey(AppraisalRule, on_delete=models.PROTECT, related_name="results")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    breakdown = models.JSONField(_("breakdown"), default=list)
    bonus_fen = models.PositiveBigIntegerField(_("bonus (fen)"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"))

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["month", "-score", "agent"]
        constraints = [models.UniqueConstraint(fields=["month", "agent"], name="kpi_result_once")]
        verbose_name = _("appraisal result")
        verbose_name_plural = _("appraisal results")

    def __str__(self):
        return f"{self.month:%Y-%m} {self.agent_id}: {self.score}"


class StarBoard(models.Model):
    """The month's published star board: each category's star with the figures behind it."""

    month = models.DateField(_("month"), unique=True)
    entries = models.JSONField(_("stars"), default=list)  # [{category, agent, value, numerator, denominator}]
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-month"]
        verbose_name = _("star board")
        verbose_name_plural = _("star boards")

    def __str__(self):
        return f"stars {self.month:%Y-%m}"
