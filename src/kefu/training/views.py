"""Training pages: my courses and exams, a course to read, an exam to sit, results and marking, new courses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import ServiceError
from kefu.training import selectors, services
from kefu.training.access import can_train
from kefu.training.models import Assignment, Attempt, Course, QuestionKind
from kefu.web.htmx import error_context, form_int, page, render


def _ids(text: str, field: str) -> list[int]:
    return [form_int(v, field) for v in (text or "").replace("，", ",").split(",") if v.strip()]


@login_required
@page
def mine(request):
    """My courses to do, the exams I can sit and my results; trainers also start new courses here."""
    user, ctx = request.user, {}
    if request.method == "POST":
        try:
            items = [services.ItemInput(kind="article", article_id=i) for i in _ids(request.POST.get("articles"),
                                                                                   "articles")]
            items += [services.ItemInput(kind="case", ticket_id=i) for i in _ids(request.POST.get("cases"), "cases")]
            items += [services.ItemInput(kind="script", phrase_id=i) for i in _ids(request.POST.get("scripts"),
                                                                                  "scripts")]
            course = services.create_course(actor=user, title=request.POST.get("title", ""),
                                            description=request.POST.get("description", ""), items=items)
            return redirect("training:course", course.pk)
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise PermissionDenied(str(exc.message)) from None
            ctx = error_context(exc)
    return render(request, "training/mine.html", {
        "assignments": selectors.my_assignments(user), "exams": selectors.open_exams(user),
        "attempts": [a for a in selectors.results(user) if a.agent_id == user.pk][:20],
        "can_train": can_train(user), "courses": selectors.courses() if can_train(user) else [], **ctx},
        status=422 if ctx else 200)


@login_required
@page
def course(request, course_id: int):
    """A course to read: articles (linked), anonymised cases and scripts."""
    item = Course.objects.filter(pk=course_id).prefetch_related("items__article", "items__phrase").first()
    if item is None:
        raise Http404
    assignment = Assignment.objects.filter(course=item, agent=request.user, completed_at__isnull=True).first()
    return render(request, "training/course.html", {"course": item, "assignment": assignment})


@login_required
@require_POST
@page
def complete(request, assignment_id: int):
    services.complete_assignment(actor=request.user, assignment_id=assignment_id)
    messages.success(request, _("Marked as done."))
    return redirect("training:mine")


@login_required
@page
def take(request, exam_id: int):
    """Sit an exam: starting (or continuing) the timed attempt, then handing in the answers."""
    try:
        attempt = services.start_attempt(actor=request.user, exam_id=exam_id)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, str(exc.message))
        return redirect("training:mine")
    questions = list(attempt.exam.questions.all())
    if request.method == "POST":
        answers = {}
        for q in questions:
            key = f"q_{q.pk}"
            answers[str(q.pk)] = request.POST.get(key, "") if q.kind == QuestionKind.SHORT else \
                [int(v) for v in request.POST.getlist(key) if v.isdigit()]
        try:
            attempt = services.submit_attempt(actor=request.user, attempt_id=attempt.pk, answers=answers)
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        return redirect("training:attempt", attempt.pk)
    left = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    return render(request, "training/take.html", {"attempt": attempt, "questions": questions, "left": left})


@login_required
@page
def attempt_page(request, attempt_id: int):
    """A finished attempt's result; trainers mark the short answers here."""
    attempt = Attempt.objects.visible_to(request.user).select_related("exam", "agent").filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404
    error = {}
    if request.method == "POST":
        try:
            services.mark_answer(actor=request.user, attempt_id=attempt.pk,
                                 question_id=form_int(request.POST.get("question_id"), "question_id") or 0,
                                 points=form_int(request.POST.get("points"), "points") or 0)
            return redirect("training:attempt", attempt.pk)
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise PermissionDenied(str(exc.message)) from None
            error = error_context(exc)
    rows = [{"q": q, "answer": _answer_text(q, attempt.answers.get(str(q.pk))), "mark": attempt.marks.get(str(q.pk))}
            for q in attempt.exam.questions.all()]
    return render(request, "training/attempt.html", {"attempt": attempt, "rows": rows,
                                                     "can_mark": can_train(request.user), **error})


def _answer_text(question, answer) -> str:
    if question.kind == QuestionKind.SHORT:
        return answer or ""
    chosen = answer if isinstance(answer, list) else []
    return "、".join(question.choices[i] for i in chosen if isinstance(i, int) and 0 <= i < len(question.choices))


@login_required
@page
def results(request):
    """Exam results: trainers all, team leads their team, agents their own."""
    return render(request, "training/results.html", {"attempts": selectors.results(request.user)})
