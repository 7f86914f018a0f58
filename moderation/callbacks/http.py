"""Keep-alive to each site, connected to the address that was checked.

A new TCP (and TLS) connection for every callback cost more than the POST itself, so
there is one HTTP session per site origin, per process and thread: built lazily, so each
prefork child opens its own connections (a socket inherited across ``fork`` would be
shared by two processes), and per thread, since a ``requests.Session`` is not documented
as thread-safe.

The host is resolved once, by the URL check, and the POST goes to that address with the
host name kept for the ``Host`` header, TLS SNI and the certificate check: resolving it
again when connecting would let a DNS answer changed in between (rebinding) send the
callback to an address that was never checked.
"""

from __future__ import annotations

import ipaddress
import os
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from flask import Flask, current_app
from requests.adapters import HTTPAdapter

from moderation.sites.urls import Address


@dataclass(frozen=True)
class Pinned:
    """Where a callback goes: the URL with the checked address in place of the host."""

    url: str
    host: str  # the Host header: the URL's own host[:port]
    hostname: str  # for SNI and the certificate


def pin(url: str, address: Address | None) -> Pinned:
    """``url`` sent to ``address`` (``None``: as it is, e.g. a literal address)."""
    parts = urlsplit(url)
    hostname = parts.hostname or ""
    if address is None or _same(hostname, address):
        return Pinned(url, parts.netloc, hostname)
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = literal + (f":{parts.port}" if parts.port else "")
    return Pinned(urlunsplit(parts._replace(netloc=netloc)), parts.netloc, hostname)


def _same(hostname: str, address: Address) -> bool:
    try:
        return ipaddress.ip_address(hostname) == address
    except ValueError:
        return False


class HostnameAdapter(HTTPAdapter):
    """Connects where the URL says but verifies TLS (SNI, certificate) for ``hostname``."""

    def __init__(self, hostname: str) -> None:
        self.hostname = hostname
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        # urllib3 drops both for plain http pools.
        kwargs.update(server_hostname=self.hostname, assert_hostname=self.hostname)
        super().init_poolmanager(*args, **kwargs)


class SiteSessions:
    """``requests.Session`` objects by site origin and the address it connects to."""

    def __init__(self) -> None:
        self._local = threading.local()

    def for_pinned(self, pinned: Pinned) -> requests.Session:
        """The session for ``pinned`` in this process and thread."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.pid, local.sessions = os.getpid(), {}
        parts = urlsplit(pinned.url)
        key = (parts.scheme, parts.netloc, pinned.hostname)
        sessions: dict[tuple[object, ...], requests.Session] = local.sessions
        session = sessions.get(key)
        if session is None:
            session = sessions[key] = requests.Session()
            session.mount("https://", HostnameAdapter(pinned.hostname))
        return session

    def for_url(self, url: str) -> requests.Session:
        """The session for ``url`` sent as it is."""
        return self.for_pinned(pin(url, None))

    def close(self) -> None:
        """Close this thread's sessions and their connections."""
        for session in getattr(self._local, "sessions", {}).values():
            session.close()
        self._local.sessions = {}


def init_http(app: Flask) -> None:
    """The app's callback sessions."""
    app.extensions["callback_http"] = SiteSessions()


def site_session(pinned: Pinned) -> requests.Session:
    """The current app's session for ``pinned``."""
    sessions: SiteSessions = current_app.extensions["callback_http"]
    return sessions.for_pinned(pinned)
