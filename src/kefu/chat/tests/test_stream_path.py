"""The conversation stream's steady state: a message published on the bus goes to the open stream from the event
itself, with no database read; the database is read only to fill a gap in the sequence numbers."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from kefu.chat.views import streams
from kefu.realtime.bus import Hub


def _message(seq: int) -> dict:
    return {"type": "message", "conv": 7, "seq": seq, "body": f"第{seq}条"}


def _run(events: list[dict], reads: list[tuple]) -> list[bytes]:
    """Frames the stream yields for `events` published after it opened; `reads` records each database read."""

    def fake_messages(conv_id, after, upto, public):
        reads.append((after, upto))
        return [_message(s) for s in range(after + 1, (upto or after) + 1)]

    async def main() -> list[bytes]:
        hub = Hub()
        sub = hub.subscribe({"conv:7"})
        stream = streams._conversation_stream(sub, 7, 0, {"state": "active"}, public=True)
        frames = [await stream.__anext__(), await stream.__anext__()]  # retry, hello
        for event in events:
            hub.deliver("conv:7", event)
        await asyncio.sleep(0)
        wanted = max(e["seq"] for e in events)  # every number up to the last one published, gaps filled
        while sum(f.startswith(b"id: ") for f in frames) < wanted:
            frames.append(await asyncio.wait_for(stream.__anext__(), 5))
        await stream.aclose()
        return frames

    original = streams._messages
    streams._messages = fake_messages
    try:
        # Its own thread and loop: an earlier test (Playwright's sync API) may leave a loop running in this one.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, main()).result()
    finally:
        streams._messages = original


def test_contiguous_messages_reach_the_stream_without_a_database_read():
    reads: list[tuple] = []
    frames = _run([_message(1), _message(2), _message(3)], reads)
    assert reads == [(0, None)]  # the catch-up when the stream opened, nothing per message
    assert [f.split(b"\n", 1)[0] for f in frames if f.startswith(b"id: ")] == [b"id: 1", b"id: 2", b"id: 3"]
    assert "第3条".encode() in frames[-1]


def test_a_gap_is_filled_from_the_database_once():
    reads: list[tuple] = []
    # seq 2 was a whisper the visitor never gets on the bus: 3 arrives after 1.
    frames = _run([_message(1), _message(3)], reads)
    assert reads == [(0, None), (1, 3)]
    assert [f.split(b"\n", 1)[0] for f in frames if f.startswith(b"id: ")] == [b"id: 1", b"id: 2", b"id: 3"]
