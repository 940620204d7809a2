"""Users, roles, teams and API tokens."""

import pytest
from django.core.management import CommandError, call_command

from kefu.accounts import services
from kefu.accounts.models import User
from kefu.audit.models import AuditEntry
from kefu.core.errors import Forbidden, ValidationFailed


def test_only_admin_sets_up_the_center(world):
    with pytest.raises(Forbidden):
        services.create_team(actor=world.supervisor, department=world.service, name="三班")
    team = services.create_team(actor=world.admin, department=world.service, name="三班")
    assert AuditEntry.objects.filter(action="config_changed", target_type="team", target_id=str(team.pk)).exists()


@pytest.mark.parametrize(("kwargs", "field", "code"), [
    ({"username": "agent"}, "username", "duplicate"),
    ({"username": "x", "agent_no": "1001"}, "agent_no", "duplicate"),
    ({"username": "x", "role": "boss"}, "role", "invalid_choice"),
    ({"username": "  "}, "username", "required"),
    ({"username": "x", "role": "field_crew"}, "team", "invalid"),
])
def test_create_user_refuses_bad_input(world, kwargs, field, code):
    before = User.objects.count()
    with pytest.raises(ValidationFailed) as err:
        services.create_user(actor=world.admin, password="pw-Long-2026", **{"role": "agent", **kwargs})
    assert (err.value.field, err.value.code) == (field, code)
    assert User.objects.count() == before


def test_token_auth_works_until_revoked(world, api):
    token, raw = services.issue_token(actor=None, user=world.agent, name="cti")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    me = api.get("/me", **headers)
    assert me.status_code == 200 and me.json()["agent_no"] == "1001" and me.json()["team"]["name"] == "一班"
    assert token.key_hash != raw and raw not in str(AuditEntry.objects.values_list("params", flat=True))
    services.revoke_token(actor=world.agent, token=token)
    assert api.get("/me", **headers).status_code == 401
    assert api.get("/me", HTTP_AUTHORIZATION="Bearer kf_guess").status_code == 401


def test_session_login_reaches_the_api(world, client):
    client.force_login(world.lead)
    assert client.get("/api/v1/me").json()["role"] == "team_lead"


def test_admin_creates_user_over_api_and_agent_cannot(world, api):
    body = {"username": "agent9", "password": "kefu-Strong-9", "role": "agent", "team_id": world.team_b.pk,
            "agent_no": "2009", "display_name": "赵九"}
    assert api.as_user(world, world.agent).post("/users", body).status_code == 403
    created = api.as_user(world, world.admin).post("/users", body)
    assert created.status_code == 201 and created.json()["team"]["id"] == world.team_b.pk
    assert User.objects.get(username="agent9").check_password("kefu-Strong-9")


def test_cli_creates_user_and_issues_token(world, capsys):
    call_command("user", "create", "crew2", "--role", "field_crew", "--team", str(world.crew.pk),
                 "--agent-no", "5002", "--password", "kefu-Strong-1")
    assert User.objects.get(username="crew2").team == world.crew
    call_command("user", "token", "crew2")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    from kefu.accounts.selectors import user_for_token

    assert user_for_token(raw).username == "crew2"
    with pytest.raises(CommandError, match="duplicate"):
        call_command("user", "create", "crew2", "--role", "agent")
