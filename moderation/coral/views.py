"""``POST /v1/coral/{site}/phase``: Coral's external moderation phase (SPEC §10.2)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from moderation.api import endpoint, load, read_json, refuse_nul
from moderation.comments.schemas import payload_schema
from moderation.coral import service
from moderation.coral.schemas import phase_request_schema
from moderation.extensions import db
from moderation.limits import check_site_rate, exempt
from moderation.signing import CORAL_HEADER

bp = Blueprint("coral", __name__, url_prefix="/v1/coral/<site>")
bp.url_value_preprocessor(refuse_nul)

_ANSWER = {
    "type": "object",
    "description": "Coral's phase response: {} (no objection), SYSTEM_WITHHELD with a FLAG "
    "action, or REJECTED with moderationAction.rejectionReason.",
}


@bp.post("/phase")
@endpoint(
    summary="Coral external moderation phase: decide a new or edited comment now",
    tag="coral",
    auth="coral",
    body=phase_request_schema,
    responses={200: _ANSWER, 400: None, 401: None, 413: None, 415: None, 429: None, 503: None},
)
@exempt  # limited per site once signed, like the webhooks
def phase(site: str) -> tuple[Response, int]:
    """Verify Coral's signature over the raw body, then store, decide and answer."""
    raw = request.get_data(cache=True)
    found = service.signed_site(
        db.session, slug=site, signature=request.headers.get(CORAL_HEADER), body=raw
    )
    check_site_rate(found.slug)
    data = load(phase_request_schema, read_json(request))
    payload = load(payload_schema, service.comment_payload(data, raw))
    return jsonify(service.run_phase(db.session, site=found, payload=payload)), 200
