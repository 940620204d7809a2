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
