"""Refusals of a callback that cannot be trusted: nothing is read from it and nothing is changed."""

from kefu.core.errors import ServiceError


class SignatureRefused(ServiceError):
    """The request is not signed by the endpoint's secret, or its timestamp is outside the window (401)."""

    status = 401
    default_code = "bad_signature"


class Malformed(ServiceError):
    """The body is not the JSON or XML the platform sends (400)."""

    status = 400
    default_code = "malformed_body"
