"""One HTTP request with a timeout (standard library), failures sorted by the channel contract."""

import http.client
import urllib.error
import urllib.request

from kefu.channels.base import PermanentFailure, TemporaryFailure

TIMEOUT = 10


def request(url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
            method: str = "POST") -> tuple[int, bytes]:
    """Send and return (status, body) for error statuses too; no answer at all is a temporary failure."""
    if not url.startswith(("https://", "http://")):
        raise PermanentFailure("the channel's URL must be http(s)", code="config")
    # The scheme is checked above, so urlopen cannot be talked into reading a local file.
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()
    except (OSError, http.client.HTTPException) as exc:
        raise TemporaryFailure(f"no answer ({type(exc).__name__})", code="network") from exc


def by_status(status: int, text: str) -> None:
    """Raise the failure an HTTP status means: 5xx, 408 and 429 may pass; other 4xx will not."""
    if 200 <= status < 300:
        return
    if status >= 500 or status in (408, 429):
        raise TemporaryFailure(text[:200], code=f"http_{status}")
    raise PermanentFailure(text[:200], code=f"http_{status}")
