"""Real servers on loopback for the channel tests: Dovecot (IMAP over TLS, scripts/imap.sh) and aiosmtpd."""

import imaplib
import os
import ssl
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
IMAP_PASSWORD = "kefu-imap-test"


@pytest.fixture(autouse=True)
def _attachments_in_tmp(settings, tmp_path):
    settings.CHANNELS_FILES_DIR = str(tmp_path / "attachments")
    settings.DEFAULT_FROM_EMAIL = "kefu@gas.example.com"


# The SMTP server on loopback (a MailSink that refuses nobody@ with 550 and busy@ with 451) is the notify
# tests' own fixture, shared rather than copied.
from kefu.notify.tests.conftest import free_port as _free_port  # noqa: E402, F401
from kefu.notify.tests.conftest import smtp  # noqa: E402, F401


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
