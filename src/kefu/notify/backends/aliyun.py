"""Alibaba Cloud SMS (阿里云短信): the SendSms RPC API, version 2017-05-25, signed with HMAC-SHA1."""

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from kefu.notify.backends.base import PermanentFailure, SmsBackend, TemporaryFailure
from kefu.notify.backends.http import post

DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
DEFAULT_REGION = "cn-hangzhou"

# Answers that mean "not now" rather than "never": the per-number rate limit (one a minute, five an hour),
# API throttling and the vendor's own trouble. Every other code that is not "OK" is permanent: a bad
# number, an unapproved signature or template, wrong parameters, wrong keys, an empty account.
TEMPORARY_CODES = frozenset({
    "isv.BUSINESS_LIMIT_CONTROL", "Throttling", "Throttling.User", "Throttling.Api", "Throttling.System",
    "isp.SYSTEM_ERROR", "isp.GATEWAY_ERROR", "ServiceUnavailable", "InternalError", "SignatureNonceUsed",
})


def percent_encode(value: str) -> str:
    """RFC 3986 as the API wants it: only A-Z a-z 0-9 - _ . ~ are kept; UTF-8, space %20, * %2A."""
    return quote(value, safe="")


def canonicalize(params: dict[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def signature(params: dict[str, str], secret: str, method: str) -> str:
    """base64(HMAC-SHA1(secret + "&", METHOD + "&%2F&" + encode(sorted, encoded parameters)))."""
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonicalize(params))}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms(SmsBackend):
    """Sends through dysmsapi.aliyuncs.com with a signed POST (the number stays out of URLs and access logs)."""

    def __init__(self, *, key_id: str, key_secret: str, sign_name: str, region: str = "", endpoint: str = "",
                 timeout: float = 10):
        self.key_id = key_id
        self.key_secret = key_secret
        self.sign_name = sign_name
        self.region = region or DEFAULT_REGION
        self.endpoint = endpoint or DEFAULT_ENDPOINT
        self.timeout = timeout

    def send(self, phone: str, template_code: str, params: dict[str, str], text: str) -> str:
        if not template_code:
            raise PermanentFailure("no SMS template is configured for this kind of message", code="no_template")
        query = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": self.region,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            "PhoneNumbers": phone,
            "SignName": self.sign_name,
            "TemplateCode": template_code,
        }
        if params:
            query["TemplateParam"] = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
        query["Signature"] = signature(query, self.key_secret, "POST")
        body = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in query.items()).encode()
        status, raw = post(self.endpoint, body, {
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/json",
        }, timeout=self.timeout)
        return outcome(status, raw)


def outcome(status: int, raw: bytes) -> str:
    """The BizId of an accepted message, or the failure the answer describes."""
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        data = {}
    code = str(data.get("Code") or "")
    if status == 200 and code == "OK":
        return str(data.get("BizId") or "")
    message = str(data.get("Message") or f"HTTP {status}")[:200]
    if code in TEMPORARY_CODES or code.startswith("Throttling") or status >= 500 or status == 429:
        raise TemporaryFailure(message, code=code or f"http_{status}")
    if not code and status == 200:
        raise TemporaryFailure("unreadable answer from the SMS gateway", code="bad_response")
    raise PermanentFailure(message, code=code or f"http_{status}")
