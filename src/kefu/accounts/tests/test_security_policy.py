"""Password policy and idle session timeout (MLPS level 3)."""

import time

import pytest

from kefu.accounts import services
from kefu.accounts.idle import KEY
from kefu.accounts.roles import Role
from kefu.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password, reason", [("Ab1-short", "password_too_short"),
                                              ("alllowercaseletters", "password_classes")])
def test_a_weak_password_is_refused_with_every_reason(world, password, reason):
    with pytest.raises(ValidationFailed) as refused:
        services.create_user(actor=world.admin, username="newbie", password=password, role=Role.AGENT)
    assert refused.value.code == "weak_password" and refused.value.field == "password"
    assert reason in refused.value.params["reasons"]


def test_a_strong_password_is_accepted(world):
    user = services.create_user(actor=world.admin, username="newbie", password="Kefu-2026-strong", role=Role.AGENT)
    assert user.check_password("Kefu-2026-strong")


def test_the_policy_length_is_configurable(world, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                                          "OPTIONS": {"min_length": 20}}]
    with pytest.raises(ValidationFailed):
        services.create_user(actor=world.admin, username="newbie", password="Kefu-2026-strong", role=Role.AGENT)


def test_an_idle_session_is_logged_out(client, world, settings):
    settings.KEFU_IDLE_MINUTES = 30
    client.force_login(world.agent)
    assert client.get("/tickets/mine/").status_code == 200
    session = client.session
    session[KEY] = time.time() - 31 * 60
    session.save()
    response = client.get("/tickets/mine/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_active_session_stays(client, world, settings):
    settings.KEFU_IDLE_MINUTES = 30
    client.force_login(world.agent)
    session = client.session
    session[KEY] = time.time() - 29 * 60
    session.save()
    assert client.get("/tickets/mine/").status_code == 200
