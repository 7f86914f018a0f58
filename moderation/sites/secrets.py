"""Site secrets at rest: encrypted with the service key (HMAC needs the secret itself)."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet
from flask import current_app

#: A secret nobody holds: an unknown site (or one without the secret asked for) is checked
#: against it, so it fails exactly as a wrong signature does and names cannot be probed.
NOBODYS_SECRET = secrets.token_urlsafe(32)


def new_secret() -> str:
    """A fresh site secret (256 bits, URL-safe)."""
    return "whsec_" + secrets.token_urlsafe(32)


def _load_or_create_key_file(path: Path) -> str:
    # Embedded default only: production sets MODERATION_SECRET_KEY on every host.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def service_key() -> str:
    """The service key: ``MODERATION_SECRET_KEY``, or the embedded key file's."""
    return current_app.config["SECRET_KEY"] or _load_or_create_key_file(
        Path(current_app.config["SECRET_KEY_FILE"])
    )


def _fernet() -> Fernet:
    cached = current_app.extensions.get("secret_box")
    if cached is None:
        key = service_key()
        derived = base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest())
        cached = current_app.extensions["secret_box"] = Fernet(derived)
    return cached


def encrypt(secret: str) -> str:
    """Encrypt a site secret for storage."""
    return _fernet().encrypt(secret.encode()).decode()


def nobodys_token() -> str:
    """``NOBODYS_SECRET`` encrypted with this app's key: an unknown site decrypts it.

    So an unknown site costs what a known one does (one decryption, one HMAC) and its
    name cannot be told from a real one by timing.
    """
    token: str | None = current_app.extensions.get("nobodys_token")
    if token is None:
        token = current_app.extensions["nobodys_token"] = encrypt(NOBODYS_SECRET)
    return token


def decrypt(token: str) -> str:
    """Decrypt a stored site secret."""
    return _fernet().decrypt(token.encode()).decode()
