"""Callback URL checks: no requests to loopback or private ranges unless allowed (SSRF)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class CallbackUrlError(ValueError):
    """The callback URL is malformed or points somewhere we refuse to call."""


def check_callback_url(url: str, *, allow_private: bool, resolve: bool = True) -> None:
    """Raise ``CallbackUrlError`` unless ``url`` is an http(s) URL to a public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CallbackUrlError("Callback URL must be an absolute http or https URL.")
    if parts.username or parts.password:
        raise CallbackUrlError("Callback URL must not carry credentials.")
    if allow_private or not resolve:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise CallbackUrlError(f"Callback host does not resolve: {parts.hostname}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise CallbackUrlError(
                "Callback URL points at a private or loopback address "
                "(set MODERATION_ALLOW_PRIVATE_CALLBACKS=1 for development)."
            )
