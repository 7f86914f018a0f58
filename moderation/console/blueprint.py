"""The console's blueprint and its request hooks; ``setup`` adds the views' routes."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, g, request

from moderation.console import security
from moderation.console.i18n import FILTERS, LANGUAGES, current_language, translate
from moderation.console.render import short
from moderation.durations import hours_in_words


class ConsoleBlueprint(Blueprint):
    """Static files cached for a day: their URLs carry a hash of the files (``asset_version``)."""

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """A day: a new release changes the URLs, so nothing stale is ever used."""
        return 86400


@functools.cache
def asset_version() -> str:
    """A hash of the static files, computed once per process (on the first page)."""
    root = Path(__file__).with_name("static")
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def console_blueprint() -> ConsoleBlueprint:
    """A new console blueprint with its hooks, no routes yet (one per app)."""
    bp = ConsoleBlueprint(
        "console",
        __name__,
        url_prefix="/console",
        template_folder="templates",
        static_folder="static",
        static_url_path="/static",
    )
    bp.before_request(_guard)
    bp.app_context_processor(_globals)
    for name, function in FILTERS.items():
        bp.add_app_template_filter(function, name)
    return bp


def _guard() -> Response | None:
    return security.guard()


def _globals() -> dict[str, Any]:
    # Available to console templates (and to errors.py's HTML pages).
    return {
        "_": translate,
        "lang": current_language,
        "languages": LANGUAGES,
        "csrf_token": security.csrf_token,
        "current_user": lambda: g.get("user"),
        "asset_version": asset_version(),
        "duration_words": lambda hours: hours_in_words(hours, current_language()),
        "short": short,
        "who": _who,
    }


def _who(decided_by: str) -> str:
    """Who decided, in words: "automatique", or the moderator's name."""
    return translate("auto") if decided_by == "auto" else decided_by.split(":", 1)[-1]


def is_htmx() -> bool:
    """Whether htmx sent this request (answer a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"
