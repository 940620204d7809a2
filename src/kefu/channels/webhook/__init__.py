"""The generic signed webhook: any IM, shop system (Taobao/JD/Douyin bridge) or QQ bridge posts messages in
and receives replies out, both signed with HMAC-SHA256 over "timestamp.body"."""

from kefu.channels.webhook.adapter import WebhookAdapter

__all__ = ["WebhookAdapter"]
