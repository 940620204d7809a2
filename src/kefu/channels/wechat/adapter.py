"""Replies through the platforms' send APIs: 公众号 customer-service messages (message/custom/send), WeCom
application messages (message/send); each with an access token fetched and cached as documented."""

import json
import urllib.parse

from django.core.cache import cache

from kefu.channels import http
from kefu.channels.base import Adapter, PermanentFailure, TemporaryFailure, register

DEFAULT_BASE = {"wechat": "https://api.weixin.qq.com", "wecom": "https://qyapi.weixin.qq.com"}
_TOKEN_GONE = {40001, 40014, 42001}  # invalid or expired access token: fetch a new one and try again
_TEMPORARY = {-1, 45009, 45033}  # system busy, API quota reached, too frequent
_WINDOW = {45015, 45047}  # more than 48 hours since the user wrote; too many messages outside the window


def _base(endpoint) -> str:
    return (endpoint.reply_url or DEFAULT_BASE[endpoint.medium]).rstrip("/")


def _json(status: int, body: bytes) -> dict:
    http.by_status(status, body.decode("utf-8", "replace"))
    try:
        return json.loads(body)
    except ValueError as exc:
        raise TemporaryFailure("the platform answered something that is not JSON", code="bad_answer") from exc


def access_token(endpoint, *, fresh: bool = False) -> str:
    """The account's access token, cached until shortly before it expires."""
    key = f"channels:token:{endpoint.pk}"
    token = None if fresh else cache.get(key)
    if token:
        return token
    if endpoint.medium == "wecom":
        query = {"corpid": endpoint.app_id, "corpsecret": endpoint.app_secret}
        url = f"{_base(endpoint)}/cgi-bin/gettoken?{urllib.parse.urlencode(query)}"
    else:
        query = {"grant_type": "client_credential", "appid": endpoint.app_id, "secret": endpoint.app_secret}
        url = f"{_base(endpoint)}/cgi-bin/token?{urllib.parse.urlencode(query)}"
    answer = _json(*http.request(url, method="GET"))
    if not answer.get("access_token"):
        raise PermanentFailure(str(answer.get("errmsg", "no access token"))[:200],
                               code=f"wechat_{answer.get('errcode', 'token')}")
    cache.set(key, answer["access_token"], max(60, int(answer.get("expires_in", 7200)) - 300))
    return answer["access_token"]


def send_payload(outbound) -> tuple[str, dict]:
    """(API path, JSON body) of one text reply, in the platform's documented format."""
    endpoint = outbound.endpoint
    if endpoint.medium == "wecom":
        return "/cgi-bin/message/send", {"touser": outbound.recipient, "msgtype": "text",
                                         "agentid": int(endpoint.agent_id or 0), "text": {"content": outbound.body}}
    return "/cgi-bin/message/custom/send", {"touser": outbound.recipient, "msgtype": "text",
                                            "text": {"content": outbound.body}}


class WechatAdapter(Adapter):
    """Sends on 公众号 and 企业微信."""

    media = ("wechat", "wecom")

    def send(self, outbound) -> str:
        if outbound.endpoint is None:
            raise PermanentFailure("the message has no endpoint", code="config")
        answer = self._post(outbound, fresh=False)
        if answer.get("errcode") in _TOKEN_GONE:
            answer = self._post(outbound, fresh=True)
        code = answer.get("errcode", 0)
        if code == 0:
            return str(answer.get("msgid", ""))
        message = str(answer.get("errmsg", ""))[:200]
        if code in _WINDOW:
            raise PermanentFailure(message, code="window_closed")
        if code in _TEMPORARY or code in _TOKEN_GONE:
            raise TemporaryFailure(message, code=f"wechat_{code}")
        raise PermanentFailure(message, code=f"wechat_{code}")

    def _post(self, outbound, *, fresh: bool) -> dict:
        token = access_token(outbound.endpoint, fresh=fresh)
        path, payload = send_payload(outbound)
        url = f"{_base(outbound.endpoint)}{path}?{urllib.parse.urlencode({'access_token': token})}"
        # ensure_ascii=False: the API documents UTF-8 text; escaped Chinese is accepted but doubles the size.
        body = json.dumps(payload, ensure_ascii=False).encode()
        return _json(*http.request(url, body=body, headers={"Content-Type": "application/json; charset=utf-8"}))


register(WechatAdapter())
