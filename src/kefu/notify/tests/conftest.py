"""Real services on loopback for the notification tests: huey storage, an SMTP server, fake SMS vendors."""

import datetime
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from kefu.notify.tests import vendors

KEY_ID = "LTAI-test-key"
KEY_SECRET = "kQ2x9-test-secret"
SIGN_NAME = "燃气客服"


class Worker:
    """Does what the huey consumer does, one step at a time: take queued tasks and due retries, run them."""

    def __init__(self, huey):
        self.huey = huey
        self.clock = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)  # huey keeps naive UTC

    def run_queued(self) -> int:
        ran = 0
        while self.huey.pending_count():
            task = self.huey.dequeue()
            if task is not None:
                self.huey.execute(task, timestamp=self.clock)
                ran += 1
        return ran

    def run_due(self, *, after_seconds: float) -> int:
        """Move the clock on and run the scheduled retries that are due by then."""
        self.clock += datetime.timedelta(seconds=after_seconds)
        ran = 0
        for task in self.huey.read_schedule(self.clock):
            self.huey.execute(task, timestamp=self.clock)
            ran += 1
        return ran + self.run_queued()


@pytest.fixture
def queue(tmp_path):
    """The project's huey instance with its SQLite storage in tmp_path instead of $KEFU_DATA_DIR."""
    saved, immediate = HUEY.storage, HUEY.immediate
    HUEY.immediate = False
    HUEY.storage = SqliteStorage(HUEY.name, filename=str(tmp_path / "huey.sqlite3"))
    yield HUEY
    HUEY.storage = saved
    HUEY.immediate = immediate


@pytest.fixture
def worker(queue):
    return Worker(queue)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailSink:
    """An aiosmtpd handler that keeps every message, and refuses recipients whose local part says so."""

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
    """A real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it."""
    sink = MailSink()
    # aiosmtpd logs every envelope address at INFO; the test log stays free of them like ours.
    mail_log = logging.getLogger("mail.log")
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "kefu@gas.example.com"
    yield sink
    controller.stop()
    mail_log.setLevel(level)


class FakeVendor:
    """An SMS vendor on loopback that checks each request like the real one and answers as told."""

    def __init__(self, name: str):
        self.name = name
        self.verify, self.answer = vendors.VERIFY[name], vendors.ANSWER[name]
        self.mode = "ok"
        self.delay = 0.0
        self.requests: list[dict] = []
        self.problems: list[str] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        vendor = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                problems, request = vendor.verify(self.command, self.path, dict(self.headers.items()), body,
                                                  key_id=KEY_ID, secret=KEY_SECRET)
                with vendor.lock:
                    vendor.requests.append(request)
                    vendor.problems.extend(problems)
                if vendor.delay:
                    threading.Event().wait(vendor.delay)
                status, answer = vendor.answer("bad_signature" if problems else vendor.mode)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass  # the request line would print a test phone number to the test log

        return Handler


@pytest.fixture(params=["aliyun", "tencent"])
def vendor(request, settings):
    """Each SMS vendor in turn, faked on loopback, with kefu's settings pointing at it."""
    fake = FakeVendor(request.param)
    fake.thread.start()
    settings.SMS_BACKEND = request.param
    settings.SMS_ENDPOINT = fake.url
    settings.SMS_KEY_ID = KEY_ID
    settings.SMS_KEY_SECRET = KEY_SECRET
    settings.SMS_SIGN_NAME = SIGN_NAME
    settings.SMS_APP_ID = "1400000001"
    settings.SMS_REGION = ""
    settings.SMS_TIMEOUT = 5
    template = "SMS_900001" if request.param == "aliyun" else "1234567"
    settings.SMS_TEMPLATES = [f"sla_breach={template}:ticket:minutes", f"emergency_created={template}:text"]
    settings.SMS_DEFAULT_TEMPLATE = ""
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
