"""``moderation sites add-key`` / ``revoke-key`` / ``list``: Perspective keys, sites with them."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from moderation.db import db
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


@click.command("list")
@click.option("--table", is_flag=True, help="Aligned columns instead of JSON lines.")
@with_appcontext
def list_sites(table: bool) -> None:
    """Every site: slug, callback URL, creation time, time zone, live keys (no secret)."""
    rows: list[dict[str, str | int]] = [
        {
            "site": site.slug,
            "callback_url": site.callback_url,
            "created_at": site.created_at.isoformat(),
            "time_zone": site.time_zone,
            "keys": count,
        }
        for site, count in keys.sites_with_keys(db.session)
    ]
    if not table:
        for row in rows:
            click.echo(json.dumps(row))
        return
    width = max([len("site"), *(len(str(row["site"])) for row in rows)])
    zones = max([len("time_zone"), *(len(str(row["time_zone"])) for row in rows)])
    head = f"{'site':<{width}}  {'created_at':<32}  {'time_zone':<{zones}}  keys  callback_url"
    click.echo(head)
    for row in rows:
        line = f"{row['site']:<{width}}  {row['created_at']:<32}  {row['time_zone']:<{zones}}"
        line += f"  {row['keys']:>4}"
        click.echo(f"{line}  {row['callback_url']}")


SITES_COMMANDS = (add_key, revoke_key, list_sites)
