"""The widget's public endpoints: origins, rate limits, uploads, and visitor text that never runs as script."""

import io
import json

import pytest
from django.core.cache import cache

from kefu.chat.models import ChatMessage, Conversation
from kefu.chat.tests.conftest import make_widget

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (255, 0, 0)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def start(client, widget, origin="https://www.example.com", **body):
    return client.post(f"/chat/w/{widget.key}/start", json.dumps(body), content_type="application/json",
                       HTTP_ORIGIN=origin)


def test_a_site_not_on_the_origin_list_is_refused_and_nothing_is_made(client, world):
    widget = make_widget(world)
    response = start(client, widget, origin="https://evil.example.net", question="hi")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "origin_not_allowed"
    assert not Conversation.objects.exists()
    ok = start(client, widget, question="hi")
    assert ok.status_code == 201 and ok["Access-Control-Allow-Origin"] == "https://www.example.com"


def test_the_widget_page_may_be_framed_only_by_its_sites(client, world):
    widget = make_widget(world)
    response = client.get(f"/chat/w/{widget.key}/")
    assert response.status_code == 200
    assert "frame-ancestors 'self' https://www.example.com;" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response


def test_a_visitor_sending_too_fast_is_rate_limited(client, world, settings):
    settings.CHAT_RATE_VISITOR = 3
    widget = make_widget(world)
    token = start(client, widget, question="hi").json()["token"]
    codes = [client.post("/chat/v/send", json.dumps({"body": f"m{i}"}), content_type="application/json",
                         HTTP_X_CHAT_TOKEN=token).status_code for i in range(4)]
    assert codes == [201, 201, 201, 429]
    assert ChatMessage.objects.filter(kind="customer").count() == 1 + 3  # the question and three messages


def test_one_address_starting_too_many_chats_is_rate_limited(client, world, settings):
    settings.CHAT_RATE_ADDRESS = 2
    widget = make_widget(world)
    assert [start(client, widget).status_code for _i in range(3)] == [201, 201, 429]
    assert Conversation.objects.count() == 2


def test_a_picture_is_accepted_and_anything_else_or_oversize_refused(client, world, settings):
    settings.CHAT_IMAGE_MAX_BYTES = 2048
    widget = make_widget(world)
    token = start(client, widget).json()["token"]

    def send(name, data):
        f = io.BytesIO(data)
        f.name = name
        return client.post("/chat/v/send", {"body": "", "image": f}, HTTP_X_CHAT_TOKEN=token)

    ok = send("a.png", png_bytes())
    assert ok.status_code == 201 and ok.json()["image"] is True
    fake = send("evil.png", b"<script>alert(1)</script>")
    assert (fake.status_code, fake.json()["error"]["code"], fake.json()["error"]["field"]) == (
        422, "not_an_image", "image")
    big = send("big.png", png_bytes() + b"\0" * 4096)
    assert (big.status_code, big.json()["error"]["code"]) == (422, "too_large")
    assert ChatMessage.objects.exclude(image_type="").count() == 1
    seq = ok.json()["seq"]
    image = client.get(f"/chat/v/image/{seq}?token={token}")
    assert image["Content-Type"] == "image/png" and image["X-Content-Type-Options"] == "nosniff"


def test_visitor_text_is_stored_as_typed_and_escaped_on_the_leads_page(client, world):
    widget = make_widget(world)
    evil = '<img src=x onerror="alert(1)">'
    token = start(client, widget, name=evil, question=evil).json()["token"]
    assert ChatMessage.objects.get(kind="customer").body == evil
    history = client.get(f"/chat/v/history?token={token}").json()
    assert history["messages"][-1]["body"] == evil  # JSON text; the widget puts it in with textContent
    client.force_login(world.lead)
    page = client.get("/chat/live/").content.decode()
    assert evil not in page and "&lt;img src=x" in page


def test_a_wrong_token_is_not_found(client, world):
    make_widget(world)
    response = client.post("/chat/v/send", json.dumps({"body": "x"}), content_type="application/json",
                           HTTP_X_CHAT_TOKEN="guess")
    assert response.status_code == 404
