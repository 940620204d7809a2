"""PATCH changes only the fields sent, on every PATCH route of the OpenAPI document.

Each test creates an object with every field set away from its default, PATCHes one field, and checks that
every other field kept its value (a PATCH schema with defaults used to reset the fields left out).
"""

import pytest

from kefu.api.tests.test_schema import current_schema

pytestmark = pytest.mark.django_db

TESTED = {
    "/api/v1/phrases/{phrase_id}", "/api/v1/campaigns/{campaign_id}", "/api/v1/knowledge/articles/{article_id}",
    "/api/v1/surveys/questionnaires/{questionnaire_id}", "/api/v1/customers/{customer_id}",
    "/api/v1/tickets/{ticket_id}",
}


# PATCHes of a map (interval → head count, list name → words) change only the keys sent, by their own design and
# tests in their apps; their bodies are not one object's fields.
MAP_PATCHES = {"/api/v1/workforce/requirements/{requirement_id}", "/api/v1/quality/check-rules"}


# PATCH routes whose one-field test lives in their own app, beside the fixtures that build the object.
TESTED_IN_APP = {
    "/api/v1/workforce/queues/{queue_id}":
        "workforce/tests/test_records.py::test_api_patches_only_the_fields_sent_plans_from_records_and_runs_backtests",
}


def test_every_patch_route_has_a_one_field_test_here():
    patch_routes = {path for path, ops in current_schema()["paths"].items() if "patch" in ops}
    assert patch_routes - MAP_PATCHES - set(TESTED_IN_APP) == TESTED


def test_every_patch_body_requires_nothing_but_the_version():
    schema = current_schema()
    for path, ops in schema["paths"].items():
        if "patch" not in ops or path in MAP_PATCHES:
            continue
        ref = ops["patch"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert body.get("required", []) == ["version"], path


def _unchanged(before: dict, after: dict, changed: str) -> None:
    skip = {changed, "version", "updated_at", "updated_by", "status", "current_revision", "body_html"}
    keys = (set(before) & set(after)) - skip
    assert {k: after[k] for k in keys} == {k: before[k] for k in keys}


def test_patching_a_phrase_title_keeps_its_team_kind_and_inactive_state(api, world):
    api.as_user(world, world.lead)
    made = api.post("/phrases", {"title": "敏感", "body": "不可说", "kind": "sensitive", "team_id": world.team_a.pk,
                                 "ticket_type": "complaint", "position": 7, "active": False})
    assert made.status_code == 201, made.json()
    before = made.json()
    after = api.patch(f"/phrases/{before['id']}", {"version": before["version"], "title": "敏感词"}).json()
    assert after["title"] == "敏感词"
    assert (after["kind"], after["team"]["id"], after["active"]) == ("sensitive", world.team_a.pk, False)
    _unchanged(before, after, "title")


def test_patching_a_campaign_name_keeps_pulling_off(api, world):
    api.as_user(world, world.supervisor)
    made = api.post("/campaigns", {"name": "回访", "purpose": "info_collection", "script": "您好", "max_attempts": 5,
                                   "retry_minutes": 30, "pull_allowed": False})
    assert made.status_code == 201, made.json()
    before = made.json()
    after = api.patch(f"/campaigns/{before['id']}", {"version": before["version"], "name": "年度回访"}).json()
    assert after["name"] == "年度回访" and after["pull_allowed"] is False
    _unchanged(before, after, "name")


def test_patching_an_article_title_keeps_it_public_and_its_summary(api, world):
    api.as_user(world, world.info_desk)
    made = api.post("/knowledge/articles", {"title": "燃气费", "body": "按月缴费", "summary": "缴费方式",
                                            "tags": ["缴费"], "audience": "public", "is_faq": True})
    assert made.status_code == 201, made.json()
    before = made.json()
    after = api.patch(f"/knowledge/articles/{before['id']}", {"version": before["version"], "title": "燃气费缴纳"})
    assert after.status_code == 200, after.json()
    after = after.json()
    assert (after["title"], after["audience"], after["summary"], after["is_faq"]) == ("燃气费缴纳", "public",
                                                                                     "缴费方式", True)
    assert after["tags"] == before["tags"]


def test_patching_a_questionnaire_title_keeps_its_questions_and_scope(api, world):
    api.as_user(world, world.supervisor)
    made = api.post("/surveys/questionnaires", {
        "title": "满意度", "title_en": "Satisfaction", "intro": "请评价", "intro_en": "Rate us", "active": False,
        "ticket_types": ["complaint"],
        "questions": [{"text": "满意吗", "text_en": "Satisfied?", "kind": "scale5", "required": True, "role": "csat"}]})
    assert made.status_code == 201, made.json()
    before = made.json()
    after = api.patch(f"/surveys/questionnaires/{before['id']}", {"version": before["version"], "title": "满意度调查"})
    assert after.status_code == 200, after.json()
    after = after.json()
    assert after["title"] == "满意度调查" and after["active"] is False and after["ticket_types"] == ["complaint"]
    def shape(q):
        return {k: v for k, v in q.items() if k not in ("id", "field")}

    _unchanged({**before, "questions": [shape(q) for q in before["questions"]]},
               {**after, "questions": [shape(q) for q in after["questions"]]}, "title")


def test_patching_a_customer_tier_keeps_the_rest(api, world):
    api.as_user(world, world.lead)
    before = api.get(f"/customers/{world.customer.pk}").json()
    after = api.patch(f"/customers/{world.customer.pk}", {"version": before["version"], "tier": "normal"}).json()
    assert after["tier"] == "normal"
    _unchanged(before, after, "tier")


def test_patching_a_ticket_title_keeps_the_rest(api, world):
    ticket = world.ticket(by=world.agent, location="城东路1号", priority=1)
    api.as_user(world, world.agent)
    before = api.get(f"/tickets/{ticket.pk}").json()
    after = api.patch(f"/tickets/{ticket.pk}", {"version": before["version"], "title": "新标题"})
    assert after.status_code == 200, after.json()
    after = after.json()
    assert after["title"] == "新标题"
    _unchanged({k: v for k, v in before.items() if k not in ("events", "sla")},
               {k: v for k, v in after.items() if k not in ("events", "sla")}, "title")
