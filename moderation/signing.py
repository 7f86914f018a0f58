"""HMAC-SHA256 request signing, shared by intake (verify) and callbacks (sign). SPEC §3."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

TIMESTAMP_HEADER = "X-Moderation-Timestamp"
SIGNATURE_HEADER = "X-Moderation-Signature"
DELIVERY_HEADER = "X-Moderation-Delivery"
VALUE = re.compile(r"(v2|sha256)=[0-9a-fA-F]{64}")
TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: str.isdigit() accepts "²"
FORMAT = (
    'Signature must be v2=<hex HMAC-SHA256 of "{timestamp}.{METHOD}.{target}.{body}">, '
    "target being the path and query string as sent, comma-separated if several."
)

CORAL_HEADER = "X-Coral-Signature"
CORAL_FORMAT = (
    "X-Coral-Signature must be sha256=<hex HMAC-SHA256 of the raw body> with the phase's "
    "signing secret, comma-separated if several."
)


class SignatureError(Exception):
    """The request's signature or timestamp is missing, stale or wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def signed_bytes(timestamp: str, method: str, target: str, body: bytes) -> bytes:
    """The bytes a ``v2=`` value signs: ``{timestamp}.{METHOD}.{target}.{body}``."""
    return f"{timestamp}.{method.upper()}.{target}.".encode() + body


def sign(secret: str, timestamp: str, method: str, target: str, body: bytes = b"") -> str:
    """The ``v2=`` signature value for one secret."""
    digest = hmac.new(
        secret.encode(), signed_bytes(timestamp, method, target, body), hashlib.sha256
    )
    return "v2=" + digest.hexdigest()


def sign_legacy(secret: str, timestamp: str, body: bytes) -> str:
    """The deprecated ``sha256=`` value over ``{timestamp}.{body}`` (binds no method, no query)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signature_headers(secret: str, method: str, target: str, body: bytes = b"") -> dict[str, str]:
    """Headers for a request sent now: ``target`` is its path and query exactly as sent."""
    timestamp = str(int(time.time()))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, method, target, body),
    }


def url_headers(secret: str, method: str, url: str, body: bytes = b"") -> dict[str, str]:
    """Headers for a request to a full URL (already percent-encoded) sent now."""
    return signature_headers(secret, method, url_target(url), body)


def url_target(url: str) -> str:
    """The request target of a percent-encoded URL: its path (``/`` if none) and query."""
    parts = urlsplit(url)
    return (parts.path or "/") + ("?" + parts.query if parts.query else "")


def verify(
    secrets: Iterable[str],
    *,
    timestamp: str | None,
    signature: str | None,
    method: str,
    target: str,
    body: bytes,
    legacy: bool = False,
    tolerance: int = 300,
    now: float | None = None,
) -> None:
    """Raise ``SignatureError`` unless one value matches one secret in time.

    ``legacy`` also accepts the deprecated ``sha256=`` form, and only for a request with a
    body: without one it signed the path alone, so a GET replayed as a DELETE passed.
    """
    if not timestamp or not signature:
        raise SignatureError("missing_signature", "Signature and timestamp headers are required.")
    if not TIMESTAMP.fullmatch(timestamp):
        raise SignatureError("invalid_timestamp", "Timestamp must be Unix seconds.")
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        raise SignatureError("stale_timestamp", f"Timestamp is more than {tolerance} s from now.")
    secrets = list(secrets)
    expected = [sign(secret, timestamp, method, target, body) for secret in secrets]
    if legacy and body:
        expected += [sign_legacy(secret, timestamp, body) for secret in secrets]
    check_values(signature, expected, FORMAT)


def check_values(signature: str, expected: Iterable[str], form: str) -> None:
    """Raise ``SignatureError`` unless one offered value is one of ``expected``."""
    offered = [v.strip().lower() for v in signature.split(",") if VALUE.fullmatch(v.strip())][:8]
    if not offered:
        raise SignatureError("malformed_signature", form)
    # Compare every pair so timing reveals nothing about which one matched.
    matched = False
    for value in offered:
        for candidate in expected:
            matched |= hmac.compare_digest(value.encode(), candidate.encode())
    if not matched:
        raise mismatch()


def verify_body(secrets: Iterable[str], *, signature: str | None, body: bytes) -> None:
    """Coral's scheme: ``sha256=`` + hex HMAC-SHA256 of the raw body alone (no timestamp)."""
    if not signature:
        raise SignatureError("missing_signature", "The X-Coral-Signature header is required.")
    expected = ["sha256=" + hmac.new(s.encode(), body, hashlib.sha256).hexdigest() for s in secrets]
    check_values(signature, expected, CORAL_FORMAT)


def mismatch() -> SignatureError:
    """The error for a well-formed signature made with no valid secret."""
    return SignatureError("invalid_signature", "Signature does not match.")


def request_target(environ: Mapping[str, Any]) -> str:
    """The path and query string exactly as the client sent them (the request line's target).

    Gunicorn puts it in ``RAW_URI``, Werkzeug and uWSGI in ``REQUEST_URI``; Flask's
    ``full_path`` is not it (it decodes the path and adds ``?`` without a query).
    """
    raw = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or "")
    if raw.startswith(("http://", "https://")):  # absolute form: keep the path and query
        after = raw.split("://", 1)[1]
        raw = "/" + after.split("/", 1)[1] if "/" in after else "/"
    if raw:
        return raw
    path = quote(str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", "")))
    query = str(environ.get("QUERY_STRING", ""))
    return path + ("?" + query if query else "")
