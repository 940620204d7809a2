import os

import pytest

from kefu.chat.models import Widget
from kefu.presence.models import State
from kefu.presence.services import CapacityInput, set_capacity, set_state


def make_widget(world, **kwargs) -> Widget:
    fields = {"name": "官网客服", "team": world.team_a, "assistant": False,
              "allowed_origins": "https://www.example.com", **kwargs}
    return Widget.objects.create(**fields)


def available(user, *, capacity: int = 3, skills=None, now=None):
    """Put an agent on chat duty with `capacity` chats at a time."""
    set_capacity(actor=None, user_id=user.pk, data=CapacityInput(chat_capacity=capacity, skills=skills or []), now=now)
    return set_state(actor=user, user_id=user.pk, state=State.AVAILABLE, now=now)


@pytest.fixture
def widget(world):
    return make_widget(world)


@pytest.fixture
def asgi_server(transactional_db):
    """The site under uvicorn (ASGI, as served in production) in a thread, on the test database: the live
    streams need an event loop, which Django's threaded test server does not have."""
    import socket
    import threading
    import time

    import uvicorn

    # The once-a-second ticker (offer expiry) is not started in tests: they call expire_offers with their clock.
    os.environ["KEFU_CHAT_TICKER"] = "0"
    from kefu.asgi import make_application

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(make_application(), host="127.0.0.1", port=port, log_level="critical", lifespan="off",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    import urllib.request

    with urllib.request.urlopen(f"{url}/login/", timeout=30):  # noqa: S310 — warm up: the first request imports the site
        pass
    yield url
    server.should_exit = True
    thread.join(5)
