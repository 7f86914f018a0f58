"""Configuration: one typed line per environment variable (all listed in the README)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path


def _str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _path(name: str, default: str) -> str:
    # Relative paths are taken from the working directory, once, whether the code runs
    # from a checkout or an installed wheel (never relative to the source files).
    return str(Path(os.environ.get(name) or default).expanduser().absolute())


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def _networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    # A bad CIDR fails at start-up rather than leaving /metrics open by mistake.
    items = os.environ.get(name, "").split(",")
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip())


DEFAULT_REASONS = (
    "insult,hate,threat,obscene,spam,off_topic,personal_data,harassment,banned,illegal,other"
)
#: DSA art. 20(1): complaints are possible for at least six months.
MIN_APPEAL_DAYS = 183


class Config:
    """Settings read from the environment when the app is created."""

    def __init__(self) -> None:
        # Storage and broker. The defaults are the embedded, server-less setup.
        self.DATABASE_URL = _str("DATABASE_URL", "sqlite:///var/moderation.sqlite")
        self.CELERY_BROKER_URL = _str("CELERY_BROKER_URL", "sqla+sqlite:///var/broker.sqlite")
        self.REDIS_URL = _str("REDIS_URL", "")
        # Off behind a transaction-pooling PgBouncer older than 1.21 (it cannot track them).
        self.DATABASE_PREPARED_STATEMENTS = _bool("MODERATION_DATABASE_PREPARED_STATEMENTS", True)
        # Where house rules and classifier models live.
        self.RULES_DIR = _path("MODERATION_RULES_DIR", "rules")
        self.RULES_RELOAD_SECONDS = _float("MODERATION_RULES_RELOAD_SECONDS", 2.0)
        self.MODELS_DIR = _path("MODERATION_MODELS_DIR", "models")
        # The public corpora ``moderation model train`` reads by default.
        self.DATA_DIR = _path("MODERATION_DATA_DIR", "../shared/data")
        # Secrets: the key that encrypts site secrets at rest.
        self.SECRET_KEY = _str("MODERATION_SECRET_KEY", "")
        self.SECRET_KEY_FILE = _str("MODERATION_SECRET_KEY_FILE", "var/secret.key")
        self.SECRET_GRACE_SECONDS = _int("MODERATION_SECRET_GRACE_SECONDS", 86400)
        # Intake.
        self.SIGNATURE_TOLERANCE_SECONDS = _int("MODERATION_SIGNATURE_TOLERANCE_SECONDS", 300)
        self.MAX_CONTENT_LENGTH = _int("MODERATION_MAX_REQUEST_BYTES", 64 * 1024)
        self.MAX_TEXT_CHARS = _int("MODERATION_MAX_TEXT_CHARS", 10_000)
        # Where background work runs (moderation/jobs.py): "celery", or "inline" in this process.
        self.SCORING = _str("MODERATION_SCORING", "celery")
        # A scoring task decides its revision and up to this many minus one other ready
        # ones in the same transaction: one commit for many decisions (1: one each).
        self.SCORING_BATCH = _int("MODERATION_SCORING_BATCH", 16)
        # Load the ruleset, the model and language detection while the process starts,
        # not in its first requests (seconds: past Coral's 200 ms phase timeout).
        self.WARM_START = _bool("MODERATION_WARM_START", True)
        self.SWEEP_AFTER_SECONDS = _int("MODERATION_SWEEP_AFTER_SECONDS", 120)
        self.SWEEP_INTERVAL_SECONDS = _float("MODERATION_SWEEP_INTERVAL_SECONDS", 30.0)
        # Callbacks to the site.
        self.ALLOW_PRIVATE_CALLBACKS = _bool("MODERATION_ALLOW_PRIVATE_CALLBACKS", False)
        self.CALLBACK_TIMEOUT_SECONDS = _float("MODERATION_CALLBACK_TIMEOUT_SECONDS", 10.0)
        self.CALLBACK_RETRY_HOURS = _float("MODERATION_CALLBACK_RETRY_HOURS", 25.0)
        self.CALLBACK_FIRST_RETRY_SECONDS = _float("MODERATION_CALLBACK_FIRST_RETRY_SECONDS", 10.0)
        # Callbacks one transaction writes for one site go in tasks of up to this many:
        # one lease and one attempt commit each, over one kept-alive connection (1: one each).
        self.CALLBACK_BATCH = _int("MODERATION_CALLBACK_BATCH", 16)
        # Abuse and overload: "N/second;M/minute" limits, backlog in queued tasks (0: off).
        self.RATE_LIMITS_ENABLED = _bool("MODERATION_RATE_LIMITS", True)
        self.RATE_LIMIT_SITE = _str("MODERATION_RATE_LIMIT_SITE", "200/second")
        self.RATE_LIMIT_CLIENT = _str("MODERATION_RATE_LIMIT_CLIENT", "50/second")
        # Failed signatures (webhooks, Coral) and API keys (Perspective) per client address.
        self.RATE_LIMIT_FAILED_AUTH = _str("MODERATION_RATE_LIMIT_FAILED_AUTH", "60/minute")
        self.MAX_BACKLOG = _int("MODERATION_MAX_BACKLOG", 10_000)
        # Review queue and reader reports.
        self.CLAIM_MINUTES = _float("MODERATION_CLAIM_MINUTES", 10.0)
        self.REPORT_THRESHOLD = _float("MODERATION_REPORT_THRESHOLD", 3.0)
        self.REASON_CODES = tuple(_str("MODERATION_REASON_CODES", DEFAULT_REASONS).split(","))
        # Spot checks: the share of automatic approvals also sent to the ``spot_checks`` queue,
        # and the salt of the hash that picks them (secret, so authors cannot tell which are).
        # Deprecated: MODERATION_AUDIT_RATE / _SALT, their former names, are still read when
        # the new ones are unset, so existing deployments keep their rate and their picks.
        self.SPOT_CHECK_RATE = _float(
            "MODERATION_SPOT_CHECK_RATE", _float("MODERATION_AUDIT_RATE", 0.01)
        )
        self.SPOT_CHECK_SALT = _str("MODERATION_SPOT_CHECK_SALT", _str("MODERATION_AUDIT_SALT", ""))
        # Monitoring: /metrics needs the bearer token and/or comes from the allowed networks;
        # with neither set, only loopback clients (not proxied) may read it.
        self.METRICS_TOKEN = _str("MODERATION_METRICS_TOKEN", "")
        self.METRICS_ALLOW = _networks("MODERATION_METRICS_ALLOW")
        # A scrape serves numbers at most this old; the database is read once per period.
        self.METRICS_CACHE_SECONDS = _float("MODERATION_METRICS_CACHE_SECONDS", 15.0)
        # Perspective-compatible API: the public base URL its discovery document names.
        self.PUBLIC_URL = _str("MODERATION_PUBLIC_URL", "")
        self.RATE_LIMIT_KEY = _str("MODERATION_RATE_LIMIT_KEY", "100/second")
        # EU duties (docs/eu-duties.md): appeal window (never under 183 days), identifier
        # retention, and the URL of the site's terms cited in statements.
        self.APPEAL_DAYS = max(MIN_APPEAL_DAYS, _int("MODERATION_APPEAL_DAYS", MIN_APPEAL_DAYS))
        self.IP_RETENTION_DAYS = _int("MODERATION_IP_RETENTION_DAYS", 365)
        self.TERMS_URL = _str("MODERATION_TERMS_URL", "")
        # Moderator console: "auto" sets the cookie's Secure flag on HTTPS requests; trust
        # X-Forwarded-Proto/-For from this many proxies (0: none, the header is ignored).
        self.COOKIE_SECURE = _str("MODERATION_COOKIE_SECURE", "auto")
        self.PROXIES = _int("MODERATION_PROXIES", 0)
        # A console session ends this long after sign-in, or after this much inactivity.
        self.CONSOLE_SESSION_HOURS = _float("MODERATION_CONSOLE_SESSION_HOURS", 12.0)
        self.SESSION_IDLE_MINUTES = _float("MODERATION_SESSION_IDLE_MINUTES", 60.0)
        # Console sign-ins: every attempt per client address; failures per (name, address),
        # after which each attempt waits twice as long as the last (1 s… 15 min).
        self.LOGIN_RATE_LIMIT = _str("MODERATION_LOGIN_RATE_LIMIT", "30/minute")
        self.LOGIN_FREE_FAILURES = _int("MODERATION_LOGIN_FREE_FAILURES", 10)
        self.UNDO_SECONDS = _float("MODERATION_UNDO_SECONDS", 10.0)
        # Event streams end after this long (the browser reconnects); heartbeats keep them up.
        self.STREAM_SECONDS = _float("MODERATION_STREAM_SECONDS", 300.0)
        self.STREAM_HEARTBEAT_SECONDS = _float("MODERATION_STREAM_HEARTBEAT_SECONDS", 15.0)
        self.LOG_LEVEL = _str("MODERATION_LOG_LEVEL", "INFO")
        self.LOG_FORMAT = _str("MODERATION_LOG_FORMAT", "json")
        # Each response's stages as a Server-Timing header (moderation/timings.py): benchmarks.
        self.SERVER_TIMING = _bool("MODERATION_SERVER_TIMING", False)

    def as_dict(self) -> dict[str, object]:
        """Settings as a mapping for ``app.config.update``."""
        return {k: v for k, v in vars(self).items() if k.isupper()}
