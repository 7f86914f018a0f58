"""Callback addresses: nothing that maps to a private IPv4, no control characters, and the
POST goes to the address that was checked (no DNS-rebinding window)."""

from __future__ import annotations

import ipaddress
import json
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from moderation.callbacks.models import DeliveryAttempt
from moderation.cli import build_cli
from moderation.extensions import db
from moderation.sites.models import Site
from moderation.sites.urls import CallbackUrlError, check_callback_url, is_public
from tests.helpers import payload

EMBEDDING_LOOPBACK = [
    "64:ff9b::7f00:1",  # NAT64
    "64:ff9b::a00:1",  # NAT64 to 10.0.0.1
    "64:ff9b:1::808:808",  # local-use NAT64: never public
    "2002:7f00:1::",  # 6to4
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254 (cloud metadata)
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
    "::127.0.0.1",  # IPv4-compatible
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:0:7f00:1",  # IPv4-translated
]
PUBLIC = ["8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111"]


@pytest.mark.parametrize("address", EMBEDDING_LOOPBACK)
def test_addresses_that_embed_a_private_ipv4_are_refused(address):
    assert not is_public(ipaddress.ip_address(address))
    with pytest.raises(CallbackUrlError):
        check_callback_url(f"http://[{address}]/cb", allow_private=False)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert is_public(ipaddress.ip_address(address))
    host = f"[{address}]" if ":" in address else address
    check_callback_url(f"https://{host}/cb", allow_private=False)


@pytest.mark.parametrize("address", ["64:ff9b::7f00:1", "2002:7f00:1::"])
def test_sites_add_refuses_them(app, address):
    app.config["ALLOW_PRIVATE_CALLBACKS"] = False
    args = ["sites", "add", "s", "--callback-url", f"http://[{address}]/cb"]
    result = app.test_cli_runner().invoke(build_cli(), args)
    assert result.exit_code == 1 and "private" in result.output


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/cb\r\nX-Injected: 1",
        "https://example.org/cb\n",
        "https://example.org/c\tb",
        "https://example.org/cb\x00",
        "https://example.org/cb\x7f",
        "https://example.org/cb\x85",
        "https://exa mple.org/cb",
    ],
)
@pytest.mark.parametrize("allow", [False, True])
def test_control_characters_are_refused_even_in_development(app, url, allow):
    with pytest.raises(CallbackUrlError):
        check_callback_url(url, allow_private=allow)
    app.config["ALLOW_PRIVATE_CALLBACKS"] = allow
    result = app.test_cli_runner().invoke(build_cli(), ["sites", "add", "s", "--callback-url", url])
    assert result.exit_code == 1
    assert db.session.scalar(select(Site)) is None


class Recorder:
    """A bare HTTP(S) server on one address that records the Host header of each POST."""

    def __init__(self, host: str, port: int = 0, context: ssl.SSLContext | None = None) -> None:
        self.hosts: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorder.hosts.append(self.headers.get("Host", ""))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        if context is not None:
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def dns(monkeypatch):
    """A fake resolver: ``answers[name]`` is the list of successive answers (the last sticks)."""
    real = socket.getaddrinfo
    answers: dict[str, list[str]] = {}
    asked: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(name)
        queue = answers[name]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port or 0)))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers, asked


def _deliver_to(app, site, url: str) -> DeliveryAttempt:
    found = db.session.scalar(select(Site).where(Site.slug == "demo"))
    found.callback_url = url
    db.commit()
    assert site.post(payload()).status_code == 202
    attempt = db.session.scalar(select(DeliveryAttempt).order_by(DeliveryAttempt.id.desc()))
    assert attempt is not None
    return attempt


def test_the_callback_goes_to_the_address_that_was_checked(app, site, dns):
    """DNS rebinding: public when checked, loopback a moment later; the POST must not follow."""
    answers, asked = dns
    inside = Recorder("127.0.0.1")  # what the attacker wants to reach
    outside = Recorder("127.0.0.2", inside.port)  # stands for the public address checked
    try:
        # 93.184.215.14 is public; this "network" routes it to 127.0.0.2.
        answers["rebind.test"] = ["93.184.215.14", "127.0.0.1"]
        answers["93.184.215.14"] = ["127.0.0.2"]
        app.config["ALLOW_PRIVATE_CALLBACKS"] = False
        attempt = _deliver_to(app, site, f"http://rebind.test:{inside.port}/callback")
    finally:
        inside.close()
        outside.close()
    assert inside.hosts == []
    assert attempt.error is None
    assert outside.hosts == [f"rebind.test:{inside.port}"]  # the Host header keeps the name
    assert asked.count("rebind.test") == 1


def _certificate(tmp_path: Path, name: str) -> tuple[Path, Path]:
    key, cert = tmp_path / f"{name}.key", tmp_path / f"{name}.pem"
    subject = ["-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"]
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            *subject,
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


@pytest.mark.parametrize(("served", "delivered"), [("pinned.test", True), ("other.test", False)])
def test_tls_to_a_pinned_address_checks_the_certificate_for_the_name(
    app, site, dns, tmp_path, monkeypatch, served, delivered
):
    answers, _ = dns
    key, cert = _certificate(tmp_path, served)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)  # type: ignore[assignment, misc, return-value]
    server = Recorder("127.0.0.1", context=context)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    answers["pinned.test"] = ["127.0.0.1"]
    try:
        attempt = _deliver_to(app, site, f"https://pinned.test:{server.port}/callback")
    finally:
        server.close()
    assert (attempt.error is None) is delivered, attempt.error
    assert names and set(names) == {"pinned.test"}  # SNI names the host, not the address
    assert server.hosts == ([f"pinned.test:{server.port}"] if delivered else [])


def test_moderators_see_that_the_site_did_not_answer_admins_see_why(app, site, receiver):
    from moderation.accounts.service import add_user

    receiver.close()  # nobody listens: the attempt's error names the host and the port
    assert site.post(payload()).status_code == 202
    _, moderator = add_user(db.session, name="mod", role="moderator")
    _, admin = add_user(db.session, name="boss", role="admin")
    db.commit()
    path = "/v1/comments/demo/c-1/history"

    def errors(token: str) -> list[Any]:
        got = site.client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert got.status_code == 200, got.json
        return [a["error"] for c in got.json["callbacks"] for a in c["attempts"]]

    assert errors(moderator) == ["the site did not answer"]
    (detail,) = errors(admin)
    assert "127.0.0.1" in detail and str(receiver.port) in detail
    assert json.dumps(errors(moderator)).find("127.0.0.1") == -1
