"""Training endpoints: courses, assignments, exams, attempts and results."""

from datetime import datetime

from ninja import Router, Schema

from kefu.api.schemas import ERRORS
from kefu.training import selectors, services
from kefu.training.models import Attempt

router = Router(tags=["training"])


class CourseItemIn(Schema):
    kind: str
    article_id: int | None = None
    phrase_id: int | None = None
    ticket_id: int | None = None
    title: str = ""


class CourseIn(Schema):
    title: str
    description: str = ""
    items: list[CourseItemIn] = []


class CourseOut(Schema):
    id: int
    title: str
    items: list[dict]


class TrainingAssignIn(Schema):
    course_id: int
    agent_id: int
    days: int = 7


class AssignmentOut(Schema):
    id: int
    course_id: int
    agent_id: int
    reason: str
    due_at: datetime | None
    completed_at: datetime | None


class ExamQuestionIn(Schema):
    kind: str
    text: str
    choices: list[str] = []
    correct: list[int] = []
    keywords: list[str] = []
    points: int = 10


class ExamIn(Schema):
    title: str
    minutes: int = 30
    pass_mark: int = 60
    max_attempts: int = 3
    course_id: int | None = None
    questions: list[ExamQuestionIn]


class ExamOut(Schema):
    id: int
    title: str
    minutes: int
    pass_mark: int
    max_attempts: int
    questions: int


class AnswersIn(Schema):
    answers: dict[str, list[int] | str]


class AttemptOut(Schema):
    id: int
    exam_id: int
    agent_id: int
    number: int
    started_at: datetime
    deadline: datetime
    finished_at: datetime | None
    score: int | None
    passed: bool
    needs_marking: bool


def attempt_out(a: Attempt) -> dict:
    return {"id": a.pk, "exam_id": a.exam_id, "agent_id": a.agent_id, "number": a.number, "started_at": a.started_at,
            "deadline": a.deadline, "finished_at": a.finished_at, "score": a.score, "passed": a.passed,
            "needs_marking": a.needs_marking}


@router.post("/courses", response={200: CourseOut, **ERRORS})
def create_course(request, payload: CourseIn):
    """A course of knowledge articles, anonymised case studies (ticket ids) and scripts."""
    course = services.create_course(actor=request.auth, title=payload.title, description=payload.description,
                                    items=[services.ItemInput(**i.dict()) for i in payload.items])
    return {"id": course.pk, "title": course.title,
            "items": [{"kind": i.kind, "title": i.title} for i in course.items.all()]}


@router.post("/assignments", response={200: AssignmentOut, **ERRORS})
def assign(request, payload: TrainingAssignIn):
    """Give a course to an agent."""
    a = services.assign_course(actor=request.auth, course_id=payload.course_id, agent_id=payload.agent_id,
                               days=payload.days)
    return {"id": a.pk, "course_id": a.course_id, "agent_id": a.agent_id, "reason": a.reason, "due_at": a.due_at,
            "completed_at": a.completed_at}


@router.post("/exams", response={200: ExamOut, **ERRORS})
def create_exam(request, payload: ExamIn):
    """A timed exam with single/multiple-choice and short-answer questions."""
    exam = services.create_exam(actor=request.auth, title=payload.title, minutes=payload.minutes,
                                pass_mark=payload.pass_mark, max_attempts=payload.max_attempts,
                                course_id=payload.course_id,
                                questions=[services.QuestionInput(**q.dict()) for q in payload.questions])
    return {"id": exam.pk, "title": exam.title, "minutes": exam.minutes, "pass_mark": exam.pass_mark,
            "max_attempts": exam.max_attempts, "questions": exam.questions.count()}


@router.post("/exams/{exam_id}/attempts", response={200: AttemptOut, **ERRORS})
def start(request, exam_id: int):
    """Start (or continue) the caller's timed attempt."""
    return attempt_out(services.start_attempt(actor=request.auth, exam_id=exam_id))


@router.post("/attempts/{attempt_id}/answers", response={200: AttemptOut, **ERRORS})
def submit(request, attempt_id: int, payload: AnswersIn):
    """Hand in the answers: {question id: [choice indexes] or text}."""
    return attempt_out(services.submit_attempt(actor=request.auth, attempt_id=attempt_id, answers=payload.answers))


@router.get("/results", response={200: list[AttemptOut], **ERRORS})
def results(request):
    """Exam results the caller may see: their own, their team's (team leads), all (trainers)."""
    return [attempt_out(a) for a in selectors.results(request.auth)]


class OnboardingIn(Schema):
    plan_id: int
    agent_id: int


@router.post("/onboarding", response={200: list[AssignmentOut], **ERRORS})
def onboarding(request, payload: OnboardingIn):
    """Give a new agent every course of an onboarding plan."""
    made = services.start_onboarding(actor=request.auth, plan_id=payload.plan_id, agent_id=payload.agent_id)
    return [{"id": a.pk, "course_id": a.course_id, "agent_id": a.agent_id, "reason": a.reason, "due_at": a.due_at,
             "completed_at": a.completed_at} for a in made]
