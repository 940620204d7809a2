"""Read queries of training: an agent's courses and exams, the results a trainer or team lead may see."""

from django.db.models import Count, Q

from kefu.training.models import Assignment, Attempt, Course, Exam


def my_assignments(user) -> list[Assignment]:
    return list(Assignment.objects.filter(agent=user).select_related("course").order_by("completed_at", "due_at",
                                                                                      "id")[:100])


def open_exams(user) -> list[dict]:
    """Active exams with the user's attempts used, best score and whether passed."""
    exams = Exam.objects.filter(active=True).annotate(
        used=Count("attempts", filter=Q(attempts__agent=user)),
        passed=Count("attempts", filter=Q(attempts__agent=user, attempts__passed=True))).order_by("title")
    return list(exams)


def results(user, *, limit: int = 200) -> list[Attempt]:
    return list(Attempt.objects.visible_to(user).filter(finished_at__isnull=False)
                .select_related("exam", "agent").order_by("-finished_at", "-id")[:limit])


def courses(limit: int = 200) -> list[Course]:
    return list(Course.objects.filter(active=True).annotate(n=Count("items")).order_by("title")[:limit])
