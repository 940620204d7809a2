"""Publish/subscribe for live updates: in-process by default, Redis pub/sub when KEFU_REDIS_URL is set.

Services publish from ordinary (synchronous) code, in `transaction.on_commit`, from whatever thread runs the
request; subscribers are server-sent-event streams running on the ASGI event loop. A subscriber is an
asyncio.Queue; a publish hands the event to each queue's own loop with call_soon_threadsafe.

With Redis, a publish goes to Redis only, and one listener task per process fans out what Redis delivers to
the local queues — so an event is delivered exactly once per subscriber, whichever app server published it.
Events are small JSON dicts; what must never be lost (chat messages) is also in the database with a sequence
number, and a stream that reconnects replays from there: the bus is for speed, not for durability.
"""

import asyncio
import contextlib
import json
import logging
import threading
from collections import defaultdict

from django.conf import settings

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "kefu:rt:"
QUEUE_LIMIT = 1000  # a subscriber this far behind is dropped; its stream reconnects and replays from the database


class Subscription:
    """The events of some topics, for one stream on one event loop."""

    def __init__(self, hub: "Hub", topics: set[str]):
        self.hub = hub
        self.topics = set(topics)
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue = asyncio.Queue(QUEUE_LIMIT)
        self.overflowed = False

    def offer(self, topic: str, event: dict) -> None:
        """Called on the subscriber's loop."""
        try:
            self.queue.put_nowait((topic, event))
        except asyncio.QueueFull:
            self.overflowed = True

    async def get(self, timeout: float) -> tuple[str, dict] | None:
        """The next (topic, event), or None after `timeout` seconds without one."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None

    def add(self, topic: str) -> None:
        self.hub.add_topic(self, topic)

    def close(self) -> None:
        self.hub.unsubscribe(self)


class Hub:
    """The process's subscribers by topic; delivery to each on its own loop."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_topic: dict[str, set[Subscription]] = defaultdict(set)
        self._redis_url = getattr(settings, "REALTIME_REDIS_URL", "") or ""
        self._redis = None
        self._listener: asyncio.Task | None = None

    # -- subscribing ------------------------------------------------------------------------------------

    def subscribe(self, topics: set[str]) -> Subscription:
        sub = Subscription(self, topics)
        with self._lock:
            for topic in sub.topics:
                self._by_topic[topic].add(sub)
        if self._redis_url:
            self._ensure_listener(sub.loop)
        return sub

    def add_topic(self, sub: Subscription, topic: str) -> None:
        with self._lock:
            sub.topics.add(topic)
            self._by_topic[topic].add(sub)

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            for topic in sub.topics:
                subs = self._by_topic.get(topic)
                if subs is not None:
                    subs.discard(sub)
                    if not subs:
                        del self._by_topic[topic]

    def subscriber_count(self) -> int:
        with self._lock:
            return len({s for subs in self._by_topic.values() for s in subs})

    # -- publishing -------------------------------------------------------------------------------------

    def publish(self, topic: str, event: dict) -> None:
        """Deliver `event` to every subscriber of `topic` on every app server; callable from any thread."""
        if self._redis_url:
            try:
                self._sync_redis().publish(CHANNEL_PREFIX + topic, json.dumps(event))
                return
            except Exception:  # noqa: BLE001 — Redis down: this server's own streams still get the event
                log.exception("realtime: publishing to Redis failed; delivering locally only")
        self.deliver(topic, event)

    def deliver(self, topic: str, event: dict) -> None:
        with self._lock:
            subs = list(self._by_topic.get(topic, ()))
        for sub in subs:
            with contextlib.suppress(RuntimeError):  # the loop has closed: the stream is gone
                sub.loop.call_soon_threadsafe(sub.offer, topic, event)

    # -- Redis ------------------------------------------------------------------------------------------

    def _sync_redis(self):
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(self._redis_url)
        return self._redis

    def _ensure_listener(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._listener is not None and not self._listener.done():
            return
        self._listener = loop.create_task(self._listen())

    async def _listen(self) -> None:
        """One Redis subscription per process; what arrives goes to the local subscribers."""
        import redis.asyncio as aredis

        while True:
            client = aredis.Redis.from_url(self._redis_url)
            try:
                pubsub = client.pubsub()
                await pubsub.psubscribe(CHANNEL_PREFIX + "*")
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    topic = message["channel"].decode()[len(CHANNEL_PREFIX):]
                    self.deliver(topic, json.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 — reconnect; the streams replay what they missed from the database
                log.exception("realtime: Redis subscription lost; reconnecting")
                await asyncio.sleep(1)
            finally:
                await client.aclose()


_hub: Hub | None = None
_hub_lock = threading.Lock()


def hub() -> Hub:
    global _hub
    with _hub_lock:
        if _hub is None:
            _hub = Hub()
        return _hub


def reset() -> None:
    """Forget the hub (tests that change the Redis setting)."""
    global _hub
    with _hub_lock:
        _hub = None


def publish(topic: str, event: dict) -> None:
    hub().publish(topic, event)


def publish_after_commit(topic: str, event: dict) -> None:
    """Publish once the current transaction commits (never announce a change that was rolled back)."""
    from django.db import transaction

    transaction.on_commit(lambda: publish(topic, event))
