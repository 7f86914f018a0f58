"""Comment bodies to plain text: HTML reduced safely, links kept as data for the rules."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser

import nh3

# Tags whose boundaries become line breaks in the plain text.
_BLOCK = frozenset({"br", "p", "div", "li", "blockquote", "ul", "ol", "pre"})
_ALLOWED_TAGS = _BLOCK | {"a", "b", "i", "em", "strong", "code", "span"}
_TLDS = "com|net|org|fr|be|ch|ca|io|ly|co|me|info|biz|xyz|ru|de|uk|eu|gl|gd|tk|top|site|online|shop"
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"'«»]+"
    r"|\b[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*\.(?:" + _TLDS + r")\b(?:/[^\s<>\"'«»]*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}»"


class _TextAndLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag == "a":
            self.links.extend(value for name, value in attrs if name == "href" and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, list[str]]:
    """Reduce HTML to plain text and the hrefs of its links (scripts and styles dropped)."""
    text, links = _reduce(markup)
    return text, list(links)


# Intake reduces a body twice (the view refuses one with no text, then the service
# stores it); a few recent results make the second time free. A pure function.
@lru_cache(maxsize=16)
def _reduce(markup: str) -> tuple[str, tuple[str, ...]]:
    cleaned = nh3.clean(
        markup,
        tags=set(_ALLOWED_TAGS),
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    parser = _TextAndLinks()
    parser.feed(cleaned)
    parser.close()
    text = re.sub(r"[ \t]*\n[ \t\n]*", "\n", "".join(parser.parts)).strip()
    return text, tuple(html.unescape(link) for link in parser.links)


def find_links(text: str) -> list[str]:
    """URLs and bare domains written in plain text, in order of appearance."""
    return [m.group(0).rstrip(_TRAILING) for m in _URL.finditer(text)]


def body_to_text(body: str, body_format: str) -> tuple[str, list[str]]:
    """Plain text and every link (hrefs first, then those written in the text)."""
    if body_format == "html":
        text, hrefs = html_to_text(body)
    else:
        text, hrefs = body, []
    links = list(dict.fromkeys(hrefs + find_links(text)))
    return text, links
