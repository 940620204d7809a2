"""SMS into a JSON-lines file, for development and tests: the outbox stands in for the vendor."""

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

from kefu.notify.backends.base import SmsBackend, TemporaryFailure


class FileSms(SmsBackend):
    """Appends one JSON object per message to `path` (created owner-only, as it holds full numbers)."""

    def __init__(self, *, path: str):
        self.path = Path(path)

    def send(self, phone: str, template_code: str, params: dict[str, str], text: str) -> str:
        message_id = uuid.uuid4().hex
        # Like Django's file email backend this is the delivered message, not a log line, so it keeps the
        # whole number: a developer must see where a message went.
        line = json.dumps({"id": message_id, "at": datetime.now(UTC).isoformat(), "phone": phone,
                           "template": template_code, "params": params, "text": text}, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One write of one line in append mode: concurrent workers never interleave their lines.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as out:
                out.write(line + "\n")
        except OSError as exc:
            raise TemporaryFailure(f"cannot write the SMS file ({type(exc).__name__})", code="file") from exc
        return message_id
