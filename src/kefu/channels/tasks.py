"""Background work for the channels (huey): thin wrappers around the services, retries explicit."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kefu.channels import outbound
from kefu.channels.email.imap import poll_mailbox
from kefu.channels.models import Mailbox

RETRIES = 5
RETRY_DELAY = 60  # seconds: a mail server that said "try again later" means minutes, not seconds


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY, context=True)
def deliver_outbound(outbound_id: int, task=None) -> None:
    """Deliver one reply; a TemporaryFailure propagates so that huey tries again later."""
    outbound.deliver(outbound_id=outbound_id, final=task is None or not task.retries)


@db_task()
def poll_one_mailbox(mailbox_id: int) -> dict:
    """Poll one mailbox; several run side by side, one per worker thread."""
    return poll_mailbox(mailbox_id=mailbox_id)


@db_periodic_task(crontab(minute="*"))
def poll_mailboxes() -> None:
    """Every minute: one poll task per enabled IMAP mailbox."""
    for mailbox_id in Mailbox.objects.filter(enabled=True).exclude(imap_host="").values_list("pk", flat=True):
        poll_one_mailbox(mailbox_id)


@db_periodic_task(crontab(minute="*/5"))
def sweep_outbound() -> None:
    """Every five minutes: replies a dead worker left half-sent are queued again."""
    for outbound_id in outbound.requeue_stalled():
        deliver_outbound(outbound_id)


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def mail_partner_results(batch_id: int) -> None:
    """Mail a partner's result workbook; an SMTP failure is retried by huey."""
    from kefu.channels.partners.services import send_batch_mail

    send_batch_mail(batch_id=batch_id)
