"""Intake checks that need the body as readers see it, made before anything is stored."""

from __future__ import annotations

from typing import Any

from moderation.comments.schemas import is_blank
from moderation.errors import ApiError
from moderation.text.html import body_to_text

NO_TEXT = "Has no text once HTML is reduced."


def require_text(data: dict[str, Any], *, max_chars: int) -> None:
    """400 when an HTML body reduces to no text and no link: nothing is left to moderate.

    Images and other media are dropped by the reduction, so an image-only comment
    would be approved unseen. A body that keeps only a link is accepted: links are
    data the rules judge (a hidden link is a spam pattern worth a decision).
    """
    if data["body_format"] != "html" or len(data["body"]) > max_chars * 4:
        return  # plain text was checked by the schema; oversize markup gets its 413 unparsed
    text, links = body_to_text(data["body"], "html")
    if is_blank(text) and not links:
        raise ApiError(400, "validation_error", "Invalid fields.", fields={"body": [NO_TEXT]})
