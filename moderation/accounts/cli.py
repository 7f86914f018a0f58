"""``moderation users``: create and revoke moderator and admin accounts."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from moderation.accounts import scopes, service
from moderation.accounts.models import ROLES
from moderation.extensions import db

users_cli = click.Group("users", help="Moderator and admin accounts.")


@users_cli.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option(
    "--site",
    "sites",
    multiple=True,
    help="A site this moderator works on (repeat for several); none: every site.",
)
@with_appcontext
def add(name: str, role: str, sites: tuple[str, ...]) -> None:
    """Create a user and print its token once; --site scopes a moderator to those sites."""
    try:
        if sites and role != "moderator":
            raise service.AccountError("Only moderators are scoped to sites.")
        user, token = service.add_user(db.session, name=name, role=role)
        scoped = scopes.set_sites(db.session, user, sites)
    except (service.AccountError, scopes.ScopeError) as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()  # the command is the unit of work
    out = {"user": user.name, "role": user.role, "token": token}
    click.echo(json.dumps(out | ({"sites": scoped} if scoped else {})))


@users_cli.command("set-password")
@click.argument("name")
@with_appcontext
def set_password(name: str) -> None:
    """Set a user's console password, read from standard input (first line)."""
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = service.set_password(db.session, name=name, password=password)
    except service.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()
    click.echo(json.dumps({"user": user.name, "password_set": True}))


@users_cli.command("revoke")
@click.argument("name")
@with_appcontext
def revoke(name: str) -> None:
    """Revoke a user's token."""
    try:
        user = service.revoke_user(db.session, name=name)
    except service.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()
    click.echo(json.dumps({"user": user.name, "revoked": True}))
