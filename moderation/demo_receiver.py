"""The demo's callback endpoint on loopback: verifies signatures and keeps what arrived."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from moderation.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, SignatureError, verify

DELIVERY_HEADER = "X-Moderation-Delivery"


class Receiver:
    """A real HTTP server that verifies signed callbacks and records the accepted ones."""

    def __init__(self, secrets: Iterable[str] = (), port: int = 0, check: bool = True) -> None:
        self.secrets = list(secrets)
        self.check = check  # False: accept unsigned callbacks (benchmarks)
        self.port = port
        self.lock = threading.Condition()
        self.received: list[dict[str, Any]] = []  # every callback answered 2xx, in order
        self.rejected: list[str] = []  # bad signatures and malformed bodies
        self.truncated = 0  # bodies shorter than their Content-Length (the sender died)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The callback URL to register for a site."""
        return f"http://127.0.0.1:{self.port}/callback"

    def listen(self) -> None:
        """Start serving (on the same port as before, if any)."""
        server = None
        for _ in range(50):  # the old socket may linger a moment
            try:
                server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
                break
            except OSError:
                time.sleep(0.1)
        if server is None:
            raise RuntimeError(f"callback receiver cannot listen on port {self.port}")
        self._server, self.port = server, int(server.server_address[1])
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop listening: connections are refused."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def handle(self, headers: dict[str, str], body: bytes, path: str) -> int:
        """Verify and record one callback; the HTTP status to answer."""
        try:
            data = self.parse(headers, body, path)
        except SignatureError as exc:
            return self.reject(exc.code, 401)
        except ValueError:
            return self.reject("malformed", 400)
        self.record(data)
        return 204

    def parse(self, headers: dict[str, str], body: bytes, path: str) -> dict[str, Any]:
        """The callback's body with its delivery id and raw form; raises if unsigned or bad."""
        if self.check:
            verify(
                self.secrets,
                timestamp=headers.get(TIMESTAMP_HEADER),
                signature=headers.get(SIGNATURE_HEADER),
                method="POST",
                target=path,  # the request line's target, as the service signed it
                body=body,
            )
        parsed = json.loads(body)
        if not isinstance(parsed, dict):
            raise ValueError("callback body is not an object")
        return {"delivery": headers.get(DELIVERY_HEADER), "headers": headers, "raw": body, **parsed}

    def reject(self, why: str, status: int) -> int:
        """Note a refused callback; the status to answer."""
        with self.lock:
            self.rejected.append(why)
        return status

    def record(self, data: dict[str, Any]) -> None:
        """Keep an accepted callback and wake whoever waits for it."""
        with self.lock:
            self.received.append(data)
            self.lock.notify_all()

    def wait_for(self, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
        """Block until ``count`` callbacks were accepted; return those received so far."""
        with self.lock:
            self.lock.wait_for(lambda: len(self.received) >= count, timeout=timeout)
            return list(self.received)

    def __enter__(self) -> Receiver:
        self.listen()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    """The request handler class bound to ``receiver``."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            if len(body) < length:  # the sender died mid-request (a killed worker)
                with receiver.lock:
                    receiver.truncated += 1
                return
            status = receiver.handle(dict(self.headers), body, self.path)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler
