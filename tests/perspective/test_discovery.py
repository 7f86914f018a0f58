"""Google's own client library works against us after changing only the discovery URL."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from googleapiclient import discovery
from googleapiclient.errors import HttpError
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.perspective.conftest import request_body


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:
        pass  # request lines carry ?key=


@pytest.fixture
def served(papp: Flask, key: str) -> Iterator[str]:
    """The app over real HTTP on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, papp, threaded=True, request_handler=_Quiet)
    papp.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield papp.config["PUBLIC_URL"]
    server.shutdown()
    thread.join(5)


def build(base: str, key: str):
    """What a Perspective script does, with only the discovery URL changed."""
    return discovery.build(
        "commentanalyzer",
        "v1alpha1",
        developerKey=key,
        discoveryServiceUrl=f"{base}/$discovery/rest?version=v1alpha1",
        static_discovery=False,
        cache_discovery=False,
    )


def test_googleapiclient_analyze_and_suggestscore(served, key):
    client = build(served, key)
    body = request_body("Espèce de connard", languages=["fr"], clientToken="c-1")
    answer = client.comments().analyze(body=body).execute()
    assert answer["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.5
    assert answer["clientToken"] == "c-1"
    feedback = {
        "comment": {"text": "Espèce de connard"},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
        "clientToken": "comment:1",
    }
    assert client.comments().suggestscore(body=feedback).execute() == {"clientToken": "comment:1"}


def test_googleapiclient_sees_googles_errors(served, key):
    client = build(served, key)
    with pytest.raises(HttpError) as caught:
        client.comments().analyze(body=request_body(languages=["om"])).execute()
    assert caught.value.status_code == 400
    assert "does not support request languages: om" in str(caught.value)
    assert caught.value.error_details[0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    with pytest.raises(HttpError) as bad_key:
        build(served, "pk_wrong")
    assert "API key not valid. Please pass a valid API key." in str(bad_key.value)


def test_the_discovery_document_names_the_public_url(papp):
    papp.config["PUBLIC_URL"] = "https://moderation.example.org"
    document = papp.test_client().get("/$discovery/rest?version=v1alpha1").json
    assert document["rootUrl"] == "https://moderation.example.org/"
    assert document["servicePath"] == ""
    methods = document["resources"]["comments"]["methods"]
    assert methods["analyze"]["path"] == "v1alpha1/comments:analyze"
    assert methods["suggestscore"]["httpMethod"] == "POST"
    assert "auth" not in document and "mtlsRootUrl" not in document
