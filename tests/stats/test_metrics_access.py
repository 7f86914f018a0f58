"""``/metrics`` restricted by a bearer token and/or client networks, loopback only by default."""

from __future__ import annotations

import ipaddress

import pytest

from moderation.config import Config

TOKEN = "scrape-me"


def get(app, *, addr="127.0.0.1", token=None, headers=None):
    headers = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
    return app.test_client().get("/metrics", headers=headers, environ_base={"REMOTE_ADDR": addr})


def networks(*cidrs):
    return tuple(ipaddress.ip_network(c) for c in cidrs)


def test_closed_by_default(app):
    assert Config().METRICS_TOKEN == "" and Config().METRICS_ALLOW == ()
    for addr in ("203.0.113.9", "10.0.0.1", "2001:db8::1", "not-an-ip"):
        refused = get(app, addr=addr)
        assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden", addr
    for addr in ("127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"):
        assert get(app, addr=addr).status_code == 200, addr


def test_a_proxy_on_the_same_host_is_not_local(app):
    for header in ("X-Forwarded-For", "Forwarded"):
        relayed = get(app, headers={header: "203.0.113.9"})
        assert relayed.status_code == 403, header


def test_the_token_alone_opens_it_to_any_address(app):
    app.config["METRICS_TOKEN"] = TOKEN
    assert get(app, addr="203.0.113.9", token=TOKEN).status_code == 200
    assert get(app, addr="203.0.113.9").status_code == 401


def test_the_token_is_required_when_set(app):
    app.config["METRICS_TOKEN"] = TOKEN
    refused = get(app)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "unauthorized"
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert get(app, token="wrong").status_code == 401
    assert get(app, token=TOKEN).status_code == 200


def test_the_allow_list_is_enforced_when_set(app):
    app.config["METRICS_ALLOW"] = networks("10.0.0.0/8", "2001:db8::/32")
    for addr in ("10.1.2.3", "2001:db8::7", "::ffff:10.0.0.1"):
        assert get(app, addr=addr).status_code == 200, addr
    for addr in ("127.0.0.1", "192.168.1.1", "2001:db9::1", "not-an-ip"):
        refused = get(app, addr=addr)
        assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden", addr


def test_both_set_need_both(app):
    app.config["METRICS_TOKEN"] = TOKEN
    app.config["METRICS_ALLOW"] = networks("10.0.0.0/8")
    assert get(app, addr="10.0.0.5", token=TOKEN).status_code == 200
    assert get(app, addr="10.0.0.5").status_code == 401
    assert get(app, addr="192.0.2.1", token=TOKEN).status_code == 403


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("MODERATION_METRICS_TOKEN", TOKEN)
    monkeypatch.setenv("MODERATION_METRICS_ALLOW", " 10.0.0.0/8, 192.0.2.7 ,")
    token, allowed = Config().METRICS_TOKEN, Config().METRICS_ALLOW
    assert token == TOKEN and allowed == networks("10.0.0.0/8", "192.0.2.7/32")
    monkeypatch.setenv("MODERATION_METRICS_ALLOW", "10.0.0.0/33")
    with pytest.raises(ValueError):
        Config()


def test_the_openapi_contract_documents_it(app):
    doc = app.test_client().get("/openapi.json").json
    op = doc["paths"]["/metrics"]["get"]
    assert {"401", "403"} <= set(op["responses"]) and "429" not in op["responses"]
    assert op["security"] == [{"metricsToken": []}, {}]
    assert "MODERATION_METRICS_TOKEN" in op["description"]
    assert "MODERATION_METRICS_ALLOW" in op["description"]
    assert "loopback" in op["description"]
    assert doc["components"]["securitySchemes"]["metricsToken"]["scheme"] == "bearer"
