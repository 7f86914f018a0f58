"""Wiring the console into the app: security settings, views, the CSP on every console page."""

from __future__ import annotations

from flask import Flask, Response, request

from moderation.console import security


def register_console(app: Flask) -> None:
    """Register the console blueprint with its views (call before ``own_requests``)."""
    from moderation.console import (
        admin_views,
        auth_views,
        author_views,
        decide_views,
        queue_views,
    )
    from moderation.console.blueprint import bp

    assert admin_views and auth_views and author_views and decide_views and queue_views
    security.init_security(app)
    app.register_blueprint(bp)
    app.after_request(_console_headers)


def _console_headers(response: Response) -> Response:
    # On every /console response, 404s and errors included (not only the blueprint's own).
    if request.path == "/console" or request.path.startswith("/console/"):
        return security.secure_headers(response)
    return response
