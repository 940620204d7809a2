"""The login's steps after the password (MLPS level 3): TOTP for the roles that must have it, password expiry,
history and the security administrator's acts — all through the pages, as a person logs in."""

import datetime as dt

import pyotp
import pytest
from django.test import override_settings
from django.utils import timezone

from kefu.accounts import security, totp
from kefu.accounts.models import LoginFailure, PasswordHistory, TwoFactor, User
from kefu.audit.models import AuditEntry
from kefu.testing import login_code

PASSWORD = "kefu-Test-2026"


def _login(client, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.8",
                       HTTP_ACCEPT_LANGUAGE="zh-hans")


def _secret_on_setup_page(client) -> str:
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code, drawn on the server
    return html.split('data-secret="')[1].split('"')[0]


def test_an_administrator_without_an_authenticator_must_set_one_up_before_anything_else(client, world):
    assert _login(client, "admin").status_code == 302
    # Every page, and the API with the session, leads to the set-up first.
    page = client.get("/setup/")
    assert page.status_code == 302 and page["Location"].startswith("/account/two-factor/?next=%2Fsetup%2F")
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["error"]["code"] == "two_factor_setup_required"
    secret = _secret_on_setup_page(client)
    # The same secret while it is not confirmed (reloading the page does not change the QR code).
    assert _secret_on_setup_page(client) == secret
    wrong = client.post("/account/two-factor/", {"code": "000000", "next": "/setup/"})
    assert wrong.status_code == 422 and "field-error" in wrong.content.decode()
    done = client.post("/account/two-factor/", {"code": totp.code_at(secret, timezone.now()), "next": "/setup/"})
    assert done.status_code == 302 and done["Location"] == "/setup/"
    assert client.get("/setup/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    factor = TwoFactor.objects.get(user=world.admin)
    assert factor.confirmed_at is not None and secret not in factor.sealed_secret  # sealed at rest
    assert AuditEntry.objects.filter(action="two_factor_enabled", target_id=str(world.admin.pk)).exists()


def test_an_enrolled_user_types_a_code_after_the_password_and_a_code_is_used_once(client, world):
    code = login_code(world.admin)  # enrols the administrator
    assert _login(client, "admin").status_code == 302
    page = client.get("/tickets/board/")
    assert page.status_code == 302 and page["Location"].startswith("/login/code/")
    step = client.get("/login/code/").content.decode()
    # The step's page shows no menu and polls nothing (a poll would be sent back here, reloading the page).
    assert 'id="screen-pop"' not in step and "/tickets/board/" not in step
    pop = client.get("/cti/pop/", HTTP_HX_REQUEST="true")
    assert pop.status_code == 204 and pop["HX-Redirect"] == "/login/code/"
    assert client.post("/login/code/", {"code": code}).status_code == 302
    assert client.get("/tickets/board/").status_code == 200
    client.post("/logout/")
    # The same code again (a shoulder-surfer, a replayed request) is refused, and counts as a failed login.
    assert _login(client, "admin").status_code == 302
    replay = client.post("/login/code/", {"code": code})
    assert replay.status_code == 422 and "field-error" in replay.content.decode()
    assert LoginFailure.objects.filter(username="admin").count() == 1
    assert client.get("/tickets/board/").status_code == 302


def test_wrong_codes_lock_the_login_like_wrong_passwords(client, world):
    login_code(world.admin)
    assert _login(client, "admin").status_code == 302
    for _ in range(5):
        assert client.post("/login/code/", {"code": "123456"}).status_code == 422
    locked = client.post("/login/code/", {"code": login_code(world.admin)})
    assert locked.status_code == 302 and locked["Location"] == "/login/"
    assert "_auth_user_id" not in client.session  # the half-done login ended
    assert AuditEntry.objects.filter(action="login_locked", target_id="admin").exists()


def test_agents_may_turn_the_second_factor_on_and_off_administrators_may_not_turn_it_off(client, world):
    assert _login(client, "agent").status_code == 302
    assert client.get("/tickets/mine/").status_code == 200  # no factor needed
    secret = _secret_on_setup_page(client)
    assert client.post("/account/two-factor/", {"code": totp.code_at(secret, timezone.now())}).status_code == 302
    refused = client.post("/account/two-factor/off/", {"password": "wrong"}, follow=True)
    assert TwoFactor.objects.filter(user=world.agent).exists() and "当前密码不正确" in refused.content.decode()
    client.post("/account/two-factor/off/", {"password": PASSWORD})
    assert not TwoFactor.objects.filter(user=world.agent).exists()
    assert AuditEntry.objects.filter(action="two_factor_disabled", target_id=str(world.agent.pk)).exists()
    with pytest.raises(security.Forbidden) as refused_admin:
        security.disable_own_factor(actor=world.admin, password=PASSWORD)
    assert refused_admin.value.code == "two_factor_required"


def test_the_requirement_can_be_switched_off_for_a_development_machine(client, world):
    with override_settings(KEFU_TWO_FACTOR_REQUIRED=False):
        assert _login(client, "admin").status_code == 302
        assert client.get("/setup/").status_code == 200


def test_a_code_from_the_step_before_or_after_is_accepted_others_not():
    secret = totp.new_secret()
    now = timezone.now()
    generator = pyotp.TOTP(secret)
    current = generator.timecode(now)
    for step, accepted in ((current - 2, False), (current - 1, True), (current, True), (current + 1, True),
                           (current + 2, False)):
        assert (totp.matching_step(secret, generator.generate_otp(step), now) == step) is accepted
    assert totp.matching_step(secret, "12345", now) is None and totp.matching_step(secret, "abcdef", now) is None


# --- passwords ------------------------------------------------------------------------------------------


def _change(client, current, new, repeat=None):
    return client.post("/account/password/", {"current": current, "password": new,
                                               "repeat": new if repeat is None else repeat})


@override_settings(KEFU_PASSWORD_HISTORY=3)
def test_a_new_password_may_not_repeat_the_recent_ones(client, world):
    client.force_login(world.agent)
    assert _change(client, "wrong", "Fresh-Pass-2027").status_code == 422
    assert _change(client, PASSWORD, "Fresh-Pass-2027", "Other-Pass-2027").status_code == 422
    reused = _change(client, PASSWORD, PASSWORD)
    assert reused.status_code == 422 and "最近" in reused.content.decode()
    weak = _change(client, PASSWORD, "short")
    assert weak.status_code == 422
    for current, new in ((PASSWORD, "Second-Pass-2027"), ("Second-Pass-2027", "Third-Pass-2027")):
        assert _change(client, current, new).status_code == 302
    # The last three (current, and the two before) are refused; the one before them is free again.
    assert _change(client, "Third-Pass-2027", PASSWORD).status_code == 422
    assert _change(client, "Third-Pass-2027", "Second-Pass-2027").status_code == 422
    world.agent.refresh_from_db()
    assert world.agent.check_password("Third-Pass-2027")
    assert _change(client, "Third-Pass-2027", "Fourth-Pass-2027").status_code == 302
    assert _change(client, "Fourth-Pass-2027", PASSWORD).status_code == 302
    assert PasswordHistory.objects.filter(user=world.agent).count() == 3  # no more kept than looked at
    assert AuditEntry.objects.filter(action="password_changed", target_id=str(world.agent.pk)).count() == 4


@override_settings(KEFU_PASSWORD_MAX_AGE_DAYS=90)
def test_an_expired_password_must_be_changed_before_anything_else(client, world):
    User.objects.filter(pk=world.agent.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    assert _login(client, "agent").status_code == 302
    page = client.get("/tickets/mine/")
    assert page.status_code == 302 and page["Location"].startswith("/account/password/")
    assert "已过期" in client.get("/account/password/").content.decode()
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["error"]["code"] == "password_change_required"
    assert _change(client, PASSWORD, "Renewed-Pass-2027").status_code == 302
    assert client.get("/tickets/mine/").status_code == 200
    world.agent.refresh_from_db()
    assert security.password_expires_at(world.agent) > timezone.now() + dt.timedelta(days=89)


@override_settings(KEFU_PASSWORD_MAX_AGE_DAYS=0)
def test_expiry_can_be_switched_off(world):
    User.objects.filter(pk=world.agent.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=900))
    world.agent.refresh_from_db()
    assert not security.password_expired(world.agent)


# --- the security administrator ---------------------------------------------------------------------------


def test_the_security_administrator_unlocks_resets_and_requires_a_new_password(client, world):
    for _ in range(5):
        _login(client, "agent", "wrong")
    login_code(world.lead)  # the team lead turned two-factor on
    client.force_login(world.security_admin)
    assert client.get("/").url == "/security/"  # their landing page
    page = client.get("/security/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-user="agent"' in html and "登录锁定" in html
    assert client.post(f"/security/{world.agent.pk}/unlock/").status_code == 302
    assert security.throttle.locked_until("agent", None) is None
    assert client.post(f"/security/{world.lead.pk}/reset_factor/").status_code == 302
    assert not TwoFactor.objects.filter(user=world.lead).exists()
    assert client.post(f"/security/{world.agent.pk}/require_password/").status_code == 302
    assert client.post(f"/security/{world.agent.pk}/erase/").status_code == 404
    actions = set(AuditEntry.objects.filter(actor=world.security_admin).values_list("action", flat=True))
    assert actions == {"login_unlocked", "two_factor_reset", "password_change_required"}
    # The agent's next page asks for a new password.
    client.force_login(world.agent)
    assert client.get("/tickets/mine/")["Location"].startswith("/account/password/")
    assert "安全管理员" in client.get("/account/password/").content.decode()


@pytest.mark.parametrize("role", ["admin", "supervisor", "auditor", "agent"])
def test_only_the_security_administrator_has_that_page(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get("/security/").status_code == 403
    assert client.post(f"/security/{world.agent.pk}/unlock/").status_code == 403


def test_the_security_administrator_cannot_act_on_their_own_account_and_sees_no_cases(client, world):
    login_code(world.security_admin)
    client.force_login(world.security_admin)
    assert client.post(f"/security/{world.security_admin.pk}/reset_factor/").status_code == 302
    assert TwoFactor.objects.filter(user=world.security_admin).exists()  # refused: still there
    with pytest.raises(security.Forbidden) as refused:
        security.reset_factor(actor=world.security_admin, user_id=world.security_admin.pk)
    assert refused.value.code == "own_account"
    menu = client.get("/security/").content.decode().split('class="mainnav"')[1].split("</nav>")[0]
    for hidden in ("/tickets/all/", "/customers/", "/quality/", "/training/"):
        assert hidden not in menu, hidden
