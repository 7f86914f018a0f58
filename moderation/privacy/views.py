"""``DELETE /v1/authors/{site}/{source}/{author_id}``: an admin erases an author."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify

from moderation.accounts.auth import ADMIN
from moderation.api import endpoint, refuse_nul
from moderation.authors.service import find_author
from moderation.extensions import db
from moderation.privacy.erase import erase_author
from moderation.sites.service import get_site_or_404

bp = Blueprint("privacy", __name__, url_prefix="/v1/authors/<site>/<source>/<author_id>")
bp.url_value_preprocessor(refuse_nul)
ERASED = {"type": "object", "properties": {"erased": {"type": "object"}}}


@bp.delete("")
@endpoint(
    summary="Erase an author's personal data (GDPR art. 17)",
    tag="authors",
    auth=ADMIN,
    responses={200: ERASED, 401: None, 403: None, 404: None},
)
def erase(site: str, source: str, author_id: str) -> Response:
    """Names, e-mail, IPs and bodies become tombstones; decisions and statements stay."""
    found = get_site_or_404(db.session, site)
    author = find_author(db.session, site_id=found.id, source=source, external_id=author_id)
    counts = erase_author(db.session, author=author, actor=f"admin:{g.user.name}")
    return jsonify({"erased": counts})
