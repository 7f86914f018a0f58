"""Creating sites, rotating their secrets, and reading the secrets valid now."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.db import on_commit, utcnow
from moderation.exceptions import Invalid, NotFound
from moderation.localtime import check_zone
from moderation.sites import secrets
from moderation.sites.models import Site
from moderation.sites.urls import CallbackHostUnresolved, check_callback_url

log = logging.getLogger(__name__)
#: Changes to sites, logged once committed: who, which site, what was and what is.
audit = logging.getLogger("moderation.audit.sites")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class SiteError(Invalid):
    """A site command was given bad input."""


def get_site(session: Session, slug: str) -> Site | None:
    """The site with this slug, if any."""
    return session.scalar(select(Site).where(Site.slug == slug))


def get_site_or_404(session: Session, slug: str) -> Site:
    """The site with this slug, or ``NotFound``."""
    site = get_site(session, slug)
    if site is None:
        raise NotFound(f"No site {slug!r}.")
    return site


def add_site(
    session: Session, *, slug: str, callback_url: str, warn: Callable[[str], None] = log.warning
) -> tuple[Site, str]:
    """Create a site; return it with its secret (shown once, stored encrypted)."""
    if not SLUG.match(slug):
        raise SiteError("Slug must be lowercase letters, digits, '-' or '_' (max 64).")
    if get_site(session, slug) is not None:
        raise SiteError(f"Site {slug!r} already exists.")
    check_new_callback_url(callback_url, warn=warn)
    secret = secrets.new_secret()
    site = Site(slug=slug, callback_url=callback_url, secret_enc=secrets.encrypt(secret))
    session.add(site)
    session.flush()
    return site, secret


def set_callback(
    session: Session,
    *,
    slug: str,
    callback_url: str,
    actor: str,
    warn: Callable[[str], None] = log.warning,
) -> tuple[Site, str]:
    """Point a site's callbacks at a new URL, checked as ``add_site`` checks it; audited."""
    site = get_site(session, slug)
    if site is None:
        raise SiteError(f"No site {slug!r}.")
    check_new_callback_url(callback_url, warn=warn)
    previous, site.callback_url = site.callback_url, callback_url
    session.flush()
    change = {"site": slug, "actor": actor, "previous": previous, "callback_url": callback_url}
    on_commit(session, lambda: audit.info("site callback changed", extra=change))
    return site, previous


def set_time_zone(session: Session, *, slug: str, zone: str, actor: str) -> tuple[Site, str]:
    """Show a site's dates in ``zone`` (an IANA name, checked); audited."""
    site = get_site(session, slug)
    if site is None:
        raise SiteError(f"No site {slug!r}.")
    previous, site.time_zone = site.time_zone, check_zone(zone)
    session.flush()
    change = {"site": slug, "actor": actor, "previous": previous, "time_zone": zone}
    on_commit(session, lambda: audit.info("site time zone changed", extra=change))
    return site, previous


def check_new_callback_url(url: str, *, warn: Callable[[str], None]) -> None:
    """Refuse a bad callback URL; only warn when its host does not resolve yet.

    Every delivery resolves and checks the host again, so a name without an address now
    (no DNS on this machine, a site not yet live) is safe to register.
    """
    try:
        allow = current_app.config["ALLOW_PRIVATE_CALLBACKS"]
        check_callback_url(url, allow_private=allow, resolve=not allow)
    except CallbackHostUnresolved as exc:
        warn(f"{exc}; registered anyway, the host is checked again before every delivery.")


def rotate_secret(session: Session, *, slug: str) -> tuple[Site, str, dt.datetime]:
    """Issue a new secret; the old one stays valid for the grace period."""
    site = get_site(session, slug)
    if site is None:
        raise SiteError(f"No site {slug!r}.")
    secret = secrets.new_secret()
    grace = dt.timedelta(seconds=current_app.config["SECRET_GRACE_SECONDS"])
    site.previous_secret_enc, site.secret_enc = site.secret_enc, secrets.encrypt(secret)
    site.previous_secret_expires_at = utcnow() + grace
    session.flush()
    return site, secret, site.previous_secret_expires_at


def legacy_signatures(session: Session, *, slug: str, off: bool) -> Site:
    """The site, after turning its deprecated ``sha256=`` signatures off if ``off`` (for good)."""
    site = get_site(session, slug)
    if site is None:
        raise SiteError(f"No site {slug!r}.")
    if off and site.legacy_signatures:
        site.legacy_signatures = False
        session.flush()
        # The trail of a security setting, in the service's log.
        log.warning("legacy sha256= signatures turned off", extra={"site": slug, "actor": "cli"})
    return site


def valid_secrets(site: Site | None) -> list[str]:
    """The secrets that sign requests right now (the previous one during its grace).

    For an unknown site (None), a secret nobody holds, decrypted as a real one is.
    """
    if site is None:
        return [secrets.decrypt(secrets.nobodys_token())]
    found = [secrets.decrypt(site.secret_enc)]
    expires = site.previous_secret_expires_at
    if site.previous_secret_enc and expires and expires > utcnow():
        found.append(secrets.decrypt(site.previous_secret_enc))
    return found
