"""WeChat Official Account (公众号) and WeCom (企业微信): callbacks verified and decrypted as the platforms
document them, replies through the customer-service message API within the 48-hour window."""

from kefu.channels.wechat.adapter import WechatAdapter

__all__ = ["WechatAdapter"]
