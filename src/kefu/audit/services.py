"""Writing the audit log. Called inside the caller's transaction so an entry exists iff the act happened."""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kefu.audit import chain
from kefu.audit.models import AuditAction, AuditChainHead, AuditEntry


def record(*, actor, action: AuditAction, target_type: str, target_id, params: dict | None = None,
           now=None) -> AuditEntry:
    """Append one audit entry. `params` must hold codes and ids, not personal data or translated labels."""
    entry = AuditEntry(
        at=now or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        params=params or {},
    )
    with transaction.atomic():
        chain.link(AuditEntry, AuditChainHead, entry)
    return entry


def audits_refused_reveals(target_type: str, target: str):
    """Decorate a reveal service (above its @transaction.atomic): a refused reveal is audited too (CU6).

    The refusal rolls the service's transaction back, so the entry is written after it, outside; `target` names
    the keyword argument holding the object or its id.
    """

    def decorate(service):
        @wraps(service)
        def wrapper(*args, **kwargs):
            from kefu.core.errors import Forbidden

            try:
                return service(*args, **kwargs)
            except Forbidden as exc:
                obj = kwargs.get(target)
                record(actor=kwargs.get("actor"), action=AuditAction.PII_REVEAL_REFUSED, target_type=target_type,
                       target_id=getattr(obj, "pk", obj), params={"code": exc.code,
                                                                  "reason": (kwargs.get("reason") or "")[:200]})
                raise

        return wrapper

    return decorate


def entries(*, start=None, end=None):
    """Entries of a period for the command line export (the operator at the machine)."""
    from kefu.audit.selectors import entries as select

    return select(start=start, end=end)


def record_export(*, actor, filters: dict) -> AuditEntry:
    """Audit an export of the audit log (by the auditor) with the filters it used."""
    return record(actor=actor, action=AuditAction.AUDIT_EXPORTED, target_type="audit", target_id="*",
                  params={"filters": {k: str(v) for k, v in filters.items() if v not in (None, "")}})


def verify() -> chain.Verdict:
    """Walk the whole chain (kefu audit verify)."""
    return chain.verify(AuditEntry, AuditChainHead)


def retention_cutoff(now=None):
    """Entries older than this may be removed: KEFU_AUDIT_RETENTION_DAYS, never under 180 (MLPS: 6 months)."""
    return (now or timezone.now()) - timedelta(days=settings.KEFU_AUDIT_RETENTION_DAYS)


@transaction.atomic
def purge_expired(*, actor=None, now=None) -> int:
    """Remove entries past retention from the start of the chain, remembering the last removed link."""
    cutoff = retention_cutoff(now)
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    # Only a prefix of the chain is removed (entries before the first one still within retention), so that
    # verification can start from the remembered link.
    first_kept = AuditEntry.objects.filter(at__gte=cutoff, seq__isnull=False).order_by("seq").first()
    prefix = AuditEntry.objects.filter(seq__isnull=False)
    if first_kept is not None:
        prefix = prefix.filter(seq__lt=first_kept.seq)
    expired = prefix.order_by("-seq").first()
    if expired is None:
        return 0
    removed, _by_model = AuditEntry.objects.filter(seq__lte=expired.seq).delete()
    AuditChainHead.objects.filter(pk=1).update(purged_seq=expired.seq, purged_hash=expired.hash)
    record(actor=actor, action=AuditAction.AUDIT_PURGED, target_type="audit", target_id=expired.seq,
           params={"removed": removed, "up_to_seq": expired.seq, "retention_days": settings.KEFU_AUDIT_RETENTION_DAYS})
    return removed
