"""A local HTTP server for the source tests: it replays recorded responses, or misbehaves on purpose.

Bound to 127.0.0.1 on a free port, in a thread, for the length of a `with` block. Each test gives
it a function from the request (path and query) to a `Reply`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import yaml

from bot.sources.http import HttpClient


@dataclass
class Request:
    """What the server was asked."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class Reply:
    """What the server answers: a status, a body, headers, and a delay before answering."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Route = Callable[[Request], Reply]


@dataclass
class Server:
    """The running server: its base URL and the requests it has seen, in order."""

    url: str
    requests: list[Request]


@contextmanager
def serve(route: Route) -> Iterator[Server]:
    """Run a server answering every GET with `route(request)`."""
    seen: list[Request] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            request = Request(
                path=parts.path,
                query={k: v[0] for k, v in parse_qs(parts.query).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
            )
            seen.append(request)
            reply = route(request)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting: that is what a timeout test wants

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # A short poll interval: shutdown() waits up to one interval, and every test shuts a server down.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield Server(url=f"http://127.0.0.1:{server.server_port}", requests=seen)
    finally:
        server.shutdown()
        server.server_close()


def fast_client(**overrides: float) -> HttpClient:
    """A client whose waits are tiny, so retry tests take milliseconds."""
    options: dict[str, float] = {
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "retries": 3,
        "backoff_factor": 0.01,
        "backoff_max": 0.05,
        "retry_after_cap": 0.2,
    }
    options.update(overrides)
    return HttpClient(
        "lab-admin@example.org",
        connect_timeout=options["connect_timeout"],
        read_timeout=options["read_timeout"],
        retries=int(options["retries"]),
        backoff_factor=options["backoff_factor"],
        backoff_max=options["backoff_max"],
        retry_after_cap=options["retry_after_cap"],
    )


def cassette_bodies(path: str) -> list[tuple[str, bytes]]:
    """(request URI, response body) of each interaction in a recorded VCR cassette."""
    with open(path, encoding="utf-8") as handle:
        cassette = yaml.safe_load(handle)
    out = []
    for interaction in cassette["interactions"]:
        response = interaction["response"]
        body = response.get("content")
        if body is None:
            body = response["body"]["string"]
        out.append((interaction["request"]["uri"], body.encode("utf-8")))
    return out
