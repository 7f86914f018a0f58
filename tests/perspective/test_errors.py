"""Bad input anywhere answers in Google's envelope and changes nothing (SPEC §10.1)."""

from __future__ import annotations

import pytest

from moderation.errors import GOOGLE_ERROR_TYPE
from moderation.extensions import db
from moderation.perspective.keys import revoke_key
from tests.perspective.conftest import Perspective, request_body, stored_counts

BAD_KEY = "API key not valid. Please pass a valid API key."
TEXT = {"comment": {"text": "Merci"}}
ATTRS = {"requestedAttributes": {"TOXICITY": {}}}

BAD_BODIES = {
    "malformed json": (b'{"comment": {"text": "x"', "INVALID_REQUEST"),
    "not utf-8": (b'{"comment": {"text": "\xff"}}', "INVALID_REQUEST"),
    "not an object": (b'["comment"]', "INVALID_REQUEST"),
    "NaN": (
        b'{"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": NaN}}}',
        "INVALID_REQUEST",
    ),
    "NUL": (
        b'{"comment": {"text": "a\\u0000b"}, "requestedAttributes": {"TOXICITY": {}}}',
        "INVALID_REQUEST",
    ),
    "lone surrogate": (
        b'{"comment": {"text": "a\\ud800b"}, "requestedAttributes": {"TOXICITY": {}}}',
        "INVALID_REQUEST",
    ),
    "surrogate in a key": (
        b'{"comment": {"text": "ab"}, "requestedAttributes": {"\\udfff": {}}}',
        "INVALID_REQUEST",
    ),
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "INVALID_REQUEST"),
    "text not a string": (
        b'{"comment": {"text": 5}, "requestedAttributes": {"TOXICITY": {}}}',
        "INVALID_REQUEST",
    ),
    "attributes a list": (
        b'{"comment": {"text": "x"}, "requestedAttributes": ["TOXICITY"]}',
        "INVALID_REQUEST",
    ),
    "attribute settings null": (
        b'{"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": null}}',
        "INVALID_REQUEST",
    ),
    "threshold over 1": (
        b'{"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": 2}}}',
        "INVALID_REQUEST",
    ),
    "languages a string": (
        b'{"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "languages": "fr"}',
        "INVALID_REQUEST",
    ),
    "doNotStore a list": (
        b'{"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": []}',
        "INVALID_REQUEST",
    ),
    "no comment": (b'{"requestedAttributes": {"TOXICITY": {}}}', "COMMENT_EMPTY"),
    "empty text": (
        b'{"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}',
        "COMMENT_EMPTY",
    ),
    "blank text": (
        b'{"comment": {"text": "  \\n "}, "requestedAttributes": {"TOXICITY": {}}}',
        "COMMENT_EMPTY",
    ),
    "no attributes": (b'{"comment": {"text": "x"}}', "NO_REQUESTED_ATTRIBUTES"),
    "empty attributes": (
        b'{"comment": {"text": "x"}, "requestedAttributes": {}}',
        "NO_REQUESTED_ATTRIBUTES",
    ),
    "unknown attribute": (
        b'{"comment": {"text": "x"}, "requestedAttributes": {"NICENESS": {}}}',
        "INVALID_REQUEST",
    ),
    "raw score type": (
        b'{"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}}',
        "INVALID_REQUEST",
    ),
    "bogus score type": (
        b'{"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreType": "LOUD"}}}',
        "INVALID_REQUEST",
    ),
    "html comment": (
        b'{"comment": {"text": "x", "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}}',
        "INVALID_REQUEST",
    ),
    "context with both": (
        b'{"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "context": '
        b'{"entries": [{"text": "a"}], "articleAndParentComment": {"article": {"text": "b"}}}}',
        "INVALID_REQUEST",
    ),
}


def assert_google_error(response, status: int, error_type: str | None) -> dict:
    """The envelope Google's clients parse; returns the error object."""
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert set(error) <= {"code", "message", "status", "details"}
    assert error["code"] == status and error["message"]
    assert (
        error["status"]
        == {400: "INVALID_ARGUMENT", 413: "INVALID_ARGUMENT", 429: "RESOURCE_EXHAUSTED"}[status]
    )
    if error_type:
        assert error["details"][0] == {
            **error["details"][0],
            "@type": GOOGLE_ERROR_TYPE,
            "errorType": error_type,
        }
    return error


@pytest.mark.parametrize("case", BAD_BODIES, ids=list(BAD_BODIES))
def test_bad_analyze_bodies(persp, case):
    raw, error_type = BAD_BODIES[case]
    before = stored_counts()
    assert_google_error(persp.analyze(None, raw=raw), 400, error_type)
    assert stored_counts() == before


