"""The OpenAPI document, built from the contracts views declare with ``@endpoint``."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from werkzeug.routing import IntegerConverter

from moderation.api import Contract

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}
SECURITY: dict[str, list[dict[str, list[str]]]] = {
    "site": [{"siteSignature": []}],
    "moderator": [{"bearer": []}],
    "admin": [{"bearer": []}],
    # The empty requirement: open when neither MODERATION_METRICS_TOKEN nor _ALLOW is set.
    "metrics": [{"metricsToken": []}, {}],
    "key": [{"apiKey": []}],  # Perspective-compatible routes: ?key=
    "coral": [{"coralSignature": []}],  # Coral's phase: HMAC of the raw body
}


def build_spec(app: Flask) -> dict[str, Any]:
    """Walk the URL map and document every route that declares a contract."""
    spec = APISpec(
        title="Comment moderation service",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
    )
    spec.components.schema("Error", ERROR_SCHEMA)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.security_scheme("apiKey", {"type": "apiKey", "in": "query", "name": "key"})
    spec.components.security_scheme(
        "metricsToken",
        {"type": "http", "scheme": "bearer", "description": "MODERATION_METRICS_TOKEN, if set"},
    )
    spec.components.security_scheme(
        "coralSignature", {"type": "apiKey", "in": "header", "name": "X-Coral-Signature"}
    )
    spec.components.security_scheme(
        "siteSignature", {"type": "apiKey", "in": "header", "name": "X-Moderation-Signature"}
    )
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        contract: Contract | None = getattr(view, "__api_contract__", None)
        if contract is None:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        converters = rule._converters.items()
        integers = {n: _integer(c) for n, c in converters if isinstance(c, IntegerConverter)}
        operations = {
            m.lower(): _operation(contract, rule.arguments, integers)
            for m in rule.methods or ()
            if m not in ("HEAD", "OPTIONS")
        }
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _integer(converter: Any) -> dict[str, Any]:
    """An ``int`` URL part with the bounds its converter enforces (outside them: 404)."""
    schema: dict[str, Any] = {"type": "integer"}
    low = converter.min if converter.min is not None else (None if converter.signed else 0)
    if low is not None:
        schema["minimum"] = low
    if converter.max is not None:
        schema["maximum"] = converter.max
    return schema


def _operation(
    contract: Contract, arguments: set[str], integers: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": contract.summary, "tags": [contract.tag], "responses": {}}
    if contract.description:
        op["description"] = contract.description
    op["parameters"] = [
        {
            "in": "path",
            "name": n,
            "required": True,
            "schema": integers.get(n, {"type": "string"}),
        }
        for n in sorted(arguments)
    ]
    if contract.query is not None:
        op["parameters"].append({"in": "query", "schema": contract.query})
    if contract.auth:
        op["security"] = SECURITY[contract.auth]
    if contract.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": contract.body}},
        }
    responses = dict(contract.responses)
    # Every authenticated route is rate-limited (moderation/limits.py); monitoring never is.
    if contract.auth and contract.auth != "metrics":
        responses.setdefault(429, None)
    if contract.uses_db:  # a database outage answers 503 (moderation/errors.py)
        responses.setdefault(503, None)
    for status, schema in responses.items():
        # None documents the one error shape; a dict is an inline JSON schema.
        content = schema if schema is not None else "Error"
        op["responses"][str(status)] = {
            "description": "error" if schema is None else "success",
            "content": {
                contract.media if schema is not None else "application/json": {"schema": content}
            },
        }
    return op
