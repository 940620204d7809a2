"""Polling a mailbox over IMAP with TLS: fetch the messages after the last one seen, hand each to the receive
service, then move the mark. A worker that dies mid-message leaves the mark before it, so the message is
fetched again and the receive service, finding its Message-ID, stores it once."""

import contextlib
import imaplib
import logging
import ssl
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from kefu.channels.email.receive import receive_mail
from kefu.channels.models import Mailbox

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)
BATCH = 200  # messages per poll: a backlog is worked off over several polls, each one short


def _connect(mailbox: Mailbox) -> imaplib.IMAP4_SSL:
    context = ssl.create_default_context(cafile=mailbox.tls_ca_file or None)
    conn = imaplib.IMAP4_SSL(mailbox.imap_host, mailbox.imap_port, ssl_context=context, timeout=60)
    conn.login(mailbox.imap_user, mailbox.imap_password)
    return conn


def claim(mailbox_id: int, now: datetime) -> bool:
    """Take the mailbox for one poll (a lease, so a crashed poller frees it after LEASE)."""
    return bool(Mailbox.objects.filter(Q(poll_lease_until__isnull=True) | Q(poll_lease_until__lt=now),
                                       pk=mailbox_id, enabled=True).update(poll_lease_until=now + LEASE))


def poll_mailbox(*, mailbox_id: int, now: datetime | None = None) -> dict:
    """Fetch and store the new messages of one mailbox; returns counts for the log and the CLI."""
    at = now or timezone.now()
    if not claim(mailbox_id, at):
        return {"mailbox": mailbox_id, "skipped": "busy"}
    mailbox = Mailbox.objects.get(pk=mailbox_id)
    counts = {"mailbox": mailbox_id, "fetched": 0, "new": 0, "duplicate": 0}
    error = ""
    try:
        conn = _connect(mailbox)
        try:
            _fetch_new(conn, mailbox, counts)
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                conn.logout()
    except (imaplib.IMAP4.error, OSError, ssl.SSLError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
        log.warning("mailbox %s: %s", mailbox_id, type(exc).__name__)
        counts["error"] = error
    Mailbox.objects.filter(pk=mailbox_id).update(poll_lease_until=None, last_polled_at=timezone.now(),
                                                 last_error=error)
    return counts


def _fetch_new(conn: imaplib.IMAP4_SSL, mailbox: Mailbox, counts: dict) -> None:
    status, data = conn.select(mailbox.imap_folder)
    if status != "OK":
        raise imaplib.IMAP4.error(f"cannot select {mailbox.imap_folder}")
    validity = int(conn.response("UIDVALIDITY")[1][0] or 0)
    last = mailbox.last_uid if validity == mailbox.uid_validity else 0
    if validity != mailbox.uid_validity:
        # A rebuilt folder numbers its messages afresh; everything is read again and the Message-IDs
        # stop any of it being stored twice.
        Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=validity, last_uid=0)
    status, data = conn.uid("SEARCH", None, f"UID {last + 1}:*")
    uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > last)[:BATCH]
    for uid in uids:
        status, parts = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
        raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
        if status == "OK" and raw is not None:
            received = receive_mail(raw=raw, mailbox=mailbox)
            counts["fetched"] += 1
            counts["new" if received.created else "duplicate"] += 1
            conn.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
        # Only after the message is committed does the mark move past it.
        Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=uid).update(last_uid=uid)
