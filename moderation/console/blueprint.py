"""The console's blueprint and its request hooks (every view module adds routes to it)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request

from moderation.console import security
from moderation.console.i18n import LANGUAGES, current_language, translate

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


@bp.before_request
def _guard() -> Response | None:
    return security.guard()


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    # Available to console templates (and to errors.py's HTML pages).
    return {
        "_": translate,
        "lang": current_language,
        "languages": LANGUAGES,
        "csrf_token": security.csrf_token,
        "current_user": lambda: g.get("user"),
    }


def is_htmx() -> bool:
    """Whether htmx sent this request (answer a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"
