"""``moderation sites set-reasons``: the reasons a site's reject dialog offers."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from moderation.extensions import db
from moderation.review.reasons import set_site_reasons, site_reasons
from moderation.sites.service import SiteError


@click.command("set-reasons")
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
    except SiteError as exc:
        raise click.ClickException(str(exc)) from exc
    db.commit()  # the command is the unit of work
    click.echo(json.dumps({"site": site.slug, "reject_reasons": site_reasons(site)}))
