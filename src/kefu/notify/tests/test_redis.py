"""The same queue round trip on Redis (KEFU_REDIS_URL in production), against a real redis-server.

CI starts one with scripts/redis.sh and exports KEFU_TEST_REDIS_URL; without it these tests skip."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.db import transaction
from huey import RedisHuey
from huey.contrib.djhuey import HUEY

from kefu.notify.models import DeliveryStatus
from kefu.notify.services import queue_notification
from kefu.notify.tests.conftest import Worker

REDIS_URL = os.environ.get("KEFU_TEST_REDIS_URL", "")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="KEFU_TEST_REDIS_URL is not set: no redis-server to test "
                                                      "against (start one with `eval \"$(bash scripts/redis.sh "
                                                      "start)\"`)")


@pytest.fixture
def redis_queue():
    """The project's huey instance on Redis storage, as RedisHuey builds it, under a queue name of its own."""
    saved, immediate = HUEY.storage, HUEY.immediate
    HUEY.immediate = False
    HUEY.storage = RedisHuey.storage_class(f"kefu-test-{uuid.uuid4().hex}", url=REDIS_URL, blocking=False)
    yield HUEY
    HUEY.storage.flush_all()
    HUEY.storage = saved
    HUEY.immediate = immediate


@pytest.mark.django_db(transaction=True)
def test_sms_round_trip_through_redis(world, redis_queue, settings, tmp_path):
    settings.SMS_BACKEND, settings.SMS_FILE_PATH = "file", str(tmp_path / "sms.jsonl")
    with transaction.atomic():
        notification = queue_notification(recipient=world.lead, channel="sms", address="13711112222",
                                          kind="emergency_created", subject="",
                                          body="抢修工单 GD-0009：城东路燃气泄漏")
    assert redis_queue.pending_count() == 1

    assert Worker(redis_queue).run_queued() == 1

    [line] = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["text"] == "抢修工单 GD-0009：城东路燃气泄漏"
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.SENT
    assert redis_queue.pending_count() == 0


def test_kefu_redis_url_makes_the_worker_use_redis(tmp_path):
    """The settings' HUEY block: with KEFU_REDIS_URL set, huey is a RedisHuey that reaches the server."""
    script = ("import django; django.setup(); from huey.contrib.djhuey import HUEY; "
              "print(type(HUEY).__name__, HUEY.storage.conn.ping())")
    env = {**os.environ, "KEFU_REDIS_URL": REDIS_URL, "KEFU_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "kefu.settings"}
    # A fresh interpreter, because settings and huey's instance are built once per process.
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,  # noqa: S603 (our script)
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["RedisHuey", "True"]
