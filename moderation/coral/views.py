"""``POST /v1/coral/{site}/phase``: Coral's external moderation phase (SPEC §10.2)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, g, jsonify, request

from moderation.api import Access, endpoint, load, read_json, refuse_nul
from moderation.comments.schemas import payload_schema
from moderation.coral import service
from moderation.coral.schemas import phase_request_schema
from moderation.exceptions import Unauthenticated
from moderation.extensions import db
from moderation.limits import check_failed_auth, check_site_rate, count_failed_auth, exempt
from moderation.signing import CORAL_HEADER
from moderation.timings import stage

F = TypeVar("F", bound=Callable[..., Any])

bp = Blueprint("coral", __name__, url_prefix="/v1/coral/<site>")
bp.url_value_preprocessor(refuse_nul)

_ANSWER = {
    "type": "object",
    "description": "Coral's phase response: {} (no objection), SYSTEM_WITHHELD with a FLAG "
    "action, or REJECTED with moderationAction.rejectionReason.",
}


def _signed_by_coral(view: F) -> F:
    """Load ``g.site`` from the ``site`` URL part once Coral's signature over the raw body holds."""

    @functools.wraps(view)
    def wrapper(*args: Any, site: str, **kwargs: Any) -> Any:
        signature = request.headers.get(CORAL_HEADER)
        raw = request.get_data(cache=True)
        with stage("signature"):
            check_failed_auth()
            try:
                g.site = service.signed_site(db.session, slug=site, signature=signature, body=raw)
            except Unauthenticated:
                count_failed_auth()
                raise
        with stage("limit"):
            check_site_rate(g.site.slug)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


CORAL = Access("coral", _signed_by_coral)


@bp.post("/phase")
@endpoint(
    summary="Coral external moderation phase: decide a new or edited comment now",
    tag="coral",
    auth=CORAL,
    body=phase_request_schema,
    responses={200: _ANSWER, 400: None, 401: None, 413: None, 415: None, 429: None, 503: None},
)
@exempt  # limited per site once signed, like the webhooks
def phase() -> tuple[Response, int]:
    """Store, decide and answer (Coral's signature over the raw body verified first)."""
    with stage("parse"):
        data = load(phase_request_schema, read_json(request))
        raw = request.get_data(cache=True)
        payload = load(payload_schema, service.comment_payload(data, raw))
    return jsonify(service.run_phase(db.session, site=g.site, payload=payload)), 200
