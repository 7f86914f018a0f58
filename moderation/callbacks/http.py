"""Keep-alive to each site: one HTTP session per site origin, per process and thread.

A new TCP (and TLS) connection for every callback cost more than the POST itself.
Sessions are built lazily, so each prefork child opens its own connections (a socket
inherited across ``fork`` would be shared by two processes), and per thread, since a
``requests.Session`` is not documented as thread-safe.
"""

from __future__ import annotations

import os
import threading
from urllib.parse import urlsplit

import requests
from flask import Flask, current_app


class SiteSessions:
    """``requests.Session`` objects by site origin (scheme, host, port)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def for_url(self, url: str) -> requests.Session:
        """The session for ``url``'s origin in this process and thread."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.pid, local.sessions = os.getpid(), {}
        parts = urlsplit(url)
        origin = (parts.scheme, parts.hostname, parts.port)
        sessions: dict[tuple[object, ...], requests.Session] = local.sessions
        session = sessions.get(origin)
        if session is None:
            session = sessions[origin] = requests.Session()
        return session

    def close(self) -> None:
        """Close this thread's sessions and their connections."""
        for session in getattr(self._local, "sessions", {}).values():
            session.close()
        self._local.sessions = {}


def init_http(app: Flask) -> None:
    """The app's callback sessions."""
    app.extensions["callback_http"] = SiteSessions()


def site_session(url: str) -> requests.Session:
    """The current app's session for ``url``."""
    sessions: SiteSessions = current_app.extensions["callback_http"]
    return sessions.for_url(url)
