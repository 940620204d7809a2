"""One HTTP POST with a timeout, standard library only, failures sorted by the backends' contract."""

import http.client
import urllib.error
import urllib.request

from kefu.notify.backends.base import PermanentFailure, TemporaryFailure


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> tuple[int, bytes]:
    """POST and return (status, body), for error statuses too: the vendor's answer says what went wrong.

    Getting no answer at all (refused, reset, DNS, timeout, garbled response) is temporary.
    """
    if not url.startswith(("https://", "http://")):
        raise PermanentFailure("the SMS endpoint must be an http(s) URL", code="config")
    # The scheme is checked above, so urlopen cannot be talked into reading a local file.
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()
    except (OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise TemporaryFailure(f"no answer from the SMS gateway ({type(reason).__name__})",
                               code="network") from exc
