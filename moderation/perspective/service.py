"""Scoring and feedback behind the Perspective-compatible API (SPEC §10.1).

Functions take a session and flush; the caller owns the commit. Nothing here logs: the
texts these calls carry must not reach the logs, ``doNotStore`` or not. Refusals are
domain errors whose code is Google's ``errorType``; ``errors.py`` renders Google's envelope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from moderation.classifier.model import LinearModel
from moderation.contracts import Scorer
from moderation.exceptions import Invalid, Unavailable
from moderation.perspective import attributes as attrs
from moderation.perspective.models import ApiKey, Feedback, ScoredText
from moderation.perspective.spans import sentences, utf16_length
from moderation.scoring.engines import current_scorer
from moderation.text.language import detect_language, other_language
from moderation.timings import stage

MAX_TEXT_BYTES = 20 * 1024
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Requested:
    """One requested attribute: the name as sent, our label, its threshold."""

    name: str
    label: str | None  # None: a Perspective attribute we do not serve
    threshold: float | None


def _invalid(message: str) -> Invalid:
    return Invalid(message, code="INVALID_REQUEST")


def comment_text(data: dict[str, Any]) -> str:
    """The comment's text, checked: non-empty, plain text, at most 20 KB."""
    comment = data.get("comment") or {}
    text = comment.get("text") or ""
    if not text.strip():
        raise Invalid("Comment must be non-empty.", code="COMMENT_EMPTY")
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise Invalid("Comment text too long.", code="COMMENT_TOO_LONG")
    kind = (comment.get("type") or "PLAIN_TEXT").upper()
    if kind == "HTML":
        raise _invalid("Currently, only 'PLAIN_TEXT' comments are supported")
    if kind not in ("PLAIN_TEXT", "TEXT_TYPE_UNSPECIFIED"):
        raise _invalid(f"Unknown text type: {comment.get('type')}")
    return str(text)


def check_context(data: dict[str, Any]) -> None:
    """A context holds ``entries`` or ``articleAndParentComment``, not both."""
    context = data.get("context") or {}
    if "entries" in context and "articleAndParentComment" in context:
        raise _invalid("Context must have either entries or articleAndParentComment, not both.")


def requested_attributes(data: dict[str, Any]) -> list[Requested]:
    """The requested attributes with their settings, checked."""
    requested = data.get("requestedAttributes") or {}
    if not requested:
        raise Invalid("Missing requested_attributes", code="NO_REQUESTED_ATTRIBUTES")
    found = []
    for name, settings in requested.items():
        if not attrs.is_known(name):
            raise _invalid(f"Unknown requested attribute: {name}")
        score_type = str(settings.get("scoreType") or attrs.PROBABILITY).upper()
        if score_type in attrs.OTHER_SCORE_TYPES:
            raise _invalid(
                f"Requested score type {score_type} is not supported by attribute {name}"
            )
        if score_type not in (attrs.PROBABILITY, "SCORE_TYPE_UNSPECIFIED"):
            raise _invalid(f"Invalid value at 'requestedAttributes.{name}.scoreType': {score_type}")
        found.append(Requested(name, attrs.label_for(name), settings.get("scoreThreshold")))
    return found


def languages(text: str, requested: list[str]) -> tuple[str, list[str]]:
    """The language to score in and the detected languages (``model score``'s choice).

    Without a supported requested language, a text plainly in another language is detected
    as that language (and refused by ``served``); an unsure one is scored as before.
    """
    supported = [code for code in requested if attrs.primary(code) in attrs.LANGUAGES]
    detected = detect_language(text)
    other = None if supported else other_language(text)
    found = [other] if other else ([detected] if detected != "und" else [])
    if not requested and not found and not _LETTER.search(text):
        raise Invalid("Unable to detect language", code="LANGUAGE_DETECTION_FAILED")
    # As `moderation model score` does with a site's hint: it only breaks ties.
    return (detect_language(text, supported[0]) if supported else detected), found


def served(
    wanted: list[Requested], requested: list[str], detected: list[str], drop: bool
) -> list[Requested]:
    """The attributes we can answer; the rest are dropped or refused, as Perspective did."""
    spoken = requested or detected
    language_ok = not spoken or any(attrs.primary(c) in attrs.LANGUAGES for c in spoken)
    kept = [item for item in wanted if item.label is not None and language_ok]
    if drop or len(kept) == len(wanted):
        return kept
    refused = next(item for item in wanted if item not in kept)
    shown = requested or detected or ["und"]
    detail: dict[str, Any] = {"detectedLanguages": detected, "attribute": refused.name}
    if requested:
        detail["requestedLanguages"] = requested
    raise Invalid(
        f"Attribute {refused.name} does not support request languages: {', '.join(shown)}",
        code="LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        fields={"languageNotSupportedByAttributeError": detail},
    )


def scorer() -> Scorer:
    """The promoted model (the one accessor every path uses), or 503 when none is installed."""
    model = current_scorer()
    if model is None:
        raise Unavailable("No classifier model is installed.")
    return model


