"""The Google discovery document for ``commentanalyzer`` v1alpha1, naming our public URL.

``googleapiclient.discovery.build("commentanalyzer", "v1alpha1", discoveryServiceUrl=...)``
reads it and then posts to ``rootUrl + servicePath + method path``. No OAuth scopes are
declared, so the library never looks for Google credentials.
"""

from __future__ import annotations

from typing import Any

_QUERY = {"type": "string", "location": "query"}
PARAMETERS = {
    "key": {**_QUERY, "description": "API key (`moderation sites add-key`)."},
    "alt": {**_QUERY, "default": "json", "enum": ["json", "media", "proto"]},
    "prettyPrint": {"type": "boolean", "location": "query", "default": "true"},
    "$.xgafv": {**_QUERY, "enum": ["1", "2"]},
    "fields": _QUERY,
    "quotaUser": _QUERY,
    "access_token": _QUERY,
    "oauth_token": _QUERY,
    "callback": _QUERY,
    "upload_protocol": _QUERY,
    "uploadType": _QUERY,
}


def _obj(name: str, **properties: Any) -> dict[str, Any]:
    return {"id": name, "type": "object", "properties": properties}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": name}


def _map(of: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": of}


_STR, _BOOL, _NUM = {"type": "string"}, {"type": "boolean"}, {"type": "number"}
_STRS = {"type": "array", "items": _STR}
SCHEMAS = {
    "TextEntry": _obj("TextEntry", text=_STR, type=_STR),
    "Context": _obj(
        "Context",
        entries={"type": "array", "items": _ref("TextEntry")},
        articleAndParentComment=_ref("ArticleAndParentComment"),
    ),
    "ArticleAndParentComment": _obj(
        "ArticleAndParentComment", article=_ref("TextEntry"), parentComment=_ref("TextEntry")
    ),
    "AttributeParameters": _obj("AttributeParameters", scoreType=_STR, scoreThreshold=_NUM),
    "Score": _obj("Score", value=_NUM, type=_STR),
    "SpanScore": _obj(
        "SpanScore", begin={"type": "integer"}, end={"type": "integer"}, score=_ref("Score")
    ),
    "AttributeScores": _obj(
        "AttributeScores",
        summaryScore=_ref("Score"),
        spanScores={"type": "array", "items": _ref("SpanScore")},
    ),
    "AnalyzeCommentRequest": _obj(
        "AnalyzeCommentRequest",
        comment=_ref("TextEntry"),
        context=_ref("Context"),
        requestedAttributes=_map(_ref("AttributeParameters")),
        languages=_STRS,
        doNotStore=_BOOL,
        clientToken=_STR,
        sessionId=_STR,
        communityId=_STR,
        spanAnnotations=_BOOL,
        dropUnsupportedAttributes=_BOOL,
    ),
    "AnalyzeCommentResponse": _obj(
        "AnalyzeCommentResponse",
        attributeScores=_map(_ref("AttributeScores")),
        languages=_STRS,
        detectedLanguages=_STRS,
        clientToken=_STR,
    ),
    "SuggestCommentScoreRequest": _obj(
        "SuggestCommentScoreRequest",
        comment=_ref("TextEntry"),
        context=_ref("Context"),
        attributeScores=_map(_ref("AttributeScores")),
        languages=_STRS,
        communityId=_STR,
        clientToken=_STR,
        sessionId=_STR,
    ),
    "SuggestCommentScoreResponse": _obj("SuggestCommentScoreResponse", clientToken=_STR),
}


def _method(name: str, request: str, response: str, summary: str) -> dict[str, Any]:
    return {
        "id": f"commentanalyzer.comments.{name}",
        "path": f"v1alpha1/comments:{name}",
        "flatPath": f"v1alpha1/comments:{name}",
        "httpMethod": "POST",
        "parameters": {},
        "parameterOrder": [],
        "request": _ref(request),
        "response": _ref(response),
        "description": summary,
    }


def document(root_url: str) -> dict[str, Any]:
    """The discovery document, with ``root_url`` (ending in "/") as ``rootUrl``."""
    return {
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": "commentanalyzer:v1alpha1",
        "name": "commentanalyzer",
        "version": "v1alpha1",
        "title": "Perspective Comment Analyzer API (self-hosted, compatible)",
        "protocol": "rest",
        "rootUrl": root_url,
        "servicePath": "",
        "baseUrl": root_url,
        "batchPath": "batch",
        "parameters": PARAMETERS,
        "resources": {
            "comments": {
                "methods": {
                    "analyze": _method(
                        "analyze",
                        "AnalyzeCommentRequest",
                        "AnalyzeCommentResponse",
                        "Analyzes the provided text and returns scores for requested attributes.",
                    ),
                    "suggestscore": _method(
                        "suggestscore",
                        "SuggestCommentScoreRequest",
                        "SuggestCommentScoreResponse",
                        "Suggest comment scores as training data.",
                    ),
                }
            }
        },
        "schemas": SCHEMAS,
    }
