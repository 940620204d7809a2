"""A real gunicorn serving kefu on 127.0.0.1 against the bench database, and a small HTTP client for it."""

import contextlib
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time

from django.core.management.base import CommandError


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ApiClient:
    """One keep-alive connection; http.client reopens it by itself when the server closes after a response."""

    def __init__(self, port: int, token: str | None = None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.token = token

    def request(self, method: str, path: str, body: dict | None = None, token: str | None = None,
                headers: dict | None = None) -> tuple:
        headers = {"Accept": "application/json", "Authorization": f"Bearer {token or self.token}", **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # A sync worker closed the socket we meant to reuse; one retry on a fresh connection.
            self.conn.close()
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        return response.status, data

    def json(self, method: str, path: str, body: dict | None = None, token: str | None = None,
             expect: int = 200, headers: dict | None = None) -> dict:
        status, data = self.request(method, path, body, token, headers)
        if status != expect:
            raise CommandError(f"{method} {path} answered {status}: {data[:500].decode(errors='replace')}")
        return json.loads(data)

    def close(self) -> None:
        self.conn.close()


class ApiServer:
    """gunicorn started as our child with the bench database's environment; stopped (and waited for) on exit."""

    def __init__(self, env: dict, workers: int = 2, worker_class: str = "sync"):
        self.env = env
        self.workers = workers
        self.worker_class = worker_class
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        # Lives as long as the server (closed in __exit__); read back only to explain a failed start.
        self._log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115

    def __enter__(self) -> "ApiServer":
        env = {key: value for key, value in os.environ.items() if not key.startswith("KEFU_")}
        env.update({
            "DJANGO_SETTINGS_MODULE": "kefu.settings",
            # Production settings: DEBUG would keep every SQL statement in memory and slow each request.
            "KEFU_DEBUG": "0", "KEFU_SECRET_KEY": secrets.token_urlsafe(40), "KEFU_LOG_LEVEL": "WARNING",
            **{key: value for key, value in os.environ.items() if key == "KEFU_SQLITE_SYNCHRONOUS"},
            **self.env,
        })
        cmd = [sys.executable, "-m", "gunicorn", "-c", "python:kefu.gunicorn_conf", "kefu.wsgi:application",
               "--bind", f"127.0.0.1:{self.port}",
               "--workers", str(self.workers), "--worker-class", self.worker_class, "--log-level", "warning",
               "--timeout", "120"]
        self.proc = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT)  # noqa: S603
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise CommandError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.__exit__(None, None, None)
        raise CommandError(f"gunicorn did not listen on port {self.port} within {timeout:.0f}s")

    def peak_rss_mb(self) -> dict:
        """Peak resident memory (VmHWM) of the gunicorn master and each worker, read while they still run.

        getrusage(RUSAGE_CHILDREN) cannot tell: Linux carries the parent's peak into a forked child's maxrss."""
        pids = [self.proc.pid, *_children(self.proc.pid)]
        peaks = [peak for peak in (_vm_hwm_kb(pid) for pid in pids) if peak is not None]
        if not peaks:
            return {}
        # Proportional set size: the pages the workers share with the master (the preloaded application and
        # segmenter dictionary) count once across them, which is what the machine actually spends.
        pss = [p for p in (_pss_kb(pid) for pid in pids) if p is not None]
        return {"master_mb": round(peaks[0] / 1024, 1),
                "workers_mb": [round(p / 1024, 1) for p in peaks[1:]],
                "total_mb": round(sum(peaks) / 1024, 1),
                **({"workers_pss_mb": [round(p / 1024, 1) for p in pss[1:]],
                    "total_pss_mb": round(sum(pss) / 1024, 1)} if pss else {})}

    def crash(self) -> None:
        """SIGKILL the master and its workers at once, as a machine failure would (no graceful shutdown)."""
        import signal

        for pid in [*_children(self.proc.pid), self.proc.pid]:
            with contextlib.suppress(ProcessLookupError):  # a worker may be gone already
                os.kill(pid, signal.SIGKILL)
        self.proc.wait()

    def log_tail(self) -> str:
        self._log.seek(0)
        return self._log.read()[-3000:]

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: gunicorn finishes requests and waits for its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(child) for child in f.read().split()]
    except OSError:
        pass
    # Kernels without /proc/…/children: find the processes whose parent is pid.
    children = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        try:
            with open(f"/proc/{entry}/stat") as f:
                # The command name may hold spaces; the parent pid is the second field after it.
                if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                    children.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return children


def _pss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _vm_hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None
