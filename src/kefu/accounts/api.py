"""Who am I, the center's teams and users, and creating users (administrators)."""

from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status

from kefu.accounts import services
from kefu.accounts.models import Team, User
from kefu.accounts.roles import Role
from kefu.api.schemas import ERRORS, TeamRef, one_of
from kefu.core.errors import ValidationFailed

router = Router(tags=["organisation"])


class UserOut(Schema):
    id: int
    username: str
    name: str
    role: str = one_of(Role)
    agent_no: str | None
    team: TeamRef | None


class UserIn(Schema):
    username: str
    password: str
    role: str = one_of(Role)
    team_id: int | None = None
    agent_no: str | None = None
    display_name: str = ""
    mobile: str = ""


class TeamOut(Schema):
    id: int
    name: str
    department: str
    is_field_crew: bool


def user_out(user: User) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.label, "role": user.role,
            "agent_no": user.agent_no, "team": {"id": user.team.pk, "name": user.team.name} if user.team else None}


@router.get("/me", response={200: UserOut, **ERRORS})
def me(request):
    return user_out(request.auth)


@router.get("/teams", response={200: list[TeamOut], **ERRORS})
def teams(request):
    return [{"id": t.pk, "name": t.name, "department": t.department.name, "is_field_crew": t.is_field_crew}
            for t in Team.objects.select_related("department")]


@router.get("/users", response={200: list[UserOut], **ERRORS})
def users(request, team: int | None = None):
    qs = User.objects.filter(is_active=True).select_related("team").order_by("agent_no", "username")
    if team is not None:
        qs = qs.filter(team_id=team)
    return [user_out(u) for u in qs]


@router.post("/users", response={201: UserOut, **ERRORS})
def create_user(request, payload: UserIn):
    team = None
    if payload.team_id is not None:
        team = Team.objects.filter(pk=payload.team_id).first()
        if team is None:
            raise ValidationFailed(_("No such team."), code="unknown_team", field="team_id")
    user = services.create_user(actor=request.auth, username=payload.username, password=payload.password,
                                role=payload.role, team=team, agent_no=payload.agent_no,
                                display_name=payload.display_name, mobile=payload.mobile)
    return Status(201, user_out(user))
