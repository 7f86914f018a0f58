"""Keep-alive to each site: callbacks to one site share a connection."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from moderation.callbacks.http import SiteSessions


class _Counting(ThreadingHTTPServer):
    connections = 0

    def get_request(self):  # type: ignore[no-untyped-def]
        self.connections += 1
        return super().get_request()


class _KeepAlive(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Counting]:
    httpd = _Counting(("127.0.0.1", 0), _KeepAlive)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_posts_to_one_site_reuse_one_connection(server):
    sessions = SiteSessions()
    url = f"http://127.0.0.1:{server.server_address[1]}/callback"
    for _ in range(5):
        assert sessions.for_url(url).post(url, data=b"{}", timeout=5).status_code == 200
    assert server.connections == 1
    sessions.close()


def test_each_origin_process_and_thread_has_its_own_session():
    sessions = SiteSessions()
    a = sessions.for_url("https://a.example/cb")
    assert sessions.for_url("https://a.example/other") is a
    assert sessions.for_url("https://b.example/cb") is not a
    assert sessions.for_url("https://a.example:8443/cb") is not a
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(sessions.for_url("https://a.example/")))
    thread.start()
    thread.join()
    assert other[0] is not a
    sessions._local.pid = -1  # as in a child forked after the session was made
    assert sessions.for_url("https://a.example/cb") is not a
