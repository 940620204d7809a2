"""Tencent Cloud SMS (腾讯云短信): the SendSms API, version 2021-01-11, signed with TC3-HMAC-SHA256."""

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from urllib.parse import urlparse

from kefu.notify.backends.base import PermanentFailure, SmsBackend, TemporaryFailure
from kefu.notify.backends.http import post

DEFAULT_ENDPOINT = "https://sms.tencentcloudapi.com/"
DEFAULT_REGION = "ap-guangzhou"
SERVICE = "sms"
VERSION = "2021-01-11"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host"

# "Not now" rather than "never": API rate limits, the vendor's internal errors and the short per-number
# limits. Every other code that is not "Ok" is permanent (bad number, unapproved signature or template,
# wrong app id or keys, daily limits, no balance).
TEMPORARY_PREFIXES = ("RequestLimitExceeded", "InternalError")
TEMPORARY_CODES = frozenset({"LimitExceeded.PhoneNumberThirtySecondLimit", "LimitExceeded.PhoneNumberOneHourLimit"})


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def authorization(*, secret_id: str, secret_key: str, host: str, path: str, payload: bytes,
                  timestamp: int) -> str:
    """The Authorization header of a POST with a JSON body, as the TC3-HMAC-SHA256 scheme defines it."""
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    # Method, path, empty query, the signed headers (names and values lower-case, each line ending in \n),
    # their names, and the body's hash.
    canonical_headers = f"content-type:{CONTENT_TYPE}\nhost:{host.lower()}\n"
    canonical_request = "\n".join(["POST", path, "", canonical_headers, SIGNED_HEADERS, _sha256_hex(payload)])
    scope = f"{date}/{SERVICE}/tc3_request"
    string_to_sign = "\n".join([ALGORITHM, str(timestamp), scope, _sha256_hex(canonical_request.encode())])
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), SERVICE), "tc3_request")
    sig = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={SIGNED_HEADERS}, Signature={sig}"


class TencentSms(SmsBackend):
    """Sends through sms.tencentcloudapi.com; template variables go in the template's order."""

    def __init__(self, *, key_id: str, key_secret: str, sign_name: str, app_id: str, region: str = "",
                 endpoint: str = "", timeout: float = 10):
        self.key_id = key_id
        self.key_secret = key_secret
        self.sign_name = sign_name
        self.app_id = app_id
        self.region = region or DEFAULT_REGION
        self.endpoint = endpoint or DEFAULT_ENDPOINT
        self.timeout = timeout

    def send(self, phone: str, template_code: str, params: dict[str, str], text: str) -> str:
        if not template_code:
            raise PermanentFailure("no SMS template is configured for this kind of message", code="no_template")
        payload = json.dumps({
            "PhoneNumberSet": [f"+86{phone}"],
            "SmsSdkAppId": self.app_id,
            "SignName": self.sign_name,
            "TemplateId": template_code,
            "TemplateParamSet": list(params.values()),
        }, ensure_ascii=False, separators=(",", ":")).encode()
        url = urlparse(self.endpoint)
        timestamp = int(time.time())
        headers = {
            "Authorization": authorization(secret_id=self.key_id, secret_key=self.key_secret, host=url.netloc,
                                           path=url.path or "/", payload=payload, timestamp=timestamp),
            "Content-Type": CONTENT_TYPE,
            "Host": url.netloc,
            "X-TC-Action": "SendSms",
            "X-TC-Version": VERSION,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": self.region,
        }
        status, raw = post(self.endpoint, payload, headers, timeout=self.timeout)
        return outcome(status, raw)


def _failure(code: str, message: str) -> Exception:
    temporary = code in TEMPORARY_CODES or code.startswith(TEMPORARY_PREFIXES)
    return (TemporaryFailure if temporary else PermanentFailure)(message[:200], code=code)


def outcome(status: int, raw: bytes) -> str:
    """The SerialNo of an accepted message, or the failure the answer describes."""
    if status >= 500 or status == 429:
        raise TemporaryFailure(f"HTTP {status} from the SMS gateway", code=f"http_{status}")
    try:
        response = json.loads(raw).get("Response") or {}
    except (ValueError, AttributeError):
        response = None
    if not isinstance(response, dict):
        if status == 200:
            raise TemporaryFailure("unreadable answer from the SMS gateway", code="bad_response")
        raise PermanentFailure(f"HTTP {status} from the SMS gateway", code=f"http_{status}")
    error = response.get("Error")
    if isinstance(error, dict):
        raise _failure(str(error.get("Code") or "Error"), str(error.get("Message") or ""))
    statuses = response.get("SendStatusSet") or [{}]
    first = statuses[0] if isinstance(statuses[0], dict) else {}
    code = str(first.get("Code") or "")
    if code == "Ok":
        return str(first.get("SerialNo") or "")
    if not code:
        raise TemporaryFailure("no send status in the answer of the SMS gateway", code="bad_response")
    raise _failure(code, str(first.get("Message") or ""))
