"""JSON log lines, one per event, carrying extra fields such as the comment id."""

from __future__ import annotations

import json
import logging
import sys

from flask import Flask

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON object; ``extra={...}`` fields are kept."""

    def format(self, record: logging.LogRecord) -> str:
        """One line of JSON."""
        line: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    """Send this package's logs to stderr in the configured format."""
    logger = logging.getLogger("moderation")
    logger.setLevel(app.config["LOG_LEVEL"])
    if any(getattr(h, "_moderation", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler._moderation = True  # type: ignore[attr-defined]
    if app.config["LOG_FORMAT"] == "json":
        handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.propagate = False
