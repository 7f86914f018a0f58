"""Authors: standing and history; sanctions that take effect on the next comment."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from moderation.accounts.auth import MODERATOR
from moderation.accounts.scopes import visible_site
from moderation.api import endpoint, load, read_json, refuse_nul
from moderation.authors.schemas import author_schema, sanction_input, sanction_schema
from moderation.authors.service import find_author, sanction_view
from moderation.extensions import db
from moderation.review import authors

bp = Blueprint("authors", __name__, url_prefix="/v1/authors/<site>/<source>/<author_id>")
bp.url_value_preprocessor(refuse_nul)
_ERRORS = {401: None, 403: None, 404: None}


@bp.get("")
@endpoint(
    summary="An author's standing and history",
    tag="authors",
    auth=MODERATOR,
    responses={200: author_schema, **_ERRORS},
)
def get_author(site: str, source: str, author_id: str) -> Response:
    """Counts by outcome, rejection rate, trust level, sanctions."""
    found = visible_site(db.session, g.user, site)
    author = find_author(db.session, site_id=found.id, source=source, external_id=author_id)
    return jsonify(author_schema.dump(authors.author_view(db.session, author)))


@bp.post("/sanctions")
@endpoint(
    summary="Sanction an author",
    tag="authors",
    auth=MODERATOR,
    body=sanction_input,
    responses={201: sanction_schema, 400: None, 415: None, **_ERRORS},
)
def add_sanction(site: str, source: str, author_id: str) -> tuple[Response, int]:
    """ban, suspend, premoderate or trust, with optional expiry and reason."""
    data = load(sanction_input, read_json(request))
    found = visible_site(db.session, g.user, site)
    author = find_author(db.session, site_id=found.id, source=source, external_id=author_id)
    added = authors.add_sanction(
        db.session, author=author, actor=f"moderator:{g.user.name}", **data
    )
    return jsonify(sanction_schema.dump(sanction_view(added))), 201
