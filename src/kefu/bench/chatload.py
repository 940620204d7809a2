"""The asyncio client of `kefu bench chat`: server-sent-event readers and JSON posts over plain sockets.

Plain asyncio streams rather than an HTTP library: hundreds of long-lived connections from one process, and
nothing but the bytes of HTTP/1.1 to parse."""

import asyncio
import json
import time


async def post(port: int, path: str, body: dict, headers: dict | None = None) -> tuple[int, dict]:
    """One POST on its own connection; (status, JSON answer)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = json.dumps(body, ensure_ascii=False).encode()
    head = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    writer.write((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(payload)}\r\nConnection: close\r\n{head}\r\n").encode() + payload)
    await writer.drain()
    data = await reader.read()
    writer.close()
    head, _sep, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    try:
        return status, json.loads(rest or b"{}")
    except ValueError:
        return status, {}


class Stream:
    """One open event stream; every `message` event is handed to `on_message(event, arrival_time)`."""

    def __init__(self, port: int, path: str, headers: dict | None = None):
        self.port, self.path, self.headers = port, path, headers or {}
        self.task: asyncio.Task | None = None
        self.ready = asyncio.Event()
        self.writer = None

    async def open(self, on_message) -> None:
        self.task = asyncio.create_task(self._run(on_message))
        waiter = asyncio.create_task(self.ready.wait())
        done, _pending = await asyncio.wait({self.task, waiter}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
        if self.task in done:
            waiter.cancel()
            self.task.result()  # raises what went wrong
            raise RuntimeError(f"{self.path} closed before it said hello")
        if not done:
            raise TimeoutError(f"{self.path} said nothing for 60 s")

    async def _run(self, on_message) -> None:
        reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 20)
        head = "".join(f"{k}: {v}\r\n" for k, v in self.headers.items())
        self.writer.write(f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept: text/event-stream\r\n"
                          f"{head}\r\n".encode())
        await self.writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        if status != 200:
            raise RuntimeError(f"{self.path} answered {status}")
        event, data = "", []
        while True:
            line = await reader.readline()
            if not line:
                return
            line = line.rstrip(b"\r\n")
            text = line.decode(errors="replace")  # chunk-size lines of the chunked encoding match nothing below
            if text.startswith("event: "):
                event = text[7:]
            elif text.startswith("data: "):
                data.append(text[6:])
            elif text == "" and event:
                if event == "hello":
                    self.ready.set()
                elif event == "message" and data:
                    on_message(json.loads("".join(data)), time.perf_counter())
                event, data = "", []

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.writer is not None:
            self.writer.close()
