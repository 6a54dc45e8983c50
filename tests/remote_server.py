"""A real HTTP server on 127.0.0.1 whose answers a test scripts: the remote end of a remote source.

GET /figures.csv serves `body` with an ETag (304 when the client's If-None-Match matches), unless a
behaviour is queued in `plan` (consumed one request each; `failing` repeats one for every request):
    "500"    an Internal Server Error
    "hang"   no answer until the test moves on (reset, or the server closes) or HANG_SECONDS pass:
             long past the client's timeout
    "html"   a 502 error page served as text/html
    "html200" an HTML page with status 200 (a login page, say)
    "drop"   headers promising the whole body, half of it, then the connection closed
    "plain"  the body with status 200 and no ETag, whatever the request's If-None-Match
    "redirect" a 302 to `redirect_to`
POST /hook records the JSON body of a webhook notification.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading

HANG_SECONDS = 60.0
HTML_PAGE = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>\n"


class RemoteEnd(http.server.ThreadingHTTPServer):
    """The server and what it has seen."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.body = b""
        self.plan: list[str] = []
        self.failing: str | None = None
        self.redirect_to = ""
        self.requests: list[dict] = []      # method, path and headers of every request
        self.notifications: list[dict] = []
        self.lock = threading.Lock()
        self.released = threading.Event()  # set: the requests held back by "hang" are answered

    @property
    def url(self) -> str:
        """URL of the figure sheet."""
        return f"http://127.0.0.1:{self.server_address[1]}/figures.csv"

    @property
    def hook_url(self) -> str:
        """URL of the webhook."""
        return f"http://127.0.0.1:{self.server_address[1]}/hook"

    def reset(self, body: bytes) -> None:
        """Serve `body` from now on, normally, with nothing seen yet."""
        with self.lock:
            self.released.set()
            self.released = threading.Event()
            self.body, self.plan, self.failing = body, [], None
            self.requests.clear()
            self.notifications.clear()

    def gets(self) -> list[dict]:
        """The GET requests seen."""
        return [r for r in self.requests if r["method"] == "GET"]

    def next_behaviour(self) -> str | None:
        with self.lock:
            return self.plan.pop(0) if self.plan else self.failing


class _Handler(http.server.BaseHTTPRequestHandler):
    server: RemoteEnd

    def log_message(self, format, *args) -> None:  # keep the test output quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.notifications.append(json.loads(self.rfile.read(length)))
        self._send(204, b"", "text/plain")

    def do_GET(self) -> None:
        self.server.requests.append({"method": "GET", "path": self.path, "headers": dict(self.headers)})
        behaviour = self.server.next_behaviour()
        if behaviour == "500":
            return self._send(500, b"internal error\n", "text/plain")
        if behaviour == "hang":
            self.server.released.wait(HANG_SECONDS)
            return self._send(200, self.server.body, "text/csv")
        if behaviour in ("html", "html200"):
            return self._send(502 if behaviour == "html" else 200, HTML_PAGE, "text/html; charset=utf-8")
        body = self.server.body
        if behaviour == "plain":
            return self._send(200, body, "text/csv")
        if behaviour == "redirect":
            self.send_response(302)
            self.send_header("Location", self.server.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if behaviour == "drop":
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return None
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", None, etag)
        return self._send(200, body, "text/csv; charset=utf-8", etag)

    def _send(self, status: int, body: bytes, content_type: str | None, etag: str | None = None) -> None:
        try:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if etag:
                self.send_header("ETag", etag)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            pass
