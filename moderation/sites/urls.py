"""Callback URL checks: no requests to loopback or private ranges unless allowed (SSRF).

Registration checks the URL's form and any literal address; a host name is resolved
and checked again before every delivery, since its addresses can change at any time.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

PRIVATE = (
    "Callback URL points at a private or loopback address "
    "(set MODERATION_ALLOW_PRIVATE_CALLBACKS=1 for development)."
)


class CallbackUrlError(ValueError):
    """The callback URL is malformed or points somewhere we refuse to call."""


class CallbackHostUnresolved(CallbackUrlError):
    """The callback host has no address right now (no DNS, or no such name yet)."""


def check_callback_url(url: str, *, allow_private: bool, resolve: bool = True) -> None:
    """Raise ``CallbackUrlError`` unless ``url`` is an http(s) URL to a public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CallbackUrlError("Callback URL must be an absolute http or https URL.")
    if parts.username or parts.password:
        raise CallbackUrlError("Callback URL must not carry credentials.")
    if allow_private:
        return
    literal = _literal_address(parts.hostname)
    if literal is not None:
        _refuse_private([literal])
    elif resolve:
        _refuse_private(_resolve(parts.hostname, parts.port or 443))


def _literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise CallbackHostUnresolved(f"Callback host does not resolve: {host}") from exc
    return [ipaddress.ip_address(info[4][0]) for info in infos]


def _refuse_private(addresses: list[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> None:
    if not all(address.is_global for address in addresses):
        raise CallbackUrlError(PRIVATE)
