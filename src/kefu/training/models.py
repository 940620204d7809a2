"""Training (培训, KB6): courses of articles, anonymised cases and scripts; onboarding plans; assignments;
timed exams with auto-marked questions, retakes and pass marks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.training.access import can_train


class Course(models.Model):
    """A course: an ordered list of knowledge articles, anonymised case studies and scripts."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title


class ItemKind(models.TextChoices):
    ARTICLE = "article", _("Knowledge article")
    CASE = "case", _("Case study")
    SCRIPT = "script", _("Script")


class CourseItem(models.Model):
    """One piece of a course. A case study is a copy of a ticket with the customer's data taken out."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    article = models.ForeignKey("knowledge.Article", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    phrase = models.ForeignKey("phrases.Phrase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)  # the anonymised case; articles and scripts are read live

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("course item")
        verbose_name_plural = _("course items")

    def __str__(self):
        return self.title


class OnboardingPlan(models.Model):
    """The courses and exams a new agent is given, in order."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    courses = models.ManyToManyField(Course, blank=True, related_name="+", verbose_name=_("courses"))
    exams = models.ManyToManyField("Exam", blank=True, related_name="+", verbose_name=_("exams"))
    days = models.PositiveSmallIntegerField(_("days to complete"), default=14)

    class Meta:
        ordering = ["name"]
        verbose_name = _("onboarding plan")
        verbose_name_plural = _("onboarding plans")

    def __str__(self):
        return self.name


class AssignmentReason(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    QA = "qa", _("QA deduction")
    MANUAL = "manual", _("Assigned")


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssignmentQuerySet":
        """Trainers see every assignment, team leads their team's, everyone else their own."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if can_train(user) and user.role != "team_lead":
            return self.all()
        if user.role == "team_lead" and user.team_id:
            return self.filter(Q(agent__team_id=user.team_id) | Q(agent_id=user.pk))
        return self.filter(agent_id=user.pk)


class Assignment(models.Model):
    """A course given to one agent (onboarding, after a QA deduction, or by hand) and when it was done."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=12, choices=AssignmentReason.choices)
    evaluation = models.ForeignKey("quality.Evaluation", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    assigned_at = models.DateTimeField(_("assigned"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["completed_at", "due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "agent"], condition=Q(completed_at__isnull=True),
                                               name="training_one_open_assignment")]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return f"{self.course_id} → {self.agent_id}"


class QaCourse(models.Model):
    """A scorecard item whose deduction assigns a course to the agent."""

    item_code = models.CharField(_("scorecard item"), max_length=40, unique=True)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+", verbose_name=_("course"))

    class Meta:
        verbose_name = _("course for a QA deduction")
        verbose_name_plural = _("courses for QA deductions")

    def __str__(self):
        return f"{self.item_code} → {self.course_id}"


class Exam(models.Model):
    """A timed exam with a pass mark and a number of attempts allowed."""

    title = models.CharField(_("title"), max_length=200)
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="exams")
    minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), default=30)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=3)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("exam")
        verbose_name_plural = _("exams")

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SHORT = "short", _("Short answer")


class Question(models.Model):
    """A question: choices with the right ones, or a short answer marked by keywords or by a trainer."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    choices = models.JSONField(_("choices"), default=list)
    correct = models.JSONField(_("right choices"), default=list)  # indexes into choices
    keywords = models.JSONField(_("keywords"), default=list)  # short answers: all present → full points
    points = models.PositiveSmallIntegerField(_("points"), default=10)

    class Meta:
        ordering = ["exam", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:40]


class AttemptQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AttemptQuerySet":
        """Trainers see every attempt, team leads their team's, everyone else their own."""
        return self.none() if user is None else _attempts_for(self, user)


def _attempts_for(qs, user):
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if can_train(user) and user.role != "team_lead":
        return qs.all()
    if user.role == "team_lead" and user.team_id:
        return qs.filter(Q(agent__team_id=user.team_id) | Q(agent_id=user.pk))
    return qs.filter(agent_id=user.pk)


class Attempt(models.Model):
    """One sitting of an exam: the answers, the marks, and whether it passed."""

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict)  # {question id: [choice indexes] | "text"}
    marks = models.JSONField(_("marks"), default=dict)  # {question id: points}
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)
    needs_marking = models.BooleanField(_("waiting for marking"), default=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["exam", "agent", "number"], name="training_attempt_number")]
        indexes = [models.Index(fields=["finished_at"], name="training_attempt_finished")]
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")

    def __str__(self):
        return f"{self.exam_id} #{self.number} {self.agent_id}"
