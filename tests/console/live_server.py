"""A real console server for browser tests: the app on a loopback port, in a thread."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from moderation.jobs import InlineDispatcher
from tests.helpers import make_app

BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class TimedDispatcher(InlineDispatcher):
    """Inline jobs that honour ``countdown`` (a held callback is sent when its hold ends)."""

    def send(self, name: str, args: list[object], countdown: float | None = None) -> None:
        """Run now, or on a timer thread after ``countdown`` seconds."""
        if not countdown:
            super().send(name, args, None)
            return
        timer = threading.Timer(countdown, super().send, args=(name, args, None))
        timer.daemon = True
        timer.start()


class LiveServer:
    """The app served by werkzeug (threaded) on 127.0.0.1 and a free port."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL."""
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> LiveServer:
        """Serve in the background."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


def build_app(tmp_path: Path, migrated: Path, rules: str, **overrides: Any) -> Flask:
    """An app on a copy of the migrated SQLite database, with the given house rules."""
    path = tmp_path / "live.sqlite"
    shutil.copy(migrated, path)
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules" / "house.yaml").write_text(rules)
    app = make_app(f"sqlite:///{path}", tmp_path, **overrides)
    app.extensions["jobs"] = TimedDispatcher(app.extensions["celery"])
    return app
