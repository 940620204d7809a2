"""三员分立: the auditor reads and exports the audit log and changes nothing; administrators cannot read or erase it."""

import pytest
from django.contrib.admin.sites import site

from kefu.audit.models import AuditAction, AuditEntry
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_auditor_lands_on_the_audit_log_and_sees_entries(client, world):
    client.force_login(world.auditor)
    assert client.get("/")["Location"].endswith("/audit/")
    page = client.get("/audit/")
    assert page.status_code == 200 and b'data-ok="1"' in page.content
    assert b"user_created" in page.content


@pytest.mark.parametrize("role", ["admin", "security_admin", "supervisor", "agent"])
def test_no_one_else_reads_the_audit_log(client, api, world, role):
    user = getattr(world, role)
    client.force_login(user)
    assert client.get("/audit/").status_code == 403
    api.as_user(world, user)
    response = api.get("/audit/entries")
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_auditor"


def test_the_auditor_exports_and_the_export_is_audited(client, world):
    client.force_login(world.auditor)
    response = client.get("/audit/export.csv?action=user_created")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("seq,at,actor_id")
    assert text.count("user_created") == AuditEntry.objects.filter(action="user_created").count()
    assert AuditEntry.objects.filter(action=AuditAction.AUDIT_EXPORTED, actor=world.auditor).exists()


def test_the_auditor_searches_through_the_api(api, world):
    api.as_user(world, world.auditor)
    body = api.get("/audit/entries?action=user_created").json()
    assert body["count"] == AuditEntry.objects.filter(action="user_created").count() > 0
    assert api.get("/audit/verify").json()["ok"] is True
    assert api.get("/audit/entries?start=0001-01-01").status_code == 422


def test_the_auditor_changes_nothing(api, world):
    api.as_user(world, world.auditor)
    assert api.post("/tickets", {"type": "inquiry", "title": "审计员"}).status_code == 403
    assert not Ticket.objects.exists()
    assert api.get(f"/customers/{world.customer.pk}").status_code in (403, 404)


def test_no_administrator_can_erase_the_audit_log(rf, world):
    admin = site._registry[AuditEntry]
    request = rf.get("/admin/")
    request.user = world.admin
    assert not admin.has_delete_permission(request) and not admin.has_change_permission(request)
    assert not admin.has_view_permission(request)