def _scores(model: Scorer, texts: list[str], language: str) -> list[dict[str, float]]:
    # Explanations cost as much as the scores and Perspective has no use for them.
    if isinstance(model, LinearModel):
        outputs = model.score_many(texts, [language] * len(texts), explain=False)
    else:
        outputs = model.score_many(texts, [language] * len(texts))
    return [_rounded(output.scores) for output in outputs]


def _rounded(scores: Any) -> dict[str, float]:
    # Six decimals, as `moderation model score` prints them.
    return {label: round(float(value), 6) for label, value in scores.items()}


def _score(value: float) -> dict[str, Any]:
    return {"value": value, "type": attrs.PROBABILITY}


def _spans(
    model: Scorer, text: str, language: str, whole: dict[str, float], per_sentence: bool
) -> list[tuple[int, int, dict[str, float]]]:
    if not per_sentence:
        return [(0, utf16_length(text), whole)]
    found = sentences(text)
    scores = _scores(model, [s for _, _, s in found], language)
    return [(b, e, s) for (b, e, _), s in zip(found, scores, strict=True)]


def render_scores(
    wanted: list[Requested], whole: dict[str, float], spans: list[tuple[int, int, dict[str, float]]]
) -> dict[str, Any]:
    """``attributeScores``, keyed by each name as requested; scores under a threshold left out."""
    body: dict[str, Any] = {}
    for item in wanted:
        assert item.label is not None
        floor = item.threshold if item.threshold is not None else 0.0
        entry: dict[str, Any] = {}
        spans_kept = [
            {"begin": b, "end": e, "score": _score(s[item.label])}
            for b, e, s in spans
            if s[item.label] >= floor
        ]
        if spans_kept:
            entry["spanScores"] = spans_kept
        if whole[item.label] >= floor:
            entry["summaryScore"] = _score(whole[item.label])
        body[item.name] = entry
    return body


def analyze(session: Session, *, key: ApiKey, data: dict[str, Any]) -> dict[str, Any]:
    """Answer ``comments:analyze``; keep the text for the key's site unless ``doNotStore``."""
    text = comment_text(data)
    wanted = requested_attributes(data)
    check_context(data)
    requested = list(data.get("languages") or [])
    with stage("language"):
        language, detected = languages(text, requested)
    wanted = served(wanted, requested, detected, bool(data.get("dropUnsupportedAttributes")))
    with stage("model"):
        model = scorer()
        whole = _scores(model, [text], language)[0]
    spans = _spans(model, text, language, whole, bool(data.get("spanAnnotations")))
    body: dict[str, Any] = {
        "attributeScores": render_scores(wanted, whole, spans),
        "languages": requested or detected,
        "detectedLanguages": detected,
    }
    if "clientToken" in data:
        body["clientToken"] = data["clientToken"]
    if not data.get("doNotStore"):
        with stage("store"):
            _keep(session, key, text, language, whole, model.version, data.get("clientToken"))
    return body


def _keep(
    session: Session,
    key: ApiKey,
    text: str,
    language: str,
    scores: dict[str, float],
    version: str,
    token: str | None,
) -> None:
    row = ScoredText(site_id=key.site_id, key_id=key.id, text=text, language=language)
    row.scores, row.model_version, row.client_token = scores, version, token
    session.add(row)
    session.flush()


def suggest(session: Session, *, key: ApiKey, data: dict[str, Any]) -> dict[str, Any]:
    """Store ``comments:suggestscore`` as labelled feedback (value 1 = not acceptable)."""
    text = comment_text(data)
    check_context(data)
    labels = suggested_labels(data.get("attributeScores") or {})
    requested = [c for c in data.get("languages") or [] if attrs.primary(c) in attrs.LANGUAGES]
    language = detect_language(text, requested[0] if requested else None)
    token = data.get("clientToken")
    answer = {"clientToken": token} if token is not None else {}
    if not labels:  # only attributes we do not serve: nothing to learn from
        return answer
    session.add(
        Feedback(
            site_id=key.site_id,
            key_id=key.id,
            text=text,
            language=language,
            labels=labels,
            client_token=token,
        )
    )
    session.flush()
    return answer


def suggested_labels(scores: dict[str, Any]) -> dict[str, int]:
    """Our labels from suggested scores: 1 at 0.5 and over, else 0 (attributes we lack: none)."""
    if not scores:
        raise _invalid("attributeScores must not be empty.")
    labels = {}
    for name, suggested in scores.items():
        if not attrs.is_known(name):
            raise _invalid(f"Unknown attribute: {name}")
        score_type = str(suggested["summaryScore"].get("type") or attrs.PROBABILITY).upper()
        if score_type != attrs.PROBABILITY:
            raise _invalid(f"Score type {score_type} is not supported for suggestions.")
        label = attrs.label_for(name)
        if label is not None:
            labels[label] = 1 if suggested["summaryScore"]["value"] >= 0.5 else 0
    return labels