@pytest.mark.parametrize(
    "raw",
    [
        b'{"comment": {"text": "x"}}',
        b'{"comment": {"text": "x"}, "attributeScores": {}}',
        b'{"comment": {"text": "x"}, "attributeScores": {"NICENESS": {"summaryScore": {"value": 1}}}}',
        b'{"comment": {"text": "x"}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 7}}}}',
        b'{"comment": {"text": "x"}, "attributeScores": {"TOXICITY": {}}}',
        b'{"comment": {"text": "x"}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1, "type": "RAW"}}}}',
        b'{"attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}}',
        b'{"comment": {"text": "a\\u0000"}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}}',
        b"{",
    ],
)
def test_bad_suggestscore_bodies(persp, raw):
    before = stored_counts()
    response = persp.suggest(None, raw=raw)
    assert_google_error(response, 400, None)
    assert response.json["error"]["details"][0]["errorType"] in ("INVALID_REQUEST", "COMMENT_EMPTY")
    assert stored_counts() == before


def test_a_comment_over_20_kb_is_too_long(persp):
    before = stored_counts()
    error = assert_google_error(persp.analyze(request_body("é" * 10_241)), 400, "COMMENT_TOO_LONG")
    assert error["message"] == "Comment text too long."
    assert persp.analyze(request_body("é" * 10_240)).status_code == 200
    assert stored_counts()["requests"] == before["requests"] + 1


def test_a_huge_body_is_refused_before_parsing(persp):
    before = stored_counts()
    raw = b'{"comment": {"text": "' + b"a" * 300_000 + b'"}}'
    assert_google_error(persp.analyze(None, raw=raw), 413, "INVALID_REQUEST")
    assert stored_counts() == before


def test_a_20_kb_comment_of_escaped_emoji_fits(persp):
    import json

    raw = json.dumps(
        request_body("😀" * 5_000, languages=["fr"])
    ).encode()  # \\ud83d\\ude00: 12 bytes each
    assert len(raw) > 60_000
    assert persp.analyze(None, raw=raw).status_code == 200


@pytest.mark.parametrize("query", ["", "?key=", "?key=nope", "?key=pk_nope", "?KEY=x"])
def test_a_missing_or_bad_key(papp, key, query):
    before = stored_counts()
    for path in ("/v1alpha1/comments:analyze", "/comments:suggestscore"):
        response = papp.test_client().post(path + query, json=request_body())
        error = assert_google_error(response, 400, None)
        assert error["message"] == BAD_KEY
        assert error["details"][0]["reason"] == "API_KEY_INVALID"
    assert stored_counts() == before


def test_a_revoked_key_stops_working_at_once(persp):
    assert persp.analyze(request_body()).status_code == 200
    revoke_key(db.session, slug="demo", key=persp.key)
    db.session.commit()
    assert persp.analyze(request_body()).json["error"]["message"] == BAD_KEY


def test_an_unknown_discovery_version_is_google_shaped(persp):
    missing = persp.client.get("/$discovery/rest?version=v9")
    assert missing.status_code == 404 and missing.json["error"]["status"] == "NOT_FOUND"


def test_rate_limit_per_key_is_429_resource_exhausted(tmp_path, migrated_sqlite):
    import shutil

    from moderation.perspective.keys import add_key
    from moderation.sites.service import add_site
    from tests.helpers import make_app
    from tests.perspective.conftest import MODELS

    shutil.copy(migrated_sqlite, tmp_path / "db.sqlite")
    app = make_app(
        f"sqlite:///{tmp_path}/db.sqlite",
        tmp_path,
        MODELS_DIR=str(MODELS),
        RATE_LIMITS_ENABLED=True,
        RATE_LIMIT_KEY="3/minute",
        RATE_LIMIT_CLIENT="1000/minute",
    )
    with app.app_context():
        add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
        first, second = add_key(db.session, slug="demo"), add_key(db.session, slug="demo")
        db.session.commit()
        client = Perspective(app, first)
        assert [client.analyze(request_body()).status_code for _ in range(3)] == [200] * 3
        response = client.analyze(request_body())
        error = assert_google_error(response, 429, None)
        assert error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
        assert int(response.headers["Retry-After"]) >= 1
        assert Perspective(app, second).analyze(request_body()).status_code == 200
        db.remove()
        db.engine.dispose()


def test_an_unexpected_error_is_a_google_500_that_logs_no_text(persp, monkeypatch, caplog):
    import io
    import logging

    from moderation.logs import JsonFormatter
    from moderation.perspective import service

    def boom(*args, **kwargs):
        raise RuntimeError("secret text MARKER-500 in the message")

    monkeypatch.setattr(service, "scorer", boom)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger("moderation").addHandler(handler)
    try:
        response = persp.analyze(request_body("MARKER-500"))
    finally:
        logging.getLogger("moderation").removeHandler(handler)
    assert response.status_code == 500
    assert response.json == {
        "error": {"code": 500, "message": "Internal error encountered.", "status": "INTERNAL"}
    }
    assert "RuntimeError" in stream.getvalue() and "MARKER-500" not in stream.getvalue()


def test_an_unreachable_database_is_a_google_503(tmp_path):
    from tests.helpers import make_app

    app = make_app(f"sqlite:///{tmp_path}/missing-dir/db.sqlite", tmp_path)
    with app.app_context():
        response = app.test_client().post("/v1alpha1/comments:analyze?key=pk_x", json={})
    assert response.status_code == 503
    assert response.json == {
        "error": {
            "code": 503,
            "message": "The service is currently unavailable.",
            "status": "UNAVAILABLE",
        }
    }
    assert response.headers["Retry-After"] == "5"
