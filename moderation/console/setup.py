"""Wiring the console into the app: security settings, its routes, the CSP on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request

from moderation.console import (
    admin_views,
    auth_views,
    author_views,
    decide_views,
    history_views,
    queue_views,
    security,
)
from moderation.console.blueprint import console_blueprint

GET, POST = ("GET",), ("POST",)

#: Every console page: its URL under /console, its view (the endpoint's name), its methods.
ROUTES: tuple[tuple[str, Callable[..., Any], tuple[str, ...]], ...] = (
    ("/admin/rules", admin_views.admin_rules, GET),
    ("/admin/rules/check", admin_views.admin_rules_check, POST),
    ("/admin/rules/backtest", admin_views.admin_rules_backtest, POST),
    ("/admin/models", admin_views.admin_models, GET),
    ("/admin/models/<version>/<plot>", admin_views.admin_model_plot, GET),
    ("/admin/stats", admin_views.admin_stats, GET),
    ("/login", auth_views.login, ("GET", "POST")),
    ("/logout", auth_views.logout, POST),
    ("/lang", auth_views.set_language, POST),
    ("/authors/<int:author_id>", author_views.author, GET),
    ("/authors/<int:author_id>/notes", author_views.add_note, POST),
    ("/authors/<int:author_id>/sanctions", author_views.sanction, POST),
    ("/authors/<int:author_id>/sanctions/<int:sanction_id>/lift", author_views.lift, POST),
    ("/decide", decide_views.decide, POST),
    ("/authors/<int:author_id>/reject-all", decide_views.reject_author, POST),
    ("/items/<int:item_id>/claim", decide_views.claim, POST),
    ("/undo", decide_views.undo, POST),
    ("/mine", decide_views.mine, GET),
    ("/decisions/<int:decision_id>/reverse", decide_views.reverse, POST),
    ("/comments", history_views.comments, GET),
    ("/comments/<int:comment_id>", history_views.comment, GET),
    ("/sites/<slug>/articles/<path:article_id>", history_views.article, GET),
    ("/", queue_views.home, GET),
    ("/queue/<name>", queue_views.queue, GET),
    ("/counts", queue_views.queue_counts, GET),
    ("/sync", queue_views.sync, GET),
    ("/events", queue_views.events, GET),
)


def register_console(app: Flask) -> None:
    """Register the console blueprint with its routes (call before ``own_requests``)."""
    bp = console_blueprint()
    bp.before_request(admin_views.admins_only)
    for rule, view, methods in ROUTES:
        bp.add_url_rule(rule, view_func=view, methods=methods)
    security.init_security(app)
    app.register_blueprint(bp)
    app.after_request(_console_headers)


def _console_headers(response: Response) -> Response:
    # On every /console response, 404s and errors included (not only the blueprint's own).
    if request.path == "/console" or request.path.startswith("/console/"):
        return security.secure_headers(response)
    return response
