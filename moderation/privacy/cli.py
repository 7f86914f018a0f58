"""``moderation authors export|erase SITE SOURCE ID``: an author's GDPR requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click
from flask.cli import with_appcontext

from moderation.authors.models import Author
from moderation.authors.service import find_author
from moderation.exceptions import NotFound
from moderation.extensions import db
from moderation.privacy.erase import erase_author
from moderation.privacy.export import export_author
from moderation.sites.service import get_site_or_404

authors_cli = click.Group("authors", help="An author's personal data: export and erasure.")
F = TypeVar("F", bound=Callable[..., Any])


def _author_args(command: F) -> F:
    """The SITE SOURCE ID arguments that name an author."""
    for name in ("author_id", "source", "site"):
        command = click.argument(name)(command)
    return command


def _author(site: str, source: str, author_id: str) -> Author:
    try:
        found = get_site_or_404(db.session, site)
        return find_author(db.session, site_id=found.id, source=source, external_id=author_id)
    except NotFound as exc:
        raise click.ClickException(exc.message) from exc


@authors_cli.command("export")
@_author_args
@with_appcontext
def export(site: str, source: str, author_id: str) -> None:
    """Print everything held about the author as JSON (the request is audited)."""
    author = _author(site, source, author_id)
    data = export_author(db.session, author=author, actor="cli")
    db.commit()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@authors_cli.command("erase")
@_author_args
@with_appcontext
def erase(site: str, source: str, author_id: str) -> None:
    """Replace the author's personal data by tombstones; decisions and statements stay."""
    author = _author(site, source, author_id)
    counts = erase_author(db.session, author=author, actor="cli")
    db.commit()
    click.echo(json.dumps({"erased": counts}))
