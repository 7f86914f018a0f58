"""OpenAPI shapes of the Perspective-compatible answers (Google's, not our error shape)."""

from __future__ import annotations

from typing import Any

_SCORE = {
    "type": "object",
    "required": ["value", "type"],
    "properties": {"value": {"type": "number"}, "type": {"type": "string"}},
}
_ATTRIBUTE = {
    "type": "object",
    "properties": {
        "summaryScore": _SCORE,
        "spanScores": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["begin", "end", "score"],
                "properties": {
                    "begin": {"type": "integer"},
                    "end": {"type": "integer"},
                    "score": _SCORE,
                },
            },
        },
    },
}
_STRINGS = {"type": "array", "items": {"type": "string"}}
ANALYZE_RESPONSE: dict[str, Any] = {
    "type": "object",
    "required": ["attributeScores", "languages", "detectedLanguages"],
    "properties": {
        "attributeScores": {"type": "object", "additionalProperties": _ATTRIBUTE},
        "languages": _STRINGS,
        "detectedLanguages": _STRINGS,
        "clientToken": {"type": "string"},
    },
}
SUGGEST_RESPONSE: dict[str, Any] = {
    "type": "object",
    "properties": {"clientToken": {"type": "string"}},
}
GOOGLE_ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "status"],
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "status": {"type": "string"},
                "details": {"type": "array", "items": {"type": "object"}},
            },
        }
    },
}
ERRORS = {status: GOOGLE_ERROR for status in (400, 404, 413, 429, 503)}
