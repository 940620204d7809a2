import pytest

from kefu.testing import build_world


@pytest.fixture(autouse=True)
def _fresh_config_caches():
    """Configuration caches outlive a test's rolled-back transaction; start and end each test without them."""
    from kefu.core.configcache import invalidate_all

    invalidate_all()
    yield
    invalidate_all()


@pytest.fixture(autouse=True)
def _private_task_queue(tmp_path_factory):
    """Tasks enqueued by any test go to a queue file of the test's own, never to $KEFU_DATA_DIR/huey.sqlite3."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import SqliteStorage

    saved = HUEY.storage
    HUEY.storage = SqliteStorage(HUEY.name, filename=str(tmp_path_factory.mktemp("queue") / "huey.sqlite3"))
    yield
    HUEY.storage.close()
    HUEY.storage = saved


@pytest.fixture(autouse=True)
def _search_index_inline(settings):
    """A test's transaction never commits, so the search index is written inside each change (after-commit
    indexing has its own tests in kefu/search/tests/test_pending.py, which turn this off)."""
    settings.SEARCH_INDEX_INLINE = True


@pytest.fixture(autouse=True)
def _force_login_is_a_whole_login(monkeypatch):
    """client.force_login stands for a completed login: password and, where the role has one, the second factor
    (the login steps have their own tests in kefu/web/tests/test_login_steps.py, through the pages)."""
    from django.test import Client

    from kefu.accounts.security import FACTOR_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[FACTOR_KEY] = "ok"
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def api(client):
    """The Django test client speaking JSON to /api/v1/."""
    import json

    class Api:
        def __init__(self):
            self.headers = {}

        def as_user(self, world, user):
            self.headers = world.auth(user)
            return self

        def call(self, method, path, body=None, **extra):
            kwargs = {**self.headers, **extra}
            if body is not None:
                kwargs["data"] = json.dumps(body) if not isinstance(body, str | bytes) else body
                kwargs["content_type"] = "application/json"
            return getattr(client, method)(f"/api/v1{path}", **kwargs)

        def get(self, path, **extra):
            return self.call("get", path, **extra)

        def post(self, path, body=None, **extra):
            return self.call("post", path, body, **extra)

        def patch(self, path, body=None, **extra):
            return self.call("patch", path, body, **extra)

        def put(self, path, body=None, **extra):
            return self.call("put", path, body, **extra)

    return Api()


def pytest_configure(config):
    from django.conf import settings

    # Hashing 15 test passwords with PBKDF2 costs seconds per test; the hasher itself is Django's to test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# One Chromium for the whole run: Playwright allows one sync instance per thread, so every app's browser tests
# share the session-wide `browser` and the logged-in `new_page` fixtures.
from kefu.web.tests.browser import browser, new_page  # noqa: E402, F401
