"""Changing what search knows: the vocabulary (thesaurus, domain dictionaries) and rebuilding the index.

A vocabulary change is saved, then a rebuild of the index is queued for the worker (the dictionary decides how
documents are cut into words); search keeps answering from the index as it is while the rebuild runs batch by batch,
and the job's progress is shown on the vocabulary page.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import CAN_MANAGE_KNOWLEDGE
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.search import defaults, vocabulary
from kefu.search.models import ReindexJob, Vocabulary, VocabularyList

MAX_LINES = 3000
MAX_LINE = 200
MAX_WORD = 20


def can_edit_vocabulary(user) -> bool:
    """The information desk, team leads, management and administrators (who keep the knowledge base)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.role in CAN_MANAGE_KNOWLEDGE


def _require_editor(actor) -> None:
    # actor=None is the operator at the command line.
    if actor is not None and not can_edit_vocabulary(actor):
        raise Forbidden(_("Only the information desk, team leads and supervisors can change the search vocabulary."),
                        code="cannot_edit_vocabulary")


def _check(list_: str, industry: str, text: str) -> list[str]:
    """Every problem of the submitted list at once (line numbers from 1)."""
    errors = []
    if list_ not in VocabularyList.values:
        return [str(_("Unknown word list."))]
    if list_ == VocabularyList.DOMAIN and industry not in defaults.INDUSTRIES:
        return [str(_("Unknown industry."))]
    entries = (text or "").splitlines()
    if len(entries) > MAX_LINES:
        errors.append(str(_("At most %(n)s lines.") % {"n": MAX_LINES}))
    for number, line in enumerate(entries, 1):
        words = line.split()
        if not words or line.strip().startswith("#"):
            continue
        if len(line) > MAX_LINE or any(len(w) > MAX_WORD for w in words):
            errors.append(str(_("Line %(n)s is too long.") % {"n": number}))
        elif list_ == VocabularyList.THESAURUS and len(words) < 2:
            errors.append(str(_("Line %(n)s: a line of the thesaurus lists at least two words.") % {"n": number}))
    return errors


def lists() -> list[tuple[str, str]]:
    """(list, industry) of every word list: the thesaurus, then each industry's domain dictionary."""
    return [(VocabularyList.THESAURUS, ""), *((VocabularyList.DOMAIN, i) for i in defaults.INDUSTRIES)]


def reindex_job(job_id: int) -> ReindexJob:
    """A rebuild job, or 404."""
    job = ReindexJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("No such rebuild."), field="job_id")
    return job


def latest_job() -> ReindexJob | None:
    return ReindexJob.objects.order_by("-id").first()


def list_text(list_: str, industry: str = "") -> tuple[str, int]:
    """(text, version) of a list as in force: as edited, or as shipped (version 0)."""
    row = Vocabulary.objects.filter(list=list_, industry=industry).first()
    if row is None:
        return defaults.default_text(list_, industry), 0
    return row.text, row.version


@transaction.atomic
def save_vocabulary(*, actor, list: str, industry: str = "", text: str, version: int,  # noqa: A002
                    now: datetime | None = None) -> tuple[Vocabulary, ReindexJob]:
    """Replace a word list (one entry per line) and queue the rebuild of the index that it needs.

    `version` is the one the editor read (0 for the shipped list): a list changed meanwhile is refused (409)."""
    _require_editor(actor)
    industry = industry if list == VocabularyList.DOMAIN else ""
    errors = _check(list, industry, text)
    if errors:
        raise ValidationFailed(errors[0], code="invalid", field="text", params={"errors": errors})
    at = now or timezone.now()
    text = "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
    editor = actor if getattr(actor, "pk", None) else None
    row = Vocabulary.objects.filter(list=list, industry=industry).first()
    current = row.version if row else 0
    updated = 0
    if row and version == current:
        updated = Vocabulary.objects.filter(pk=row.pk, version=version).update(
            text=text, version=F("version") + 1, updated_at=at, updated_by=editor)
    elif row is None and version == 0:
        row = Vocabulary.objects.create(list=list, industry=industry, text=text, updated_at=at, updated_by=editor)
        updated = 1
    if not updated:
        raise Conflict(_("Someone else changed this list since you opened it. Reload and try again."),
                       field="version", params={"current_version": current, "your_version": version})
    row.refresh_from_db()
    transaction.on_commit(vocabulary.invalidate)
    return row, request_reindex(actor=actor, reason=list, now=at)


def request_reindex(*, actor, reason: str = "manual", now: datetime | None = None) -> ReindexJob:
    """Queue a rebuild of the whole index; a rebuild already waiting to start is reused (it will read the newest
    vocabulary when it starts)."""
    _require_editor(actor)
    waiting = ReindexJob.objects.filter(status=ReindexJob.Status.QUEUED).order_by("id").first()
    if waiting is not None:
        return waiting
    job = ReindexJob.objects.create(reason=reason, created_at=now or timezone.now(),
                                    requested_by=actor if getattr(actor, "pk", None) else None)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from kefu.search.tasks import reindex_job  # the task module imports this one

    reindex_job(job_id)


def run_reindex(job_id: int, *, batch: int = 500) -> ReindexJob | None:
    """Run a queued rebuild (the worker's task): claimed with a conditional UPDATE, so two workers never run the
    same job; progress written after every batch, in its own small transaction, while search keeps answering."""
    from kefu.search.indexing import reindex, source_total

    claimed = ReindexJob.objects.filter(pk=job_id, status=ReindexJob.Status.QUEUED).update(
        status=ReindexJob.Status.RUNNING, started_at=timezone.now(), total=source_total())
    if not claimed:
        return None
    vocabulary.invalidate()
    done_before: dict[str, int] = {}

    def progress(kind: str, done: int) -> None:
        done_before[kind] = done
        ReindexJob.objects.filter(pk=job_id).update(done=sum(done_before.values()))

    try:
        reindex(batch=batch, progress=progress)
    except Exception:
        ReindexJob.objects.filter(pk=job_id).update(status=ReindexJob.Status.FAILED, finished_at=timezone.now())
        raise
    ReindexJob.objects.filter(pk=job_id).update(status=ReindexJob.Status.DONE, finished_at=timezone.now(),
                                                done=F("total"))
    return ReindexJob.objects.get(pk=job_id)
