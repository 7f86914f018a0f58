"""Sign-in, sign-out and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, g, redirect, render_template, request, session, url_for

from moderation import limits
from moderation.accounts.service import check_password
from moderation.console import security
from moderation.console.i18n import LANGUAGES, translate
from moderation.extensions import db


def _local(target: str | None) -> str:
    """Only a path on this console may be the place to go after sign-in (no open redirect)."""
    default = url_for("console.home")
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/console/") or "\\" in target:
        return default
    return target


def login() -> Response | str | tuple[str, int]:
    """The sign-in form; a good name and password start a fresh session."""
    target = _local(request.values.get("next"))
    if request.method == "GET":
        if g.user is not None:
            return redirect(target)  # type: ignore[return-value]
        return render_template("console/login.html", next=target, error=None)
    name = request.form.get("name", "").strip()[:120]
    limits.check_login(name)
    user = check_password(db.session, name=name, password=request.form.get("password", ""))
    if user is None:
        limits.login_failed(name)
        page = render_template("console/login.html", next=target, error=translate("bad_login"))
        return page, 401
    limits.login_succeeded(name)
    security.sign_in(user)
    return redirect(target)  # type: ignore[return-value]


def logout() -> Response:
    """End the session."""
    security.sign_out()
    return redirect(url_for("console.login"))  # type: ignore[return-value]


def set_language() -> Response:
    """Switch between French and English; back to the page the switch was on."""
    chosen = request.form.get("lang", "fr")
    if chosen in LANGUAGES:
        session["lang"] = chosen
    return redirect(_local(request.form.get("next")))  # type: ignore[return-value]
