"""API keys for Perspective-compatible clients: issued once, stored as SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from moderation.db import utcnow
from moderation.perspective.models import ApiKey
from moderation.sites.models import Site
from moderation.sites.service import SiteError, get_site

PREFIX = "pk_"
# Built once: every scoring call runs it, and building the expression costs more than the query.
_LIVE_KEY = (
    select(ApiKey, Site)
    .join(Site, Site.id == ApiKey.site_id)
    .where(ApiKey.key_hash == bindparam("key_hash"), ApiKey.revoked_at.is_(None))
)


def _hash(key: str) -> str:
    # Keys carry 256 random bits, so a plain SHA-256 is as good as a slow hash here.
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def add_key(session: Session, *, slug: str) -> str:
    """Issue a key for a site; the caller shows it once (only its hash is kept)."""
    site = _site(session, slug)
    key = PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(site_id=site.id, key_hash=_hash(key)))
    session.flush()
    return key


def revoke_key(session: Session, *, slug: str, key: str) -> None:
    """Revoke one of a site's keys at once."""
    site = _site(session, slug)
    found = session.scalar(
        select(ApiKey).where(ApiKey.site_id == site.id, ApiKey.key_hash == _hash(key))
    )
    if found is None:
        raise SiteError(f"Site {slug!r} has no such key.")
    found.revoked_at = found.revoked_at or utcnow()
    session.flush()


def find_key(session: Session, key: str | None) -> tuple[ApiKey, Site] | None:
    """The live key and its site for a ``?key=`` value, None when unknown or revoked."""
    if not key or not key.startswith(PREFIX):
        return None
    row = session.execute(_LIVE_KEY, {"key_hash": _hash(key)}).first()
    return (row[0], row[1]) if row else None


def _site(session: Session, slug: str) -> Site:
    site = get_site(session, slug)
    if site is None:
        raise SiteError(f"No site {slug!r}.")
    return site


def sites_with_keys(session: Session) -> list[tuple[Site, int]]:
    """Every site, oldest first, with the number of its keys not revoked."""
    live = func.count(ApiKey.id).filter(ApiKey.revoked_at.is_(None))
    rows = session.execute(
        select(Site, live)
        .outerjoin(ApiKey, ApiKey.site_id == Site.id)
        .group_by(Site.id)
        .order_by(Site.created_at, Site.id)
    ).all()
    return [(site, int(count)) for site, count in rows]
