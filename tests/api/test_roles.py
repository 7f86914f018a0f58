"""Every route, every role: derived from the declared contracts, so new routes are covered."""

from __future__ import annotations

import re

import pytest

from moderation.accounts.service import revoke_user

SAMPLE = {"site": "demo", "cid": "c-1", "item_id": "1", "source": "facebook", "author_id": "u-1"}


def routes(app):
    for rule in app.url_map.iter_rules():
        contract = getattr(app.view_functions[rule.endpoint], "__api_contract__", None)
        if contract is None:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: SAMPLE[m.group(1)], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path, contract.auth


def call(client, method, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.open(path, method=method, json={}, headers=headers)


def test_every_route_declares_its_auth(house):
    declared = {auth for _, _, auth in routes(house)}
    # metrics: optional token; key: Perspective's ?key=; coral: Coral's body signature
    assert declared <= {None, "site", "moderator", "admin", "metrics", "key", "coral"}
    assert {"site", "moderator", "admin"} <= declared


@pytest.mark.parametrize("who", ["nobody", "bad-token", "revoked", "moderator", "admin"])
def test_role_matrix(house, site, alice, root, who):
    client = house.test_client()
    token = {
        "nobody": None,
        "bad-token": "mod_nope",
        "revoked": alice.token,
        "moderator": alice.token,
        "admin": root.token,
    }[who]
    if who == "revoked":
        from moderation.extensions import db

        revoke_user(db.session, name="alice")
    for method, path, auth in routes(house):
        status = call(client, method, path, token).status_code
        if auth in ("site", "coral"):
            assert status == 401, (method, path)  # a bearer token is no signature
        elif auth == "key":
            assert status == 400, (method, path)  # nor a Perspective ?key= (Google answers 400)
        elif auth in ("moderator", "admin"):
            if who in ("nobody", "bad-token", "revoked"):
                assert status == 401, (who, method, path)
            elif auth == "admin" and who == "moderator":
                assert status == 403, (method, path)
            else:
                assert status not in (401, 403), (who, method, path, status)
        else:
            assert status not in (401, 403), (method, path)
