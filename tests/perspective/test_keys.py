"""``moderation sites add-key`` / ``revoke-key``: printed once, stored hashed, revocable."""

from __future__ import annotations

import json

from sqlalchemy import select

from moderation.cli import build_cli
from moderation.extensions import db
from moderation.perspective.models import ApiKey
from tests.perspective.conftest import Perspective, everything, request_body


def test_add_key_prints_it_once_and_stores_only_its_hash(papp):
    from moderation.sites.service import add_site

    add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    runner = papp.test_cli_runner()
    result = runner.invoke(build_cli(), ["sites", "add-key", "demo"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert set(printed) == {"site", "key"} and printed["site"] == "demo"
    key = printed["key"]
    assert key.startswith("pk_") and len(key) > 40
    assert key not in everything()
    assert len(db.session.scalars(select(ApiKey)).all()) == 1
    assert Perspective(papp, key).analyze(request_body()).status_code == 200
    again = json.loads(runner.invoke(build_cli(), ["sites", "add-key", "demo"]).output)["key"]
    assert again != key


def test_revoke_key_stops_that_key_only(papp, key):
    runner = papp.test_cli_runner()
    other = json.loads(runner.invoke(build_cli(), ["sites", "add-key", "demo"]).output)["key"]
    result = runner.invoke(build_cli(), ["sites", "revoke-key", "demo", key])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert Perspective(papp, key).analyze(request_body()).status_code == 400
    assert Perspective(papp, other).analyze(request_body()).status_code == 200


def test_key_commands_refuse_unknown_sites_and_keys(papp, key):
    runner = papp.test_cli_runner()
    assert "No site 'nope'" in runner.invoke(build_cli(), ["sites", "add-key", "nope"]).output
    wrong = runner.invoke(build_cli(), ["sites", "revoke-key", "demo", "pk_unknown"])
    assert wrong.exit_code != 0 and "no such key" in wrong.output
