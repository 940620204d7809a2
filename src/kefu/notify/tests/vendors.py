"""The SMS vendors' side of the wire, written from their API documents and independently of kefu's backends:
each verify_* checks a received request (parameters, headers, signature recomputed with the known secret),
each answer_* gives the vendor's documented answer for a success, throttling, a bad number, a bad signature."""

import base64
import hashlib
import hmac
import json
import re
import time
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote_plus, urlsplit


def _aliyun_encode(value: str) -> str:
    # Alibaba Cloud's documented recipe: form-encode as UTF-8, then "+" → "%20", "*" → "%2A", "%7E" → "~".
    return quote_plus(value, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


_ALIYUN_FIXED = {"Action": "SendSms", "Format": "JSON", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
                 "Version": "2017-05-25"}
_ALIYUN_REQUIRED = {"AccessKeyId", "RegionId", "SignatureNonce", "Timestamp", "PhoneNumbers", "SignName",
                    "TemplateCode", "Signature", *_ALIYUN_FIXED}


def verify_aliyun(method, path, headers, body, *, key_id, secret):
    problems = []
    if not headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
        problems.append(f"Content-Type {headers.get('Content-Type')!r}")
    pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    params = dict(pairs)
    if len(params) != len(pairs):
        problems.append("a parameter is repeated")
    problems += [f"missing {name}" for name in sorted(_ALIYUN_REQUIRED - params.keys())]
    problems += [f"{k}={params.get(k)!r}" for k, want in {**_ALIYUN_FIXED, "AccessKeyId": key_id}.items()
                 if params.get(k) != want]
    stamp = params.get("Timestamp", "")
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp):
        problems.append(f"Timestamp {stamp!r} is not ISO 8601 UTC")
    elif abs(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp() - time.time()) > 900:
        problems.append("Timestamp is more than 15 minutes off")
    signature = params.pop("Signature", "")
    canonical = "&".join(f"{_aliyun_encode(k)}={_aliyun_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{_aliyun_encode('/')}&{_aliyun_encode(canonical)}"
    expected = base64.b64encode(hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest())
    if not hmac.compare_digest(signature.encode(), expected):
        problems.append("SignatureDoesNotMatch")
    return problems, {
        "phone": params.get("PhoneNumbers"), "sign_name": params.get("SignName"),
        "template": params.get("TemplateCode"), "params": json.loads(params.get("TemplateParam") or "{}"),
        "nonce": params.get("SignatureNonce"), "region": params.get("RegionId"),
    }


def answer_aliyun(mode):
    request_id = "F655A8D5-B967-440B-8683-DAD6FF8DE990"
    return {
        "ok": (200, {"Message": "OK", "RequestId": request_id, "BizId": "900619746936498440^0", "Code": "OK"}),
        "throttle": (200, {"Message": "触发号码天级流控Permits:10", "RequestId": request_id,
                           "Code": "isv.BUSINESS_LIMIT_CONTROL"}),
        "bad_number": (200, {"Message": "手机号码格式错误", "RequestId": request_id,
                             "Code": "isv.MOBILE_NUMBER_ILLEGAL"}),
        "bad_signature": (400, {"Message": "Specified signature is not matched with our calculation.",
                                "RequestId": request_id, "Code": "SignatureDoesNotMatch"}),
    }[mode]


_TC3_AUTH = re.compile(r"TC3-HMAC-SHA256 Credential=(?P<key_id>[^/]+)/(?P<date>\d{4}-\d\d-\d\d)/(?P<service>\w+)"
                       r"/tc3_request, SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})")


def _hmac256(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def verify_tencent(method, path, headers, body, *, key_id, secret):
    problems = []
    h = {k.lower(): v for k, v in headers.items()}
    for name, want in {"x-tc-action": "SendSms", "x-tc-version": "2021-01-11"}.items():
        if h.get(name) != want:
            problems.append(f"{name}: {h.get(name)!r}")
    if not h.get("x-tc-region"):
        problems.append("no X-TC-Region")
    stamp = h.get("x-tc-timestamp", "")
    if not stamp.isdigit() or abs(int(stamp) - time.time()) > 300:
        problems.append(f"X-TC-Timestamp {stamp!r} missing or off by more than 5 minutes")
        stamp = "0"
    auth = _TC3_AUTH.fullmatch(h.get("authorization", ""))
    if auth is None:
        return [*problems, f"Authorization {h.get('authorization')!r}"], {}
    date = datetime.fromtimestamp(int(stamp), UTC).strftime("%Y-%m-%d")
    if auth["key_id"] != key_id or auth["service"] != "sms" or auth["date"] != date:
        problems.append(f"credential {auth['key_id']}/{auth['date']}/{auth['service']}")
    signed = auth["signed"].split(";")
    if not {"content-type", "host"} <= set(signed):
        problems.append(f"SignedHeaders {auth['signed']}")
    # Canonical request, string to sign and derived key exactly as the TC3-HMAC-SHA256 document lists them.
    url = urlsplit(path)
    canonical_headers = "".join(f"{name}:{h.get(name, '').strip().lower()}\n" for name in signed)
    canonical_request = (f"{method}\n{url.path}\n{url.query}\n{canonical_headers}\n{auth['signed']}\n"
                         f"{hashlib.sha256(body).hexdigest()}")
    string_to_sign = (f"TC3-HMAC-SHA256\n{stamp}\n{date}/sms/tc3_request\n"
                      f"{hashlib.sha256(canonical_request.encode()).hexdigest()}")
    signing_key = _hmac256(_hmac256(_hmac256(f"TC3{secret}".encode(), date), "sms"), "tc3_request")
    if not hmac.compare_digest(auth["signature"], hmac.new(signing_key, string_to_sign.encode(),
                                                              hashlib.sha256).hexdigest()):
        problems.append("AuthFailure.SignatureFailure")
    if not h.get("content-type", "").startswith("application/json"):
        problems.append(f"Content-Type {h.get('content-type')!r}")
    data = json.loads(body)
    phones = data.get("PhoneNumberSet")
    if not (isinstance(phones, list) and len(phones) == 1 and re.fullmatch(r"\+861\d{10}", phones[0])):
        problems.append(f"PhoneNumberSet {phones!r}")
    for name in ("SmsSdkAppId", "SignName", "TemplateId"):
        if not isinstance(data.get(name), str) or not data[name]:
            problems.append(f"{name} {data.get(name)!r}")
    values = data.get("TemplateParamSet", [])
    if not all(isinstance(value, str) for value in values):
        problems.append("TemplateParamSet holds a value that is not a string")
    return problems, {
        "phone": (phones or [""])[0], "sign_name": data.get("SignName"), "template": data.get("TemplateId"),
        "params": values, "app_id": data.get("SmsSdkAppId"), "region": h.get("x-tc-region"),
    }


def answer_tencent(mode):
    request_id = "a0aabda6-cf91-4f3e-a81f-9198114a2279"

    def status(code, message):
        return 200, {"Response": {"SendStatusSet": [{
            "SerialNo": "5000:1045710669157053657849499619" if code == "Ok" else "", "PhoneNumber": "+8613711112222",
            "Fee": 1 if code == "Ok" else 0, "SessionContext": "", "Code": code, "Message": message,
            "IsoCode": "CN"}], "RequestId": request_id}}

    if mode == "bad_signature":
        return 200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure",
                                            "Message": "The provided credentials could not be validated."},
                                  "RequestId": request_id}}
    return {
        "ok": status("Ok", "send success"),
        "throttle": status("LimitExceeded.PhoneNumberThirtySecondLimit", "单个手机号30秒内下发短信条数超过设定的上限"),
        "bad_number": status("InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误"),
    }[mode]


VERIFY = {"aliyun": verify_aliyun, "tencent": verify_tencent}
ANSWER = {"aliyun": answer_aliyun, "tencent": answer_tencent}
