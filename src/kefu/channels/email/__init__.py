"""The email and fax channel: parse, thread and store inbound mail; send replies over SMTP."""

from kefu.channels.email.adapter import EmailAdapter

__all__ = ["EmailAdapter"]
