"""Ticket statuses, channels and priorities (TK3), and the default transitions a ticket type may narrow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting on customer")
    WAITING_OTHER = "waiting_other", _("Waiting on other department")
    RESOLVED = "resolved", _("Resolved")
    CALLBACK = "callback", _("Callback")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING_CUSTOMER, Status.WAITING_OTHER)
DONE_STATUSES = (Status.RESOLVED, Status.CALLBACK, Status.CLOSED)

# Reopening is its own operation (reopen_ticket), so "back to in progress" from a done status is not here.
DEFAULT_TRANSITIONS: dict[str, list[str]] = {
    Status.NEW: [Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING_CUSTOMER, Status.WAITING_OTHER,
                 Status.RESOLVED],
    Status.ASSIGNED: [Status.IN_PROGRESS, Status.WAITING_CUSTOMER, Status.WAITING_OTHER, Status.RESOLVED],
    Status.IN_PROGRESS: [Status.WAITING_CUSTOMER, Status.WAITING_OTHER, Status.RESOLVED],
    Status.WAITING_CUSTOMER: [Status.IN_PROGRESS, Status.RESOLVED],
    Status.WAITING_OTHER: [Status.IN_PROGRESS, Status.RESOLVED],
    Status.RESOLVED: [Status.CALLBACK, Status.CLOSED],
    Status.CALLBACK: [Status.CLOSED],
    Status.CLOSED: [],
}

# An inquiry answered on the spot closes at once; it has no callback step.
INQUIRY_TRANSITIONS: dict[str, list[str]] = {
    Status.NEW: [Status.IN_PROGRESS, Status.WAITING_OTHER, Status.RESOLVED, Status.CLOSED],
    Status.ASSIGNED: [Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED],
    Status.IN_PROGRESS: [Status.WAITING_OTHER, Status.RESOLVED, Status.CLOSED],
    Status.WAITING_CUSTOMER: [Status.IN_PROGRESS, Status.RESOLVED],
    Status.WAITING_OTHER: [Status.IN_PROGRESS, Status.RESOLVED],
    Status.RESOLVED: [Status.CLOSED],
    Status.CALLBACK: [Status.CLOSED],
    Status.CLOSED: [],
}

# Complaints must go through the callback step before they close (TK7).
COMPLAINT_TRANSITIONS: dict[str, list[str]] = {
    **DEFAULT_TRANSITIONS,
    Status.RESOLVED: [Status.CALLBACK],
}


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Online chat")
    EMAIL = "email", _("Email")
    FAX = "fax", _("Fax")
    WALK_IN = "walk_in", _("Walk-in")
    WECHAT = "wechat", _("WeChat")
    QQ = "qq", _("QQ")
    PARTNER = "partner", _("Partner")
    HOTLINE_12345 = "12345", _("12345 government hotline")
    CONSUMER_ASSOCIATION = "consumer_assoc", _("Consumer association")
    REVIEW = "review", _("Shop review")
    WEB_FORM = "web_form", _("Web form")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")
