"""Real servers on loopback for the channel tests: Dovecot (IMAP over TLS, scripts/imap.sh) and aiosmtpd."""

import imaplib
import logging
import os
import socket
import ssl
import subprocess
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parents[4]
IMAP_PASSWORD = "kefu-imap-test"


@pytest.fixture(autouse=True)
def _attachments_in_tmp(settings, tmp_path):
    settings.CHANNELS_FILES_DIR = str(tmp_path / "attachments")
    settings.DEFAULT_FROM_EMAIL = "kefu@gas.example.com"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailSink:
    """Keeps every message; refuses recipients whose local part says so (nobody@: 550, busy@: 451)."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address.startswith("busy@"):
            return f"451 4.3.0 <{address}>: Temporary lookup failure"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 with Django's SMTP backend pointed at it."""
    sink = MailSink()
    mail_log = logging.getLogger("mail.log")
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    yield sink
    controller.stop()
    mail_log.setLevel(level)


def _imap_env() -> dict:
    if os.environ.get("KEFU_TEST_IMAP_PORT"):
        return {k: os.environ[k] for k in ("KEFU_TEST_IMAP_HOST", "KEFU_TEST_IMAP_PORT", "KEFU_TEST_IMAP_CA")}
    try:
        # scripts/imap.sh is this repository's own script; bash is found on PATH like in .ci/run.
        out = subprocess.run(["bash", str(REPO / "scripts" / "imap.sh"), "start"],  # noqa: S603, S607
                             capture_output=True, text=True, timeout=300, check=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError, subprocess.TimeoutExpired) as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no IMAP server: {exc}")
    env = {}
    for line in out.splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            env[key] = value
    return env


@pytest.fixture(scope="session")
def imap_server():
    """Dovecot on loopback (started by scripts/imap.sh unless KEFU_TEST_IMAP_* name a running one)."""
    return _imap_env()


class ImapAccount:
    """One test mailbox: append raw messages to it the way a mail server delivers them."""

    def __init__(self, env: dict, user: str):
        self.host, self.port = env["KEFU_TEST_IMAP_HOST"], int(env["KEFU_TEST_IMAP_PORT"])
        self.ca = env["KEFU_TEST_IMAP_CA"]
        self.user = user

    def connect(self) -> imaplib.IMAP4_SSL:
        conn = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=ssl.create_default_context(cafile=self.ca))
        conn.login(self.user, IMAP_PASSWORD)
        return conn

    def empty(self) -> None:
        conn = self.connect()
        conn.select("INBOX")
        if conn.search(None, "ALL")[1][0]:
            conn.store("1:*", "+FLAGS", "(\\Deleted)")
            conn.expunge()
        conn.logout()

    def deliver(self, *raws: bytes) -> None:
        conn = self.connect()
        for raw in raws:
            conn.append("INBOX", None, None, raw)
        conn.logout()


@pytest.fixture
def imap(imap_server):
    account = ImapAccount(imap_server, "kefu1")
    account.empty()
    return account
