"""Schemas shared by several routers."""

from ninja import Schema


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None
    params: dict | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class UserRef(Schema):
    id: int
    name: str
    agent_no: str | None = None


class TeamRef(Schema):
    id: int
    name: str


def user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.label, "agent_no": user.agent_no}


def team_ref(team) -> dict | None:
    return None if team is None else {"id": team.pk, "name": team.name}


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut,
          422: ErrorOut}


def one_of(choices, default=..., *, nullable: bool = False, description: str | None = None):
    """A field whose values are a closed set (a model's TextChoices/IntegerChoices, or a list), declared as an
    `enum` in the OpenAPI document: clients see the values, and request bodies are held to them by the strict
    body check (kefu.api.strict: 422 invalid_choice naming the field). The Python type stays what it was."""
    from ninja import Field

    values = [c for c in getattr(choices, "values", choices)]
    if nullable:
        values.append(None)
    return Field(default, description=description, json_schema_extra={"enum": values})
