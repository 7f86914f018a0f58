"""Who may read ``/metrics``: the bearer token and/or allowed networks; by default loopback only."""

from __future__ import annotations

import functools
import hmac
import ipaddress
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import current_app, request

from moderation.api import Access
from moderation.errors import ApiError

F = TypeVar("F", bound=Callable[..., Any])
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


def metrics_access(view: F) -> F:
    """Refuse the request unless ``METRICS_ALLOW`` and ``METRICS_TOKEN`` (when set) allow it.

    With neither set, only a loopback client may read it, and not one that relays for
    others (a proxy on the same host, ``MODERATION_PROXIES`` unset).
    """

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        allow, token = current_app.config["METRICS_ALLOW"], current_app.config["METRICS_TOKEN"]
        if not allow and not token and not _local():
            raise ApiError(
                403,
                "forbidden",
                "/metrics answers loopback only, unless MODERATION_METRICS_TOKEN or"
                " MODERATION_METRICS_ALLOW is set.",
            )
        if allow and not address_allowed(request.remote_addr, allow):
            raise ApiError(403, "forbidden", "This client address may not read /metrics.")
        if token and not token_matches(request.headers.get("Authorization", ""), token):
            raise ApiError(
                401,
                "unauthorized",
                "/metrics needs the bearer token set in MODERATION_METRICS_TOKEN.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


METRICS = Access("metrics", metrics_access)


def _local() -> bool:
    proxied = not current_app.config["PROXIES"] and (
        "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
    )
    return not proxied and address_allowed(request.remote_addr, LOOPBACK)


def address_allowed(address: str | None, networks: Iterable[Network]) -> bool:
    """Whether the client address lies in one of the networks (an unknown address never does)."""
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    # An IPv4 client seen through an IPv6 socket (::ffff:10.0.0.1) is that IPv4 address.
    if isinstance(client, ipaddress.IPv6Address) and client.ipv4_mapped:
        client = client.ipv4_mapped
    return any(client in network for network in networks)


def token_matches(header: str, token: str) -> bool:
    """Whether ``Authorization`` carries ``Bearer <token>`` (compared in constant time)."""
    scheme, _, offered = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        offered.strip().encode(), token.encode()
    )
