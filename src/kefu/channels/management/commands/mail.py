"""kefu mail receive|poll: mail piped in by the MTA, or a poll of the IMAP mailboxes now.

    kefu mail receive --mailbox 客服邮箱 < message.eml   # e.g. from /etc/aliases: "|kefu mail receive ..."
    kefu mail poll [--mailbox NAME]
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from kefu.channels.email.imap import poll_mailbox
from kefu.channels.email.receive import receive_mail
from kefu.channels.models import Mailbox
from kefu.core.cli import dump, fail
from kefu.core.errors import ServiceError

MAX_PIPED = 64 * 1024 * 1024  # the largest message accepted on stdin


class Command(BaseCommand):
    help = "Receive a piped email, or poll IMAP mailboxes now."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["receive", "poll"])
        parser.add_argument("--mailbox", help="mailbox name (receive: whose settings apply; poll: only this one)")

    def handle(self, *args, action, mailbox=None, **options):
        box = None
        if mailbox:
            box = Mailbox.objects.filter(name=mailbox).first()
            if box is None:
                raise CommandError(f"--mailbox: no mailbox {mailbox!r}")
        try:
            if action == "receive":
                raw = sys.stdin.buffer.read(MAX_PIPED + 1)
                if len(raw) > MAX_PIPED:
                    raise CommandError("message_too_large: the message is larger than 64 MB")
                if not raw.strip():
                    raise CommandError("required: no message on standard input")
                received = receive_mail(raw=raw, mailbox=box)
                inbound = received.inbound
                self.stdout.write(dump({"inbound": inbound.pk, "created": received.created, "state": inbound.state,
                                        "ticket": inbound.ticket_id, "threaded_by": inbound.threaded_by}))
                return
            boxes = [box] if box else list(Mailbox.objects.filter(enabled=True).exclude(imap_host=""))
            results = []
            for one in boxes:
                self.stderr.write(f"polling {one.name} …")
                results.append(poll_mailbox(mailbox_id=one.pk))
            self.stdout.write(dump(results))
        except ServiceError as exc:
            raise fail(exc) from exc
