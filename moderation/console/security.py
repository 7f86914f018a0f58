"""Console sessions: cookie settings, the signed-in user on every request, CSRF, CSP."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from flask import Flask, Response, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix

from moderation.accounts.models import User
from moderation.accounts.service import active_user
from moderation.accounts.sessions import end_session, live_session, start_session
from moderation.exceptions import Forbidden
from moderation.extensions import db
from moderation.sites.secrets import service_key

CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
#: Pages anyone may load: the sign-in form and the static files.
PUBLIC = ("console.login", "console.static")

# No inline script or style anywhere; user links never load anything by themselves.
CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)


class ConsoleSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, with its own key, and ``Secure`` on HTTPS requests ("auto").

    The cookie is signed with a key derived from the service key (``console_key``), so
    the embedded setup (no ``MODERATION_SECRET_KEY``, only the key file) has sessions
    too, and ``app.secret_key`` is never touched (the site-secret box reads that config).
    """

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, keyed with the console key."""
        return URLSafeTimedSerializer(
            console_key(),
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure: always ("1"), never ("0"), or when this request came over HTTPS ("auto")."""
        setting = str(app.config["COOKIE_SECURE"]).strip().lower()
        if setting == "auto":
            return request.is_secure
        return setting in ("1", "true", "yes", "on")


def init_security(app: Flask) -> None:
    """Cookie flags, the session interface and, if configured, the proxy headers."""
    app.config.update(
        SESSION_COOKIE_NAME="moderation_console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PATH="/console",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=app.config["CONSOLE_SESSION_HOURS"]),
    )
    app.session_interface = ConsoleSessionInterface()
    if app.config["PROXIES"]:
        # Only behind a proxy that sets them: otherwise a client could claim HTTPS.
        n = int(app.config["PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]


def console_key() -> str:
    """The session-signing key: derived from the service key (never the key itself)."""
    key: str | None = current_app.extensions.get("console_key")
    if key is None:
        key = hmac.new(service_key().encode(), b"console-session", hashlib.sha256).hexdigest()
        current_app.extensions["console_key"] = key
    return key


def password_mark(user: User) -> str:
    """A short fingerprint of the password hash: a new password ends older sessions."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def _idle() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def sign_in(user: User) -> None:
    """Start a fresh session for ``user`` (a new CSRF token; nothing kept from before)."""
    lang = session.get("lang")
    sign_out()
    session.permanent = True
    sid = start_session(db.session, user, idle=_idle())
    session.update(uid=user.id, sid=sid, pw=password_mark(user), csrf=secrets.token_urlsafe(32))
    if lang:
        session["lang"] = lang


def sign_out() -> None:
    """End the session here and on the server (a copy of the cookie ends too); keep the language."""
    sid, lang = session.get("sid"), session.get("lang")
    if sid:
        end_session(db.session, str(sid))
    session.clear()
    if lang:
        session["lang"] = lang


def load_user() -> User | None:
    """The signed-in, active user, checked on every request against the server-side session."""
    uid, sid = session.get("uid"), session.get("sid")
    if uid is None:
        return None
    lifetime = current_app.permanent_session_lifetime
    found = live_session(db.session, str(sid), idle=_idle(), lifetime=lifetime) if sid else None
    user = active_user(db.session, int(uid)) if found and found.user_id == uid else None
    if user is None or session.get("pw") != password_mark(user):
        sign_out()
        return None
    return user


def csrf_token() -> str:
    """This session's CSRF token (created on first use, also before sign-in)."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf() -> None:
    """Refuse a state-changing request without this session's token (header or form field)."""
    if request.method not in _UNSAFE:
        return
    expected = session.get("csrf")
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
    if not expected or not hmac.compare_digest(str(expected), sent):
        raise Forbidden("Missing or wrong CSRF token.", code="csrf_failed")
    origin = request.headers.get("Origin")
    if origin and origin != request.host_url.rstrip("/"):
        raise Forbidden("Cross-origin request refused.", code="csrf_failed")


def guard() -> Response | None:
    """Before every console request: key, CSRF, then the user (or the way to sign in)."""
    if request.endpoint == "console.static":
        return None  # public files: no session, no database
    check_csrf()
    g.user = load_user()
    if g.user is not None or request.endpoint in PUBLIC:
        return None
    login = url_for("console.login", next=request.full_path.rstrip("?"))
    if request.headers.get("HX-Request"):
        response = Response(status=401)
        response.headers["HX-Redirect"] = login
        return response
    return redirect(login)  # type: ignore[return-value]


def require_admin() -> None:
    """Admin pages: a moderator gets 403."""
    if g.user is None or g.user.role != "admin":
        raise Forbidden("This needs the admin role.")


def secure_headers(response: Response) -> Response:
    """CSP and friends on every console response; pages are never cached."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on forms.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if not request.path.startswith("/console/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response
