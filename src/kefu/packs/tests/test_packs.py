"""Industry packs: switched per center, audited, hidden when off, nothing lost."""

import pytest

from kefu.packs import is_enabled, registry
from kefu.packs.models import PackState
from kefu.packs.services import set_pack_enabled

SAMPLE_TYPE = {"code": "sample_visit", "name": "示例上门", "name_en": "Sample visit", "fields": [
    {"key": "site_no", "label": "站点号", "label_en": "Site number", "kind": "text", "required": True,
     "choices": []}]}


@pytest.fixture
def sample_pack():
    calls = []
    pack = registry.register(registry.Pack(
        code="sample", name="示例", name_en="Sample", ticket_types=(SAMPLE_TYPE,),
        on_enable=lambda **kw: calls.append(("on", kw["actor"])),
        on_disable=lambda **kw: calls.append(("off", kw["actor"]))))
    yield pack, calls
    registry.unregister("sample")


def test_a_pack_is_off_until_an_administrator_switches_it_on(world, sample_pack):
    from kefu.audit.models import AuditEntry
    from kefu.tickets.models import TicketType

    assert not is_enabled("sample")
    set_pack_enabled(actor=world.admin, code="sample", enabled=True)
    assert is_enabled("sample")
    ticket_type = TicketType.objects.get(code="sample_visit")
    assert ticket_type.active and [f.key for f in ticket_type.fields.all()] == ["site_no"]
    entry = AuditEntry.objects.get(target_type="pack", target_id="sample")
    assert entry.actor == world.admin and entry.params["enabled"] is True
    assert sample_pack[1] == [("on", world.admin)]


def test_switching_off_deactivates_the_types_and_keeps_the_tickets(world, sample_pack):
    from kefu.tickets.models import TicketType

    set_pack_enabled(actor=None, code="sample", enabled=True)
    ticket = world.ticket(type="sample_visit", custom={"site_no": "S-1"})
    set_pack_enabled(actor=None, code="sample", enabled=False)
    assert not is_enabled("sample")
    assert not TicketType.objects.get(code="sample_visit").active
    ticket.refresh_from_db()
    assert ticket.custom == {"site_no": "S-1"}
    set_pack_enabled(actor=None, code="sample", enabled=True)
    assert TicketType.objects.get(code="sample_visit").fields.count() == 1  # re-activated, not duplicated


def test_an_agent_cannot_switch_a_pack_and_nothing_changes(world, sample_pack, api):
    api.as_user(world, world.agent)
    response = api.post("/packs/sample/enable", {})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_admin"
    assert not PackState.objects.exists()
    assert not is_enabled("sample")


def test_unknown_pack_is_404_naming_the_code(world, api):
    api.as_user(world, world.admin)
    response = api.post("/packs/nope/enable", {})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_pack"
    assert response.json()["error"]["field"] == "code"


def test_a_stale_switch_is_refused_with_409(world, sample_pack, api):
    api.as_user(world, world.admin)
    first = api.post("/packs/sample/enable", {"version": 1})
    assert first.status_code == 200 and first.json()["enabled"] is True
    stale = api.post("/packs/sample/disable", {"version": 1})
    assert stale.status_code == 409
    assert stale.json()["error"]["params"]["current_version"] == 2
    assert is_enabled("sample")


def test_the_list_shows_every_installed_pack_with_its_state(world, sample_pack, api):
    set_pack_enabled(actor=None, code="sample", enabled=True)
    api.as_user(world, world.agent)
    rows = {r["code"]: r for r in api.get("/packs").json()}
    assert rows["sample"]["enabled"] is True
    assert rows["sample"]["ticket_types"] == ["sample_visit"]


def test_another_process_sees_a_switch_at_its_next_check(world, sample_pack, monkeypatch):
    """A row changed behind this process's back (another worker) is seen once the recheck interval passes."""
    from django.db.models import F

    from kefu.packs import state

    assert not is_enabled("sample")
    PackState.objects.bulk_create([PackState(code="sample", enabled=True)])  # no signals: as another process
    assert not is_enabled("sample")  # still within the interval: cached
    monkeypatch.setattr(state, "RECHECK", 0.0)
    state.cache().seconds = 0.0
    assert is_enabled("sample")
    PackState.objects.filter(code="sample").update(enabled=False, version=F("version") + 1)
    assert not is_enabled("sample")


def test_menu_entries_of_a_pack_are_hidden_while_it_is_off(world, sample_pack, client, monkeypatch):
    from kefu.web import nav

    item = nav.NavItem("packs:settings", "Sample screen", lambda u: True, pack="sample")
    monkeypatch.setattr(nav, "NAV", [item])
    client.force_login(world.agent)
    assert b"Sample screen" not in client.get("/packs/", follow=True).content
    set_pack_enabled(actor=None, code="sample", enabled=True)
    assert b"Sample screen" in client.get("/search/").content


def test_gated_panel_context_is_none_while_the_pack_is_off(world, sample_pack):
    from kefu.packs import gated

    panel = gated("sample", lambda user, ticket, page: {"shown": True})
    assert panel(world.agent, None, {}) is None
    set_pack_enabled(actor=None, code="sample", enabled=True)
    assert panel(world.agent, None, {}) == {"shown": True}


def test_the_settings_screen_is_for_administrators(world, sample_pack, client):
    client.force_login(world.agent)
    assert client.get("/packs/").status_code == 403
    client.force_login(world.admin)
    page = client.get("/packs/")
    assert page.status_code == 200 and b"sample_visit" in page.content
    response = client.post("/packs/sample/switch/", {"enabled": "1", "version": "1"})
    assert response.status_code == 302 and is_enabled("sample")


def test_cli_lists_and_switches(world, sample_pack, capsys):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("packs", "enable", "sample")
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["sample"]["enabled"] is True
    with pytest.raises(CommandError, match="unknown_pack"):
        call_command("packs", "disable", "nope")
