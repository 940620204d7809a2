"""Customer archive: masking, logged reveals, optimistic concurrency, status history, validation."""

import pytest

from kefu.audit.models import AuditEntry
from kefu.customers.models import Customer


def test_phone_and_id_are_masked_for_every_role_in_the_api(world, api):
    for user in (world.agent, world.qa, world.supervisor):
        data = api.as_user(world, user).get(f"/customers/{world.customer.pk}").json()
        mobile = next(c for c in data["contacts"] if c["kind"] == "mobile")
        assert mobile["value"] == "138****1234" and mobile["masked"]
        assert data["id_number"] == "110101********1237"
        address = next(c for c in data["contacts"] if c["kind"] == "address")
        assert address["value"] == "城东路1号"
    assert "13812341234" not in str(api.as_user(world, world.agent).get("/customers").content)


def test_reveal_is_allowed_to_agent_and_written_to_audit_log(world, api):
    contact = world.customer.contacts.get(kind="mobile")
    response = api.as_user(world, world.agent).post(f"/customers/{world.customer.pk}/reveal",
                                                    {"contact_id": contact.pk, "reason": "回拨客户"})
    assert response.status_code == 200 and response.json() == {"value": "13812341234"}
    id_number = api.post(f"/customers/{world.customer.pk}/reveal", {}).json()
    assert id_number == {"value": "110101199001011237"}
    entries = list(AuditEntry.objects.filter(action="pii_revealed").order_by("id"))
    assert [(e.actor_id, e.params["what"]) for e in entries] == [
        (world.agent.pk, f"contact:{contact.pk}"), (world.agent.pk, "id_number")]
    assert entries[0].params["reason"] == "回拨客户"


@pytest.mark.parametrize("role", ["qa", "info_desk"])
def test_roles_without_the_right_cannot_reveal(world, api, role):
    contact = world.customer.contacts.get(kind="mobile")
    response = api.as_user(world, getattr(world, role)).post(f"/customers/{world.customer.pk}/reveal",
                                                             {"contact_id": contact.pk})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "cannot_reveal"
    assert not AuditEntry.objects.filter(action="pii_revealed").exists()


def test_field_crew_sees_only_customers_of_dispatched_work(world, api):
    from kefu.tickets.services import dispatch_ticket

    assert api.as_user(world, world.fieldman).get(f"/customers/{world.customer.pk}").status_code == 404
    ticket = world.ticket(type="repair", customer_id=world.customer.pk, custom={"fault": "其他"})
    dispatch_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, team_id=world.crew.pk)
    assert api.get(f"/customers/{world.customer.pk}").status_code == 200
    assert api.get("/customers").json()["count"] == 1


def test_create_customer_validates_each_contact_and_names_the_field(world, api):
    api.as_user(world, world.agent)
    before = Customer.objects.count()
    bad = {"name": "李四", "contacts": [{"kind": "mobile", "value": "13900001111"},
                                         {"kind": "email", "value": "not-an-email"}]}
    response = api.post("/customers", bad)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "contacts[1].value"
    assert response.json()["error"]["code"] == "invalid_email"
    taken = {"name": "李四", "references": [{"kind": "meter", "value": "M-0001"}]}
    assert api.post("/customers", taken).json()["error"]["code"] == "reference_taken"
    assert Customer.objects.count() == before
    good = {"name": "李四", "tier": "star", "star_level": 3,
            "contacts": [{"kind": "mobile", "value": "+86 139 0000 1111"}]}
    response = api.post("/customers", good)
    assert response.status_code == 201
    assert response.json()["contacts"][0]["value"] == "139****1111"
    assert response.json()["contacts"][0]["is_primary"]


def test_phone_lookup_finds_the_caller(world, api):
    data = api.as_user(world, world.agent).get("/customers?phone=138-1234-1234").json()
    assert [c["id"] for c in data["items"]] == [world.customer.pk]
    assert api.get("/customers?phone=13999999999").json()["count"] == 0
    assert api.get("/customers?reference=M-0001").json()["count"] == 1


def test_stale_customer_update_is_409_and_status_history_is_kept(world, api):
    api.as_user(world, world.agent)
    first = api.patch(f"/customers/{world.customer.pk}", {"version": 1, "tier": "group"})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = api.patch(f"/customers/{world.customer.pk}", {"version": 1, "tier": "normal"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert Customer.objects.get(pk=world.customer.pk).tier == "group"
    moved = api.post(f"/customers/{world.customer.pk}/status",
                     {"version": 2, "status": "suspended", "reason": "欠费停气"}).json()
    assert moved["status"] == "suspended"
    assert moved["status_history"][0]["from_status"] == "active"
    assert moved["status_history"][0]["reason"] == "欠费停气"
    audit = AuditEntry.objects.filter(target_type="customer", action="customer_changed").order_by("id")
    assert [e.params["fields"] for e in audit] == [["tier"], ["status"]]
    assert "110101" not in str([e.params for e in AuditEntry.objects.all()])


def test_account_manager_must_have_the_role(world, api):
    response = api.as_user(world, world.agent).patch(f"/customers/{world.customer.pk}",
                                                     {"version": 1, "account_manager_id": world.agent.pk})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "account_manager_id"


def test_qa_cannot_edit_customers(world, api):
    response = api.as_user(world, world.qa).patch(f"/customers/{world.customer.pk}", {"version": 1, "tier": "vip"})
    assert response.status_code == 403
