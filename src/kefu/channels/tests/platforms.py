"""Stand-ins on loopback for what cannot exist here: the WeChat / WeCom API and a shop system's reply URL.
Each checks every request against the platform's documented format and records what was wrong."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

APP_ID, APP_SECRET = "wx1234567890abcdef", "s3cr3t-app"
CORP_ID, CORP_SECRET, AGENT_ID = "ww0123456789abcdef", "corp-s3cr3t", "1000002"


class Platform:
    """Answers like api.weixin.qq.com / qyapi.weixin.qq.com; `answers` queues errcodes for the next sends."""

    def __init__(self):
        self.requests: list[dict] = []
        self.problems: list[str] = []
        self.answers: list[int] = []
        self.tokens_issued = 0
        self.token = ""
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def _issue(self, query: dict) -> dict:
        if "/cgi-bin/gettoken" in query["_path"]:
            if (query.get("corpid"), query.get("corpsecret")) != (CORP_ID, CORP_SECRET):
                return {"errcode": 40013, "errmsg": "invalid corpid"}
        elif query.get("grant_type") != "client_credential" or (query.get("appid"), query.get("secret")) != (
                APP_ID, APP_SECRET):
            self.problems.append(f"token request: {query}")
            return {"errcode": 40013, "errmsg": "invalid appid"}
        self.tokens_issued += 1
        self.token = f"TOKEN-{self.tokens_issued}"
        return {"access_token": self.token, "expires_in": 7200}

    def _send(self, path: str, query: dict, headers: dict, body: bytes) -> dict:
        if query.get("access_token") != self.token:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        if "application/json" not in headers.get("Content-Type", ""):
            self.problems.append("send without JSON content type")
        data = json.loads(body.decode("utf-8"))
        if data.get("msgtype") != "text" or not isinstance(data.get("text", {}).get("content"), str):
            self.problems.append(f"send body not a text message: {data}")
        if not data.get("touser"):
            self.problems.append("send without touser")
        if path.endswith("/message/send") and str(data.get("agentid")) != AGENT_ID:
            self.problems.append(f"WeCom send without the agentid: {data}")
        with self.lock:
            code = self.answers.pop(0) if self.answers else 0
        return {"errcode": code, "errmsg": "ok" if code == 0 else "error", "msgid": 5000 + len(self.requests)}

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, data: dict):
                out = json.dumps(data).encode()
                self.send_response(200)  # the platform answers errors in the JSON with HTTP 200
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def _query(self):
                parsed = urllib.parse.urlparse(self.path)
                return parsed.path, {k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()}

            def do_GET(self):  # noqa: N802
                path, query = self._query()
                query["_path"] = path
                with platform.lock:
                    platform.requests.append({"method": "GET", "path": path, "query": query})
                self._answer(platform._issue(query))

            def do_POST(self):  # noqa: N802
                path, query = self._query()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with platform.lock:
                    platform.requests.append({"method": "POST", "path": path, "query": query,
                                              "json": json.loads(body or b"{}")})
                self._answer(platform._send(path, query, dict(self.headers.items()), body))

            def log_message(self, *args):
                pass

        return Handler


class ReplyReceiver:
    """A shop system's reply URL: keeps each POST with its headers; answers `status`."""

    def __init__(self):
        self.posts: list[tuple[dict, bytes]] = []
        self.status = 200
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/kefu/replies"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.posts.append((dict(self.headers.items()), body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        return Handler
