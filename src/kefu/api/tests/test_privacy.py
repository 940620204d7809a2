"""Audit and privacy gaps: reveal reasons audited, refused reveals audited, notes limited, ID check digits,
display-spoofing characters removed from names and titles."""

import pytest

from kefu.audit.models import AuditAction, AuditEntry
from kefu.customers.models import Customer
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_ticket_phone_reveal_keeps_its_reason_in_the_audit_entry(api, world):
    ticket = world.ticket(by=world.agent, contact_phone="13912345678")
    api.as_user(world, world.agent)
    assert api.post(f"/tickets/{ticket.pk}/reveal-phone", {"reason": "回访核对"}).json() == {"phone": "13912345678"}
    entry = AuditEntry.objects.get(action=AuditAction.PII_REVEALED, target_type="ticket")
    assert entry.params == {"what": "contact_phone", "reason": "回访核对"}


def test_a_refused_ticket_reveal_is_audited(api, world):
    ticket = world.ticket(by=world.agent, contact_phone="13912345678")
    api.as_user(world, world.qa)
    response = api.post(f"/tickets/{ticket.pk}/reveal-phone", {"reason": "好奇"})
    assert response.status_code == 403
    entry = AuditEntry.objects.get(action=AuditAction.PII_REVEAL_REFUSED)
    assert (entry.actor, entry.target_type, entry.target_id) == (world.qa, "ticket", str(ticket.pk))
    assert "13912345678" not in str(entry.params)


def test_a_refused_customer_reveal_is_audited(api, world):
    api.as_user(world, world.qa)
    assert api.post(f"/customers/{world.customer.pk}/reveal", {}).status_code == 403
    assert AuditEntry.objects.get(action=AuditAction.PII_REVEAL_REFUSED).target_id == str(world.customer.pk)


def test_customer_notes_have_a_size_limit(api, world):
    api.as_user(world, world.lead)
    version = api.get(f"/customers/{world.customer.pk}").json()["version"]
    response = api.patch(f"/customers/{world.customer.pk}", {"version": version, "notes": "长" * 900_000})
    assert response.status_code in (413, 422)
    response = api.patch(f"/customers/{world.customer.pk}", {"version": version, "notes": "长" * 2001})
    assert response.status_code == 422 and response.json()["error"]["code"] == "too_long"
    assert Customer.objects.get(pk=world.customer.pk).version == version


@pytest.mark.parametrize("number, ok", [("110101199001011237", True), ("110101199001011234", False),
                                        ("11010119900101123X", False)])
def test_id_numbers_are_checked_by_their_check_digit(api, world, number, ok):
    api.as_user(world, world.lead)
    response = api.post("/customers", {"name": "张三", "id_number": number})
    assert response.status_code == (201 if ok else 422)
    if not ok:
        assert response.json()["error"]["code"] == "invalid_id_number"


def test_rtl_override_and_zero_width_characters_are_removed_from_names_and_titles(api, world):
    api.as_user(world, world.lead)
    created = api.post("/customers", {"name": "王\u202e小\u200b明\u2066"}).json()
    assert created["name"] == "王小明"
    api.as_user(world, world.agent)
    ticket = api.post("/tickets", {"type": "inquiry", "title": "\u202egnp.exe\u200d"}).json()
    assert Ticket.objects.get(pk=ticket["id"]).title == "gnp.exe"


def test_searches_by_phone_or_name_take_the_words_in_the_body_with_the_same_answer(api, world):
    """PIPL: what identifies a person stays out of URLs, which proxies and servers log."""
    world.ticket(by=world.agent, customer_id=world.customer.pk, contact_phone="13812341234")
    world.ticket(by=world.agent, contact_phone="13900001111")
    api.as_user(world, world.supervisor)
    by_get = api.get("/tickets?phone=13812341234").json()
    by_post = api.post("/tickets/search", {"phone": "13812341234"}).json()
    assert by_post == by_get and by_post["count"] == 1
    assert api.post("/customers/search", {"phone": "13812341234"}).json() == \
        api.get("/customers?phone=13812341234").json()
    assert api.post("/customers/search", {"q": "王小明"}).json()["count"] == 1
    posted = api.post("/search", {"q": "王小明"})
    assert posted.status_code == 200 and posted.json() == api.get("/search?q=王小明").json()
    # The body is checked like any other: an unknown field or a wrong type is a 422 naming it.
    refused = api.post("/tickets/search", {"phone": 13812341234})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "phone"
