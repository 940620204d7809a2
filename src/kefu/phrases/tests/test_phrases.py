"""Scripts and quick phrases: defaults, scope per team and type, placeholders checked and filled, rights."""

import pytest

from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.phrases.defaults import DEFAULT_PHRASES
from kefu.phrases.models import Phrase
from kefu.phrases.selectors import phrases_for
from kefu.phrases.services import PhraseInput, create_phrase, render_phrase, update_phrase

pytestmark = pytest.mark.django_db


def test_the_data_migration_installs_the_ten_word_service_phrases(world):
    titles = set(Phrase.objects.filter(team__isnull=True).values_list("title", flat=True))
    assert {title for _k, title, _b, _p in DEFAULT_PHRASES} <= titles
    bodies = "".join(Phrase.objects.values_list("body", flat=True))
    for word in ("您好", "请", "谢谢", "对不起", "再见"):
        assert word in bodies
    assert Phrase.objects.filter(kind="sensitive").exists()


def test_an_agent_gets_center_wide_and_own_team_phrases_for_the_ticket_type(world):
    mine = create_phrase(actor=world.info_desk, data=PhraseInput(title="一班报修", body="报修请报表号",
                                                                  team_id=world.team_a.pk, ticket_type="repair"))
    other_team = create_phrase(actor=world.info_desk, data=PhraseInput(title="二班", body="二班用语",
                                                                        team_id=world.team_b.pk))
    other_type = create_phrase(actor=world.info_desk, data=PhraseInput(title="投诉", body="投诉用语",
                                                                        ticket_type="complaint"))
    ids = {p.pk for p in phrases_for(world.agent, "repair")}
    assert mine.pk in ids and other_team.pk not in ids and other_type.pk not in ids
    assert other_team.pk in {p.pk for p in phrases_for(world.agent_b)}
    assert other_type.pk in {p.pk for p in phrases_for(world.agent, "complaint")}


def test_inactive_phrases_are_not_offered(world):
    phrase = create_phrase(actor=world.lead, data=PhraseInput(title="旧", body="旧用语", active=False))
    assert phrase.pk not in {p.pk for p in phrases_for(world.agent)}


def test_unknown_placeholder_is_refused_naming_the_field(world):
    with pytest.raises(ValidationFailed) as exc:
        create_phrase(actor=world.info_desk, data=PhraseInput(title="错", body="您好 {customer} 先生"))
    assert (exc.value.code, exc.value.field, exc.value.params["unknown"]) == ("unknown_placeholder", "body",
                                                                              ["customer"])
    with pytest.raises(ValidationFailed) as exc:
        create_phrase(actor=world.info_desk, data=PhraseInput(title="错", body="您好 {customer_name 先生"))
    assert exc.value.code == "unbalanced_braces"
    assert not Phrase.objects.filter(title="错").exists()


def test_rendering_fills_agent_number_ticket_number_and_customer_name(world):
    ticket = world.ticket(customer_id=world.customer.pk)
    phrase = create_phrase(actor=world.info_desk, data=PhraseInput(
        title="开场", kind="opening", body="{customer_name}您好，{agent_no}号为您服务，工单{ticket_no}。"))
    out = render_phrase(actor=world.agent, phrase_id=phrase.pk, ticket=ticket)
    assert out["text"] == f"王小明您好，1001号为您服务，工单{ticket.number}。"
    assert out["missing"] == []
    without_ticket = render_phrase(actor=world.agent, phrase_id=phrase.pk)
    assert without_ticket["text"] == "您好，1001号为您服务，工单。"
    assert without_ticket["missing"] == ["customer_name", "ticket_no"]


def test_sensitive_question_scripts_are_flagged(world):
    phrase = Phrase.objects.filter(kind="sensitive").first()
    assert render_phrase(actor=world.agent, phrase_id=phrase.pk)["sensitive"] is True


def test_agents_cannot_manage_phrases_and_cannot_use_another_teams(world):
    with pytest.raises(Forbidden):
        create_phrase(actor=world.agent, data=PhraseInput(title="x", body="y"))
    phrase = create_phrase(actor=world.info_desk, data=PhraseInput(title="二班", body="y", team_id=world.team_b.pk))
    with pytest.raises(NotFound):
        render_phrase(actor=world.agent, phrase_id=phrase.pk)


def test_a_stale_update_is_refused(world):
    phrase = create_phrase(actor=world.info_desk, data=PhraseInput(title="a", body="b"))
    update_phrase(actor=world.lead, phrase_id=phrase.pk, version=1, data=PhraseInput(title="a2", body="b"))
    from kefu.core.errors import Conflict

    with pytest.raises(Conflict):
        update_phrase(actor=world.info_desk, phrase_id=phrase.pk, version=1, data=PhraseInput(title="a3", body="b"))


def test_api_lists_renders_and_validates(world, api):
    ticket = world.ticket(customer_id=world.customer.pk)
    api.as_user(world, world.info_desk)
    bad = api.post("/phrases", {"title": "x", "body": "{nope}"})
    assert (bad.status_code, bad.json()["error"]["field"], bad.json()["error"]["code"]) == (
        422, "body", "unknown_placeholder")
    created = api.post("/phrases", {"title": "告知", "body": "工单号{ticket_no}", "team_id": world.team_a.pk})
    assert created.status_code == 201
    api.as_user(world, world.agent)
    listed = api.get("/phrases?ticket_type=repair").json()
    assert created.json()["id"] in [p["id"] for p in listed]
    rendered = api.post(f"/phrases/{created.json()['id']}/render", {"ticket_id": ticket.pk}).json()
    assert rendered["text"] == f"工单号{ticket.number}"
    assert api.post("/phrases", {"title": "x", "body": "y"}).status_code == 403


def test_phrase_list_costs_a_fixed_number_of_queries(world, api, django_assert_max_num_queries):
    for i in range(15):
        create_phrase(actor=world.info_desk, data=PhraseInput(title=f"p{i}", body="b", team_id=world.team_a.pk,
                                                              ticket_type="repair"))
    api.as_user(world, world.agent)
    with django_assert_max_num_queries(6):
        assert len(api.get("/phrases?ticket_type=repair").json()) >= 15
