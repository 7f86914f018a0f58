"""``moderation sites set-coral-secret SLUG``: the secret Coral generated for our phase."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from moderation.db import db
from moderation.exceptions import Invalid
from moderation.sites.service import get_site


@click.command("set-coral-secret")
@click.argument("slug")
@with_appcontext
def set_coral_secret(slug: str) -> None:
    """Read the phase's signing secret (empsec_...) from standard input and store it."""
    # The sites group (the small app) loads this command; the Coral service imports the
    # scoring pipeline (model, rules), which storing a secret never needs.
    from moderation.coral import service  # late: the sites commands import no scoring

    site = get_site(db.session, slug)
    if site is None:
        raise click.ClickException(f"No site {slug!r}.")
    try:
        service.set_coral_secret(db.session, site=site, secret=sys.stdin.read())
    except Invalid as exc:
        raise click.ClickException(exc.message) from exc
    db.commit()  # the command is the unit of work
    click.echo(json.dumps({"site": slug, "coral_secret": "set"}))
