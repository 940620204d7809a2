"""Service errors with stable codes: every layer (API, UI, CLI) shows them the same way."""

from django.utils.functional import Promise


class ServiceError(Exception):
    """A refused operation: nothing was changed. `code` is stable; `message` is translated when shown."""

    status = 400
    default_code = "invalid"

    def __init__(self, message: str | Promise, *, code: str | None = None, field: str | None = None,
                 params: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.params = params or {}

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": str(self.message)}
        if self.field:
            data["field"] = self.field
        if self.params:
            data["params"] = self.params
        return data


class ValidationFailed(ServiceError):
    """Input that cannot be accepted (a field is missing, malformed or out of range)."""

    status = 422
    default_code = "invalid"


class NotFound(ServiceError):
    """The object does not exist or is not visible to the user (we never tell which)."""

    status = 404
    default_code = "not_found"


class Forbidden(ServiceError):
    """The user may see the object but lacks the right for this operation."""

    status = 403
    default_code = "forbidden"


class Conflict(ServiceError):
    """The object changed since the caller read it; the caller must reload."""

    status = 409
    default_code = "stale_version"
