"""Every change in training: courses and their items, assignments, onboarding, exams, attempts and marking."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.training.access import require_trainer
from kefu.training.models import (
    Assignment,
    AssignmentReason,
    Attempt,
    Course,
    CourseItem,
    Exam,
    ItemKind,
    OnboardingPlan,
    Question,
    QuestionKind,
)

GRACE = timedelta(seconds=60)  # answers sent this long after the time limit still count (a slow network)
_PHONE = re.compile(r"1[3-9]\d{9}|\d{3,4}-?\d{7,8}")
_ID = re.compile(r"\d{17}[\dXx]|\d{15}")


def anonymise(text: str, names: list[str]) -> str:
    """A ticket's text with ID and phone numbers and the customer's names taken out, for a case study."""
    text = _ID.sub("[证件号]", text or "")
    text = _PHONE.sub("[电话]", text)
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = text.replace(name, "[客户]")
    return text


@dataclass
class ItemInput:
    kind: str
    article_id: int | None = None
    phrase_id: int | None = None
    ticket_id: int | None = None
    title: str = ""


def _item(course: Course, position: int, item: ItemInput, index: int) -> CourseItem:
    from kefu.knowledge.models import Article
    from kefu.phrases.models import Phrase
    from kefu.tickets.models import Ticket

    field_ = f"items[{index}]"
    if item.kind == ItemKind.ARTICLE:
        article = Article.objects.filter(pk=item.article_id).first()
        if article is None:
            raise ValidationFailed(_("No such article."), code="invalid_choice", field=f"{field_}.article_id")
        return CourseItem(course=course, kind=item.kind, position=position, article=article, title=article.title)
    if item.kind == ItemKind.SCRIPT:
        phrase = Phrase.objects.filter(pk=item.phrase_id).first()
        if phrase is None:
            raise ValidationFailed(_("No such script."), code="invalid_choice", field=f"{field_}.phrase_id")
        return CourseItem(course=course, kind=item.kind, position=position, phrase=phrase, title=phrase.title)
    if item.kind == ItemKind.CASE:
        ticket = Ticket.objects.select_related("customer", "ticket_type").filter(pk=item.ticket_id).first()
        if ticket is None:
            raise ValidationFailed(_("No such ticket."), code="invalid_choice", field=f"{field_}.ticket_id")
        names = [ticket.reporter_name, ticket.customer.name if ticket.customer else ""]
        parts = [ticket.ticket_type.name, ticket.title, ticket.description, ticket.cause, ticket.handling]
        text = anonymise("\n\n".join(p for p in parts if p), names)
        return CourseItem(course=course, kind=item.kind, position=position,
                          title=(item.title or anonymise(ticket.title, names))[:200], text=text)
    raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field=f"{field_}.kind")


@transaction.atomic
def create_course(*, actor, title: str, description: str = "", items: list[ItemInput],
                  now: datetime | None = None) -> Course:
    """A course made of knowledge articles, anonymised case studies and scripts, in order."""
    require_trainer(actor)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed(_("Give the course a title (at most 200 characters)."), code="required",
                               field="title")
    course = Course.objects.create(title=title, description=(description or "").strip(),
                                   created_at=now or timezone.now())
    CourseItem.objects.bulk_create([_item(course, i, item, i) for i, item in enumerate(items)])
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="training_course", target_id=course.pk,
           params={"op": "course_created", "items": len(items)})
    return course


def do_assign(*, course: Course, agent_id: int, reason: str, at: datetime, due: datetime | None = None,
              evaluation_id: int | None = None) -> Assignment | None:
    """Give a course to an agent unless they already have it open (then None); for services and listeners."""
    if Assignment.objects.filter(course=course, agent_id=agent_id, completed_at__isnull=True).exists():
        return None
    try:
        with transaction.atomic():
            return Assignment.objects.create(course=course, agent_id=agent_id, reason=reason, assigned_at=at,
                                             due_at=due, evaluation_id=evaluation_id)
    except IntegrityError:  # assigned concurrently
        return None


@transaction.atomic
def assign_course(*, actor, course_id: int, agent_id: int, days: int = 7, now: datetime | None = None) -> Assignment:
    """A trainer gives a course to an agent, due in `days`."""
    require_trainer(actor)
    course = Course.objects.filter(pk=course_id, active=True).first()
    if course is None:
        raise NotFound(_("No such course."), field="course_id")
    if not User.objects.filter(pk=agent_id, is_active=True).exists():
        raise ValidationFailed(_("No such user."), code="invalid_choice", field="agent_id")
    at = now or timezone.now()
    assignment = do_assign(course=course, agent_id=agent_id, reason=AssignmentReason.MANUAL, at=at,
                           due=at + timedelta(days=days))
    if assignment is None:
        raise Conflict(_("This agent already has this course to do."), code="duplicate", field="course_id")
    return assignment


@transaction.atomic
def start_onboarding(*, actor, plan_id: int, agent_id: int, now: datetime | None = None) -> list[Assignment]:
    """Give a new agent every course of an onboarding plan."""
    require_trainer(actor)
    plan = OnboardingPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("No such onboarding plan."), field="plan_id")
    at = now or timezone.now()
    made = [do_assign(course=c, agent_id=agent_id, reason=AssignmentReason.ONBOARDING, at=at,
                      due=at + timedelta(days=plan.days)) for c in plan.courses.filter(active=True)]
    return [a for a in made if a is not None]


@transaction.atomic
def complete_assignment(*, actor: User, assignment_id: int, now: datetime | None = None) -> Assignment:
    """The agent marks a course done after reading it."""
    assignment = Assignment.objects.visible_to(actor).filter(pk=assignment_id).first()
    if assignment is None:
        raise NotFound(_("No such assignment."), field="assignment_id")
    if assignment.agent_id != actor.pk:
        raise Forbidden(_("Only the agent marks their own course done."), code="not_yours")
    Assignment.objects.filter(pk=assignment.pk, completed_at__isnull=True).update(completed_at=now or timezone.now())
    assignment.refresh_from_db()
    return assignment


@dataclass
class QuestionInput:
    kind: str
    text: str
    choices: list[str] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    points: int = 10


def _clean_question(q: QuestionInput, i: int) -> Question:
    where = f"questions[{i}]"
    if q.kind not in QuestionKind.values:
        raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field=f"{where}.kind")
    if not (q.text or "").strip():
        raise ValidationFailed(_("This field is required."), code="required", field=f"{where}.text")
    if q.kind != QuestionKind.SHORT:
        if len(q.choices) < 2 or not q.correct or any(not 0 <= c < len(q.choices) for c in q.correct):
            raise ValidationFailed(_("Give at least two choices and the right ones."), code="invalid",
                                   field=f"{where}.correct")
        if q.kind == QuestionKind.SINGLE and len(q.correct) != 1:
            raise ValidationFailed(_("A single-choice question has one right choice."), code="invalid",
                                   field=f"{where}.correct")
    if not 1 <= q.points <= 100:
        raise ValidationFailed(_("Points are 1–100."), code="invalid", field=f"{where}.points")
    return Question(position=i, kind=q.kind, text=q.text.strip(), choices=[c.strip() for c in q.choices],
                    correct=sorted(set(q.correct)), keywords=[k.strip() for k in q.keywords if k.strip()],
                    points=q.points)


@transaction.atomic
def create_exam(*, actor, title: str, questions: list[QuestionInput], minutes: int = 30, pass_mark: int = 60,
                max_attempts: int = 3, course_id: int | None = None) -> Exam:
    """A timed exam of single/multiple-choice and short-answer questions."""
    require_trainer(actor)
    if not (title or "").strip():
        raise ValidationFailed(_("This field is required."), code="required", field="title")
    if not questions:
        raise ValidationFailed(_("An exam needs questions."), code="required", field="questions")
    if not 1 <= minutes <= 600 or not 0 <= pass_mark <= 100 or not 1 <= max_attempts <= 20:
        raise ValidationFailed(_("Time 1–600 minutes, pass mark 0–100, 1–20 attempts."), code="invalid",
                               field="minutes")
    cleaned = [_clean_question(q, i) for i, q in enumerate(questions)]
    exam = Exam.objects.create(title=title.strip(), minutes=minutes, pass_mark=pass_mark, max_attempts=max_attempts,
                               course_id=course_id)
    for q in cleaned:
        q.exam = exam
    Question.objects.bulk_create(cleaned)
    return exam


@transaction.atomic
def start_attempt(*, actor: User, exam_id: int, now: datetime | None = None) -> Attempt:
    """Start a sitting; the clock runs from now; retakes up to the exam's limit, one open sitting at a time."""
    exam = Exam.objects.filter(pk=exam_id, active=True).first()
    if exam is None:
        raise NotFound(_("No such exam."), field="exam_id")
    at = now or timezone.now()
    attempts = list(Attempt.objects.select_for_update().filter(exam=exam, agent=actor).order_by("number"))
    open_ = [a for a in attempts if a.finished_at is None and a.deadline + GRACE > at]
    if open_:
        return open_[0]
    if any(a.passed for a in attempts):
        raise Conflict(_("You have passed this exam already."), code="already_passed", field="exam_id")
    if len(attempts) >= exam.max_attempts:
        raise Conflict(_("No attempts left for this exam."), code="no_attempts_left", field="exam_id")
    try:
        with transaction.atomic():
            return Attempt.objects.create(exam=exam, agent=actor, number=len(attempts) + 1, started_at=at,
                                          deadline=at + timedelta(minutes=exam.minutes))
    except IntegrityError:  # two tabs starting at once
        raise Conflict(_("This attempt has already started."), code="duplicate", field="exam_id") from None


