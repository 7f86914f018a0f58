"""Turning hostile input into safe markup: highlighted text and inert links.

Everything here builds HTML from escaped pieces. The comment text is never parsed
as HTML: highlights are placed by character offsets into the original text, and
each segment between them is escaped on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from markupsafe import Markup, escape

Span = tuple[int, int, str]  # start, end, label (the rule id)


def merge_spans(spans: Iterable[Span], length: int) -> list[tuple[int, int, list[str]]]:
    """Clamp spans to the text, drop empty ones, merge overlaps (keeping every label)."""
    clean = sorted(
        (max(0, a), min(length, b), label) for a, b, label in spans if min(length, b) > max(0, a)
    )
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, label in clean:
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            labels = last[2] if label in last[2] else [*last[2], label]
            merged[-1] = (last[0], max(last[1], end), labels)
        else:
            merged.append((start, end, [label]))
    return merged


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """``text`` escaped, with every span wrapped in ``<mark>`` naming its rules."""
    out: list[str] = []
    cursor = 0
    for start, end, labels in merge_spans(spans, len(text)):
        out.append(str(escape(text[cursor:start])))
        title = escape(", ".join(labels))
        out.append(f'<mark title="{title}">{escape(text[start:end])}</mark>')
        cursor = end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))  # noqa: S704 - every piece above was escaped


def safe_href(url: object) -> str | None:
    """The URL if it is an absolute http(s) link with a host, else None (never ``javascript:``)."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    candidate = url.strip()
    # Browsers drop tabs and newlines inside URLs ("java\tscript:"); refuse any control character.
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate


def short(text: object, limit: int = 80) -> str:
    """A one-line excerpt (escaped later by the template)."""
    value = " ".join(str(text or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
