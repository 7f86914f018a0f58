"""Callback URL checks: no requests to loopback or private ranges unless allowed (SSRF).

Registration checks the URL's form and any literal address; a host name is resolved
and checked again before every delivery, since its addresses can change at any time,
and the delivery connects to the address that was checked (``callbacks/http.py``).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

PRIVATE = (
    "Callback URL points at a private or loopback address "
    "(set MODERATION_ALLOW_PRIVATE_CALLBACKS=1 for development)."
)
#: C0 controls, DEL and C1 controls: never in a URL we send (CR/LF would split headers).
CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix: embeds any IPv4
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # local-use translators (RFC 8215)
TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # SIIT's IPv4-translated addresses
COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated IPv4-compatible ::a.b.c.d

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class CallbackUrlError(ValueError):
    """The callback URL is malformed or points somewhere we refuse to call."""


class CallbackHostUnresolved(CallbackUrlError):
    """The callback host has no address right now (no DNS, or no such name yet)."""


def check_callback_url(url: str, *, allow_private: bool, resolve: bool = True) -> list[Address]:
    """Raise ``CallbackUrlError`` unless ``url`` is an http(s) URL to a public address.

    Returns the addresses checked (the literal one, or the host's as resolved now; none
    when private addresses are allowed or ``resolve`` is off): connect to one of these.
    """
    if CONTROL.search(url):
        raise CallbackUrlError("Callback URL must not contain spaces or control characters.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CallbackUrlError("Callback URL must be an absolute http or https URL.")
    if parts.username or parts.password:
        raise CallbackUrlError("Callback URL must not carry credentials.")
    literal = _literal_address(parts.hostname)
    if literal is not None:
        found = [literal]
    elif resolve:
        found = _resolve(parts.hostname, parts.port or 443)
    else:
        return []
    if not allow_private and not all(is_public(address) for address in found):
        raise CallbackUrlError(PRIVATE)
    return found


def is_public(address: Address) -> bool:
    """Globally routable, and so is every IPv4 address it maps to (NAT64, 6to4, Teredo...)."""
    if not address.is_global:
        return False
    if isinstance(address, ipaddress.IPv4Address):
        return True
    if address in NAT64_LOCAL:
        return False
    embedded = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if address in NAT64 or address in TRANSLATED or address in COMPATIBLE:
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return all(v4.is_global for v4 in embedded if v4 is not None)


def _literal_address(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise CallbackHostUnresolved(f"Callback host does not resolve: {host}") from exc
    # An IPv6 zone ("fe80::1%eth0") is not part of the address.
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
