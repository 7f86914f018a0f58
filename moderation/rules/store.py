"""Process-local store of the live ruleset, reloaded without restart.

Each web and worker process has its own store; they all read the same
directory, so they converge on the same ruleset version within
``reload_seconds`` and every decision records the version it used. An
invalid change is refused: the last valid ruleset stays live.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from moderation.rules.engine import Ruleset
from moderation.rules.loader import load_ruleset
from moderation.rules.problems import RulesetInvalid, RulesUnavailable

log = logging.getLogger(__name__)

ThresholdsProvider = Callable[[], Mapping[str, Collection[str]] | None]


class RulesStore:
    """The live ruleset of one process."""

    def __init__(
        self,
        directory: str | Path,
        thresholds_provider: ThresholdsProvider | None = None,
        reload_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.directory = Path(directory)
        self.thresholds_provider = thresholds_provider or (lambda: None)
        self.reload_seconds, self._clock = reload_seconds, clock
        self._lock = threading.Lock()
        self._ruleset: Ruleset | None = None
        self._fingerprint: object = None
        self._checked_at: float | None = None
        self.loaded_at: datetime | None = None
        self.last_error: RulesetInvalid | None = None
        self.last_error_at: datetime | None = None

    def reasons(self) -> set[str]:
        """The reason codes the live ruleset's rules give (none without a live ruleset)."""
        try:
            return {rule.reason for rule in self.get().rules if rule.reason}
        except RulesUnavailable:
            return set()

    def get(self) -> Ruleset:
        """The live ruleset, reloaded first if the directory changed; raise if none ever loaded."""
        now = self._clock()
        if self._checked_at is None or now - self._checked_at >= self.reload_seconds:
            with self._lock:
                if self._checked_at is None or now - self._checked_at >= self.reload_seconds:
                    # Marked checked only once loaded: a thread arriving meanwhile waits
                    # on the lock, and never finds "no ruleset" before the first load.
                    self._refresh()
                    self._checked_at = now
        if self._ruleset is None:
            errors = self.last_error.errors if self.last_error else ()
            raise RulesUnavailable(
                f"no valid ruleset in {self.directory}: {self.last_error}", errors
            )
        return self._ruleset

    def reload(self) -> bool:
        """Check now, ignoring the interval; True if a new ruleset went live."""
        with self._lock:
            self._checked_at = self._clock()
            return self._refresh()

    def _refresh(self) -> bool:
        thresholds = self.thresholds_provider()
        fingerprint = (fingerprint_of(self.directory), _frozen(thresholds))
        if fingerprint == self._fingerprint:
            return False
        self._fingerprint = fingerprint
        try:
            ruleset = load_ruleset(self.directory, known_thresholds=thresholds)
        except RulesetInvalid as exc:
            self._refuse(exc)
            return False
        if self._ruleset is None or ruleset.version != self._ruleset.version:
            log.info("rules: %s is live (%d rules)", ruleset.version, len(ruleset.rules))
        self._ruleset, self.loaded_at = ruleset, datetime.now(UTC)
        self.last_error = self.last_error_at = None
        return True

    def _refuse(self, exc: RulesetInvalid) -> None:
        self.last_error, self.last_error_at = exc, datetime.now(UTC)
        live = self._ruleset.version if self._ruleset else "none"
        log.error("rules: refused reload of %s (live: %s): %s", self.directory, live, exc)

    def status(self) -> dict[str, Any]:
        """What ``GET /v1/rules`` shows: the live ruleset and the last refused reload."""
        ruleset = self._ruleset
        refused = None
        if self.last_error is not None:
            refused = {
                "at": _iso(self.last_error_at),
                "errors": [e.as_dict() for e in self.last_error.errors],
            }
        return {
            "directory": str(self.directory),
            "active": ruleset.describe() if ruleset else None,
            "loaded_at": _iso(self.loaded_at),
            "last_refused": refused,
        }


def fingerprint_of(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, mtimes and sizes of every file under ``directory`` (cheap change detection)."""
    entries = []
    for base, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = os.path.join(base, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            entries.append((os.path.relpath(path, directory), st.st_mtime_ns, st.st_size))
    return tuple(sorted(entries))


def _frozen(thresholds: Mapping[str, Collection[str]] | None) -> object:
    if thresholds is None:
        return None
    return tuple(sorted((label, tuple(sorted(names))) for label, names in thresholds.items()))


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at else None


def init_rules(app: Flask, thresholds_provider: ThresholdsProvider) -> RulesStore:
    """Build the app's rules store (``RULES_DIR``, ``RULES_RELOAD_SECONDS``) once."""
    store = app.extensions["rules"] = RulesStore(
        app.config["RULES_DIR"],
        thresholds_provider=thresholds_provider,
        reload_seconds=float(app.config["RULES_RELOAD_SECONDS"]),
    )
    app.extensions["rule_reasons"] = store.reasons  # the queue's reason codes include these
    return store


def rules_store() -> RulesStore:
    """The current app's rules store."""
    store: RulesStore = current_app.extensions["rules"]
    return store
