"""A real HTTP server for the REST ingest tests (no metrikk code involved).

It listens on a free port on 127.0.0.1 in a thread and answers each path with scripted answers,
in order, the last one repeating: a status, a body (JSON, or raw bytes sent as they are), and a
delay before answering (longer than the client's timeout, to test timeouts). It records every
request's path and headers, so tests can check what the client sent and how often it tried.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: Any = None  # JSON-serialisable, or bytes sent as they are
    delay: float = 0.0  # seconds before answering


@dataclass
class Request:
    path: str
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case


class RestServer:
    """`with RestServer() as server: server.route("/a", Answer(500), Answer(200, [...]))`."""

    def __init__(self) -> None:
        self._routes: dict[str, list[Answer]] = {}
        self._served: dict[str, int] = defaultdict(int)
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                with server._lock:
                    server.requests.append(
                        Request(self.path, {k.lower(): v for k, v in self.headers.items()})
                    )
                    answers = server._routes.get(self.path)
                    n = server._served[self.path]
                    server._served[self.path] += 1
                answer = (
                    answers[min(n, len(answers) - 1)]
                    if answers
                    else Answer(404, {"message": "Not Found"})
                )
                if answer.delay:
                    time.sleep(answer.delay)
                body = answer.body
                raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, path: str, *answers: Answer) -> None:
        with self._lock:
            self._routes[path] = list(answers)
            self._served[path] = 0

    def count(self, path: str) -> int:
        """How many requests for `path` arrived."""
        with self._lock:
            return sum(1 for r in self.requests if r.path == path)

    def __enter__(self) -> RestServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
