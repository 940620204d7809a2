"""Writing the audit log. Called inside the caller's transaction so an entry exists iff the act happened."""

from kefu.audit.models import AuditAction, AuditEntry


def record(*, actor, action: AuditAction, target_type: str, target_id, params: dict | None = None) -> AuditEntry:
    """Append one audit entry. `params` must hold codes and ids, not personal data or translated labels."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        params=params or {},
    )
