"""One error shape everywhere; the OpenAPI document covers every route."""

from __future__ import annotations

import re

from moderation.errors import register_error_handlers


def test_unknown_route_and_method_use_the_error_shape(app):
    client = app.test_client()
    assert client.get("/nope").json["error"]["code"] == "not_found"
    response = client.put("/healthz")
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"


def test_a_500_never_leaks_internals(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("password=hunter2 at /srv/app.py")

    register_error_handlers(app)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.json == {
        "error": {"code": "internal_error", "message": "Internal server error."}
    }


def test_openapi_documents_every_route(app):
    spec = app.test_client().get("/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("console."):
            continue  # the moderator console is HTML pages, not part of the JSON API
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        assert path in documented, f"{rule.rule} is not in /openapi.json"
    post = spec["paths"]["/v1/sites/{site}/comments"]["post"]
    assert "202" in post["responses"] and post["requestBody"]


def test_healthz_and_readyz(app):
    client = app.test_client()
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.json
    assert ready.json["checks"] == {"database": "ok", "broker": "ok"}


def test_readyz_names_an_unreachable_broker(tmp_path, migrated_sqlite):
    import shutil

    from tests.helpers import make_app

    shutil.copy(migrated_sqlite, tmp_path / "db.sqlite")
    app = make_app(
        f"sqlite:///{tmp_path}/db.sqlite", tmp_path, CELERY_BROKER_URL="redis://127.0.0.1:1/0"
    )
    with app.app_context():
        response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["broker"] != "ok"


def test_an_unreachable_database_is_503_not_500(tmp_path):
    from tests.helpers import SiteClient, make_app, payload

    app = make_app(f"sqlite:///{tmp_path}/missing-dir/db.sqlite", tmp_path)
    with app.app_context():
        response = SiteClient(app.test_client(), "demo", "any-secret").post(payload())
    assert response.status_code == 503
    assert response.json == {
        "error": {"code": "unavailable", "message": "Database unavailable; retry later."}
    }
    assert response.headers["Retry-After"] == "5"
