import pytest

from kefu.testing import build_world


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

    return Api()


def pytest_configure(config):
    from django.conf import settings

    # Hashing 15 test passwords with PBKDF2 costs seconds per test; the hasher itself is Django's to test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
