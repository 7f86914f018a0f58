"""``moderation sites add-key`` / ``revoke-key``: keys for Perspective-compatible clients."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from moderation.extensions import db
from moderation.perspective import keys
from moderation.sites.service import SiteError


@click.command("add-key")
@click.argument("slug")
@with_appcontext
def add_key(slug: str) -> None:
    """Issue a ?key= for SLUG's Perspective-compatible calls; printed once."""
    try:
        key = keys.add_key(db.session, slug=slug)
    except SiteError as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()  # the command is the unit of work
    click.echo(json.dumps({"site": slug, "key": key}))


@click.command("revoke-key")
@click.argument("slug")
@click.argument("key")
@with_appcontext
def revoke_key(slug: str, key: str) -> None:
    """Revoke one of SLUG's keys; calls with it fail from now on."""
    try:
        keys.revoke_key(db.session, slug=slug, key=key)
    except SiteError as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()  # the command is the unit of work
    click.echo(json.dumps({"site": slug, "revoked": True}))


KEY_COMMANDS = (add_key, revoke_key)
