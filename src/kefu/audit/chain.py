"""The audit log's hash chain (SE2, MLPS level 3 tamper evidence).

hash(n) = sha256(hash(n-1) | seq | time | actor | action | target | params as canonical JSON). Appending
locks the single AuditChainHead row (SELECT … FOR UPDATE; SQLite's write lock does the same), so two
transactions never link to the same predecessor. `verify` recomputes every link.
"""

import hashlib
import json
from dataclasses import dataclass, field

GENESIS = "0" * 64


def digest(*, prev_hash: str, seq: int, at, actor_id, action: str, target_type: str, target_id: str,
           params: dict) -> str:
    """The hash of one entry linked to its predecessor's hash."""
    payload = json.dumps([prev_hash, seq, at.isoformat(), actor_id, action, target_type, target_id, params],
                         ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_digest(entry, prev_hash: str) -> str:
    """The hash an entry should carry after `prev_hash`."""
    return digest(prev_hash=prev_hash, seq=entry.seq, at=entry.at, actor_id=entry.actor_id, action=entry.action,
                  target_type=entry.target_type, target_id=entry.target_id, params=entry.params)


def link(entry_model, head_model, entry) -> None:
    """Give an unsaved entry its place in the chain and save it; the caller is inside a transaction."""
    head, _created = head_model.objects.select_for_update().get_or_create(pk=1)
    entry.seq = head.seq + 1
    entry.prev_hash = head.hash or GENESIS
    entry.hash = entry_digest(entry, entry.prev_hash)
    entry.save()
    head_model.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)


@dataclass
class Verdict:
    """The result of walking the chain."""

    ok: bool = True
    entries: int = 0
    problems: list[dict] = field(default_factory=list)


def verify(entry_model, head_model, *, limit_problems: int = 20) -> Verdict:
    """Recompute every link: edited entries, missing ones (gaps in seq) and a stale head are reported."""
    head = head_model.objects.filter(pk=1).first()
    verdict = Verdict()
    expected_seq = (head.purged_seq if head else 0) + 1
    prev = (head.purged_hash if head and head.purged_hash else GENESIS)
    rows = entry_model.objects.filter(seq__isnull=False).order_by("seq")
    for entry in rows.iterator(chunk_size=2000):
        verdict.entries += 1
        if entry.seq != expected_seq:
            verdict.problems.append({"seq": expected_seq, "problem": "missing", "next_present": entry.seq})
        elif entry.prev_hash != prev or entry.hash != entry_digest(entry, entry.prev_hash):
            verdict.problems.append({"seq": entry.seq, "problem": "altered"})
        prev, expected_seq = entry.hash, entry.seq + 1
        if len(verdict.problems) >= limit_problems:
            break
    if head is not None and head.seq >= expected_seq and len(verdict.problems) < limit_problems:
        verdict.problems.append({"seq": expected_seq, "problem": "missing", "next_present": None})
    if entry_model.objects.filter(seq__isnull=True).exists():
        verdict.problems.append({"seq": None, "problem": "unchained"})
    verdict.ok = not verdict.problems
    return verdict


def chain_existing(entry_model, head_model) -> int:
    """Link entries written before the chain existed, oldest first (used by the migration that adds it)."""
    count = 0
    for entry in entry_model.objects.filter(seq__isnull=True).order_by("at", "id").iterator(chunk_size=2000):
        link(entry_model, head_model, entry)
        count += 1
    return count
