"""Idempotency-Key: a retried create is answered from the first one instead of making a duplicate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.api.idempotency import purge
from kefu.api.models import IdempotentRequest
from kefu.customers.models import Customer
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db

KEY = {"HTTP_IDEMPOTENCY_KEY": "3f1c-retry-1"}


def test_a_retried_create_returns_the_first_answer_and_creates_nothing_more(api, world):
    api.as_user(world, world.agent)
    first = api.post("/tickets", {"type": "inquiry", "title": "重试"}, **KEY)
    again = api.post("/tickets", {"type": "inquiry", "title": "重试"}, **KEY)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.filter(title="重试").count() == 1


def test_every_create_endpoint_honours_the_key(api, world):
    api.as_user(world, world.lead)
    body = {"name": "李四", "contacts": [{"kind": "mobile", "value": "13900001111"}]}
    before = Customer.objects.count()
    assert api.post("/customers", body, **KEY).status_code == 201
    assert api.post("/customers", body, **KEY).status_code == 201
    assert Customer.objects.count() == before + 1


def test_without_a_key_a_retry_is_a_second_create(api, world):
    api.as_user(world, world.agent)
    api.post("/tickets", {"type": "inquiry", "title": "两次"})
    api.post("/tickets", {"type": "inquiry", "title": "两次"})
    assert Ticket.objects.filter(title="两次").count() == 2


def test_a_key_reused_for_another_request_is_refused(api, world):
    api.as_user(world, world.agent)
    api.post("/tickets", {"type": "inquiry", "title": "一"}, **KEY)
    response = api.post("/tickets", {"type": "inquiry", "title": "二"}, **KEY)
    assert response.status_code == 422
    assert response.json()["error"] == {**response.json()["error"], "code": "idempotency_key_reused",
                                        "field": "Idempotency-Key"}
    assert not Ticket.objects.filter(title="二").exists()


def test_keys_belong_to_their_user(api, world):
    api.as_user(world, world.agent)
    api.post("/tickets", {"type": "inquiry", "title": "各自"}, **KEY)
    api.as_user(world, world.agent_b)
    api.post("/tickets", {"type": "inquiry", "title": "各自"}, **KEY)
    assert Ticket.objects.filter(title="各自").count() == 2


def test_after_24_hours_the_key_is_forgotten(api, world):
    api.as_user(world, world.agent)
    api.post("/tickets", {"type": "inquiry", "title": "过期"}, **KEY)
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge() == 1
    api.post("/tickets", {"type": "inquiry", "title": "过期"}, **KEY)
    assert Ticket.objects.filter(title="过期").count() == 2
