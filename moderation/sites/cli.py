"""``moderation sites``: register sites, rotate their secrets, set their callback and zone.

``moderation/cli.py`` adds add-key, revoke-key (perspective/cli.py) and set-coral-secret
(coral/cli.py): those packages sit above this one.
"""

from __future__ import annotations

import getpass
import json

import click
from flask.cli import with_appcontext

from moderation.db import db
from moderation.localtime import UnknownTimeZone
from moderation.sites import service
from moderation.sites.reasons import set_site_reasons, site_reasons
from moderation.sites.urls import CallbackUrlError

sites_cli = click.Group("sites", help="Client sites and their signing secrets.")


@sites_cli.command("add")
@click.argument("slug")
@click.option("--callback-url", required=True, help="Where decisions are POSTed.")
@with_appcontext
def add(slug: str, callback_url: str) -> None:
    """Create a site and print its secret once."""
    try:
        site, secret = service.add_site(
            db.session, slug=slug, callback_url=callback_url, warn=_warn
        )
    except (service.SiteError, CallbackUrlError) as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()  # the command is the unit of work
    click.echo(json.dumps({"site": site.slug, "secret": secret}))


@sites_cli.command("set-callback")
@click.argument("slug")
@click.argument("url")
@with_appcontext
def set_callback(slug: str, url: str) -> None:
    """Point SLUG's decision callbacks at URL (checked as ``sites add`` checks it)."""
    try:
        site, previous = service.set_callback(
            db.session, slug=slug, callback_url=url, actor=f"cli:{getpass.getuser()}", warn=_warn
        )
    except (service.SiteError, CallbackUrlError) as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()
    click.echo(json.dumps({"site": site.slug, "callback_url": url, "previous": previous}))


@sites_cli.command("set-timezone")
@click.argument("slug")
@click.argument("zone")
@with_appcontext
def set_timezone(slug: str, zone: str) -> None:
    """Show SLUG's dates in ZONE, an IANA name such as Europe/Paris (the default)."""
    try:
        site, previous = service.set_time_zone(
            db.session, slug=slug, zone=zone, actor=f"cli:{getpass.getuser()}"
        )
    except (service.SiteError, UnknownTimeZone) as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()
    click.echo(json.dumps({"site": site.slug, "time_zone": zone, "previous": previous}))


@sites_cli.command("set-reasons")
@click.argument("slug")
@click.argument("codes", required=False)
@click.option("--default", "default", is_flag=True, help="Back to the default set.")
@with_appcontext
def set_reasons(slug: str, codes: str | None, default: bool) -> None:
    """Offer only CODES (comma-separated, e.g. insult,hate,spam,other) in SLUG's reject dialog."""
    if default == bool(codes):
        raise click.UsageError("Give CODES or --default (not both).")
    try:
        site = set_site_reasons(
            db.session, slug=slug, codes=None if default else (codes or "").split(",")
        )
    except service.SiteError as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()  # the command is the unit of work
    click.echo(json.dumps({"site": site.slug, "reject_reasons": site_reasons(site)}))


def _warn(message: str) -> None:
    # On stderr, so stdout stays the one JSON line.
    click.echo(f"warning: {message}", err=True)


@sites_cli.command("rotate-secret")
@click.argument("slug")
@with_appcontext
def rotate(slug: str) -> None:
    """Issue a new secret; the old one stays valid for the grace period."""
    try:
        site, secret, until = service.rotate_secret(db.session, slug=slug)
    except service.SiteError as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()
    click.echo(
        json.dumps({"site": site.slug, "secret": secret, "previous_valid_until": until.isoformat()})
    )


@sites_cli.command("legacy-signatures")
@click.argument("slug")
@click.option("--off", is_flag=True, help="Refuse sha256= signatures from now on (for good).")
@with_appcontext
def legacy(slug: str, off: bool) -> None:
    """Show whether SLUG still accepts deprecated sha256= signatures; --off ends it (logged).

    Only sites created before v2 signatures accept them, and only on requests with a body
    (sha256= binds neither the method nor the query). Turn it off once the site signs v2=.
    """
    try:
        site = service.legacy_signatures(db.session, slug=slug, off=off)
    except service.SiteError as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()
    click.echo(json.dumps({"site": site.slug, "legacy_signatures": site.legacy_signatures}))