def _mark(question: Question, answer) -> int | None:
    """Points for an answer; None for a short answer without keywords (a trainer marks it)."""
    if question.kind == QuestionKind.SHORT:
        if not question.keywords:
            return None
        text = answer if isinstance(answer, str) else ""
        return question.points if all(k in text for k in question.keywords) else 0
    chosen = sorted({int(c) for c in (answer or []) if str(c).isdigit()}) if isinstance(answer, list) else []
    return question.points if chosen == question.correct else 0


def _finish(attempt: Attempt, questions: list[Question]) -> None:
    total = sum(q.points for q in questions)
    attempt.needs_marking = any(attempt.marks.get(str(q.pk)) is None for q in questions)
    if not attempt.needs_marking:
        attempt.score = round(sum(attempt.marks[str(q.pk)] for q in questions) * 100 / total) if total else 0
        attempt.passed = attempt.score >= attempt.exam.pass_mark


@transaction.atomic
def submit_attempt(*, actor: User, attempt_id: int, answers: dict, now: datetime | None = None) -> Attempt:
    """Hand in the answers; choices and keyword answers are marked at once. Late answers do not count."""
    attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id, agent=actor).first()
    if attempt is None:
        raise NotFound(_("No such attempt."), field="attempt_id")
    at = now or timezone.now()
    # Conditional: one hand-in per sitting.
    if not Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(finished_at=at):
        raise Conflict(_("This attempt has already been handed in."), code="already_finished", field="attempt_id")
    questions = list(attempt.exam.questions.all())
    late = at > attempt.deadline + GRACE
    attempt.answers = {} if late else {str(q.pk): answers.get(str(q.pk)) for q in questions}
    attempt.marks = {str(q.pk): (0 if late else _mark(q, attempt.answers[str(q.pk)])) for q in questions}
    attempt.finished_at = at
    _finish(attempt, questions)
    attempt.save(update_fields=["answers", "marks", "score", "passed", "needs_marking"])
    return attempt


@transaction.atomic
def mark_answer(*, actor, attempt_id: int, question_id: int, points: int) -> Attempt:
    """A trainer marks a short answer that has no keywords; the attempt is scored once all are marked."""
    require_trainer(actor)
    attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id, finished_at__isnull=False).first()
    if attempt is None:
        raise NotFound(_("No such attempt."), field="attempt_id")
    question = attempt.exam.questions.filter(pk=question_id).first()
    if question is None:
        raise ValidationFailed(_("Not a question of this exam."), code="invalid_choice", field="question_id")
    if not 0 <= points <= question.points:
        raise ValidationFailed(_("Between 0 and the question's points."), code="invalid", field="points")
    attempt.marks = {**attempt.marks, str(question.pk): points}
    _finish(attempt, list(attempt.exam.questions.all()))
    attempt.save(update_fields=["marks", "score", "passed", "needs_marking"])
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="training_attempt", target_id=attempt.pk,
           params={"op": "answer_marked", "question": question.pk, "points": points})
    return attempt
