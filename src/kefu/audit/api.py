"""Audit log endpoints for the auditor: search the entries and check the hash chain."""

from datetime import datetime

from ninja import Query, Router, Schema

from kefu.api.schemas import ERRORS
from kefu.audit import selectors, services
from kefu.audit.models import AuditAction

router = Router(tags=["audit"])


class EntryQuery(Schema):
    start: str = ""
    end: str = ""
    action: AuditAction | None = None
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    page: int = 1


class EntryOut(Schema):
    seq: int | None
    at: datetime
    actor_id: int | None
    actor: str
    action: AuditAction
    target_type: str
    target_id: str
    params: dict
    hash: str


class EntryListOut(Schema):
    count: int
    page: int
    items: list[EntryOut]


class AuditProblemOut(Schema):
    seq: int | None
    problem: str
    next_present: int | None = None


class VerdictOut(Schema):
    ok: bool
    entries: int
    problems: list[AuditProblemOut]


@router.get("/entries", response={200: EntryListOut, **ERRORS})
def list_entries(request, q: Query[EntryQuery]):
    """Entries newest first, 50 a page (auditor only)."""
    selectors.require_auditor(request.auth)
    raw = q.dict(exclude={"page"})
    raw["action"] = raw["action"] or ""
    filters = selectors.clean_filters(**raw)
    qs = selectors.entries(filters=filters)
    page = max(q.page, 1)
    start = (page - 1) * selectors.PAGE_SIZE
    items = [selectors.entry_out(e) for e in qs[start:start + selectors.PAGE_SIZE]]
    return {"count": qs.count(), "page": page, "items": items}


@router.get("/verify", response={200: VerdictOut, **ERRORS})
def verify_chain(request):
    """Recompute the hash chain: ok, or the entries altered or missing (auditor only)."""
    selectors.require_auditor(request.auth)
    verdict = services.verify()
    return {"ok": verdict.ok, "entries": verdict.entries, "problems": verdict.problems}
