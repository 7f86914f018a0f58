"""HMAC-SHA256 request signing, shared by intake (verify) and callbacks (sign). SPEC §3."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Iterable

TIMESTAMP_HEADER = "X-Moderation-Timestamp"
SIGNATURE_HEADER = "X-Moderation-Signature"
DELIVERY_HEADER = "X-Moderation-Delivery"
VALUE = re.compile(r"sha256=[0-9a-fA-F]{64}")
FORMAT = (
    'Signature must be sha256=<hex HMAC-SHA256 of "{timestamp}.{body}"> '
    '(of "{timestamp}.{path}" for a request without a body), comma-separated if several.'
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


def signed_bytes(timestamp: str, body: bytes, path: str) -> bytes:
    """The bytes that are signed: ``{timestamp}.{body}``, or ``{timestamp}.{path}`` with no body."""
    return timestamp.encode() + b"." + (body if body else path.encode())


def sign(secret: str, timestamp: str, body: bytes, path: str = "") -> str:
    """The signature header value for one secret."""
    digest = hmac.new(secret.encode(), signed_bytes(timestamp, body, path), hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signature_headers(secret: str, body: bytes, path: str = "") -> dict[str, str]:
    """Headers for a signed request sent now."""
    timestamp = str(int(time.time()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, body, path)}


def verify(
    secrets: Iterable[str],
    *,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    path: str,
    tolerance: int = 300,
    now: float | None = None,
) -> None:
    """Raise ``SignatureError`` unless one signature value matches one secret in time."""
    if not timestamp or not signature:
        raise SignatureError("missing_signature", "Signature and timestamp headers are required.")
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise SignatureError("invalid_timestamp", "Timestamp must be Unix seconds.")
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        raise SignatureError("stale_timestamp", f"Timestamp is more than {tolerance} s from now.")
    expected = [sign(secret, timestamp, body, path) for secret in secrets]
    check_values(signature, expected, FORMAT)


def check_values(signature: str, expected: Iterable[str], form: str) -> None:
    """Raise ``SignatureError`` unless one offered ``sha256=`` value is one of ``expected``."""
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
