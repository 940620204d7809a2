"""The OpenAPI document describes what the API really does: one schema per name, enums declared."""

import pytest
from ninja import Schema

from kefu.api.tests.test_schema import current_schema

pytestmark = pytest.mark.django_db


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_schemas_share_a_name_in_the_document():
    """Two classes with one name collapse into one component: the customers' reveal promised `phone`."""
    components = set(current_schema()["components"]["schemas"])
    by_name: dict[str, dict] = {}
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("kefu.") and cls.__name__ in components:
            shape = repr(sorted(cls.model_json_schema().get("properties", {}).items()))
            by_name.setdefault(cls.__name__, {}).setdefault(shape, f"{cls.__module__}.{cls.__qualname__}")
    assert {name: sorted(shapes.values()) for name, shapes in by_name.items() if len(shapes) > 1} == {}


def test_customer_reveal_answers_what_the_document_says(api, world):
    schema = current_schema()
    ref = schema["paths"]["/api/v1/customers/{customer_id}/reveal"]["post"]["responses"]["200"]["content"][
        "application/json"]["schema"]["$ref"]
    promised = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["required"]
    api.as_user(world, world.lead)
    answer = api.post(f"/customers/{world.customer.pk}/reveal", {"reason": "回访核对"}).json()
    assert sorted(answer) == sorted(promised)


def test_the_audit_actions_are_an_enum_in_the_document():
    schema = current_schema()["components"]["schemas"]
    entry = schema["EntryOut"]["properties"]["action"]
    ref = entry.get("$ref") or entry["allOf"][0]["$ref"]
    assert "pii_revealed" in schema[ref.rsplit("/", 1)[1]]["enum"]


# Closed sets declared as enums (issue 26 item 5): a client sees the values, and a body holding another is a 422.
ENUM_FIELDS = [
    ("TicketCreateIn", "channel"), ("TicketCreateIn", "priority"), ("TicketOut", "status"), ("TicketOut", "channel"),
    ("TicketOut", "priority"), ("TransitionIn", "to"), ("MessageIn", "kind"), ("LinkIn", "kind"),
    ("CustomerIn", "kind"), ("CustomerIn", "tier"), ("CustomerOut", "status"), ("ContactIn", "kind"),
    ("ReferenceIn", "kind"), ("CustomerPatch", "tier"), ("UserIn", "role"), ("UserOut", "role"),
    ("CampaignIn", "purpose"), ("CampaignOut", "status"), ("CampaignCallOut", "outcome"), ("PhraseIn", "kind"),
    ("PhrasePatch", "kind"), ("ArticleOut", "status"), ("HitOut", "kind"), ("EntryOut", "action"),
]


def _enum(prop: dict) -> list | None:
    if "enum" in prop:
        return prop["enum"]
    for option in prop.get("anyOf", []):
        if "enum" in option:
            return option["enum"]
    return None


@pytest.mark.parametrize("schema, field", ENUM_FIELDS)
def test_closed_sets_are_enums_in_the_document(schema, field):
    components = current_schema()["components"]["schemas"]
    prop = components[schema]["properties"][field]
    if "$ref" in prop or any("$ref" in o for o in prop.get("allOf", [])):
        ref = (prop.get("$ref") or prop["allOf"][0]["$ref"]).split("/")[-1]
        prop = components[ref]
    assert _enum(prop), f"{schema}.{field} is a plain {prop.get('type')}"


def test_a_value_outside_the_enum_is_refused_naming_the_field(api, world):
    api.as_user(world, world.agent)
    refused = api.post("/tickets", {"type": "inquiry", "title": "x", "channel": "pigeon"})
    assert refused.status_code == 422
    assert (refused.json()["error"]["code"], refused.json()["error"]["field"]) == ("invalid_choice", "channel")
