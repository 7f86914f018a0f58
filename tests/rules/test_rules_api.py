"""Admin API (/v1/rules) and backtest against stored comments."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from moderation.comments.models import Comment, Decision
from moderation.extensions import db
from moderation.rules.backtest import run_backtest
from moderation.rules.cli import rules_cli
from moderation.rules.loader import compile_ruleset
from moderation.rules.store import rules_store
from tests.helpers import SiteClient, payload
from tests.rules.conftest import bearer

CANDIDATE = {
    "files": {
        "house.yaml": "lists:\n  insults: {file: lists/insults.txt}\nrules:\n"
        "  - {id: insults, if: {body: {words: '@insults'}}, then: review, reason: insult}\n"
        "tests:\n  - {body: 'quel connard', expect: review, rule: insults}\n"
        "  - {body: 'merci', expect: review}\n"
    },
    "lists": {"lists/insults.txt": "connard\n"},
}


def test_get_rules_needs_an_admin(api: FlaskClient) -> None:
    assert api.get("/v1/rules").status_code == 401
    assert api.get("/v1/rules", headers=bearer("moderator")).status_code == 403


def test_get_rules_shows_the_live_ruleset(api: FlaskClient) -> None:
    body = api.get("/v1/rules", headers=bearer()).json
    assert body["active"]["version"].startswith("sha256:")
    assert body["active"]["files"] == ["house.yaml"]
    assert body["last_refused"] is None


def test_get_rules_shows_a_refused_reload(app: Flask, api: FlaskClient) -> None:
    headers = bearer()
    live = api.get("/v1/rules", headers=headers).json["active"]["version"]
    (rules_store().directory / "broken.yaml").write_text(
        "rules:\n  - {id: x, if: {}, then: review}\n"
    )
    rules_store().reload()
    body = api.get("/v1/rules", headers=headers).json
    assert body["active"]["version"] == live
    (error,) = body["last_refused"]["errors"]
    assert (error["file"], error["line"], error["key"]) == ("broken.yaml", 2, "rules[0].if")


def test_check_valid_candidate_runs_its_tests(api: FlaskClient) -> None:
    body = api.post("/v1/rules/check", json=CANDIDATE, headers=bearer()).json
    assert body["valid"] is True and body["rules"] == ["insults"]
    assert body["tests"]["passed"] == 1
    assert body["tests"]["failed"][0]["line"] == 7


def test_check_invalid_candidate_answers_errors_with_file_and_line(api: FlaskClient) -> None:
    candidate = {
        "files": {
            "a.yaml": "rules:\n  - id: x\n    if: {body: {regex: '(?<=a)'}}\n    then: nuke\n"
        }
    }
    body = api.post("/v1/rules/check", json=candidate, headers=bearer()).json
    assert body["valid"] is False
    assert [(e["file"], e["line"], e["key"]) for e in body["errors"]] == [
        ("a.yaml", 3, "rules[0].if.body.regex"),
        ("a.yaml", 4, "rules[0].then"),
    ]


@pytest.mark.parametrize(
    "body",
    [{}, {"files": {"../x.yaml": "rules: []"}}, {"files": {"a.txt": ""}}, {"files": {"a.yaml": 3}}],
)
def test_check_rejects_malformed_requests(api: FlaskClient, body: dict[str, Any]) -> None:
    response = api.post("/v1/rules/check", json=body, headers=bearer())
    assert response.status_code == 400
    assert response.json["error"]["code"] == "validation_error"


def post_comments(site: SiteClient) -> None:
    site.post(payload("c-1", body="Merci pour cet article"))
    site.post(payload("c-2", body="Quel connard, ce ministre"))
    site.post(payload("c-3", body="Encore un connard"))
    site.post(payload("c-3", body="Encore un homme politique"))  # revision 2 replaces it


def test_backtest_service_counts_changes(site: SiteClient) -> None:
    post_comments(site)
    ruleset = compile_ruleset(CANDIDATE["files"], CANDIDATE["lists"])
    progress: list[tuple[int, int]] = []
    report = run_backtest(
        session=db.session,
        ruleset=ruleset,
        since=dt.timedelta(days=30),
        progress=lambda done, total: progress.append((done, total)),
    )
    assert (report.replayed, report.changed, report.unchanged) == (3, 1, 2)
    assert dict(report.by_action) == {"approve -> review": 1}
    assert dict(report.by_rule) == {"insults": 1}
    (example,) = report.examples
    assert example["comment"] == "c-2" and example["after"]["rule"] == "insults"
    assert progress == [(3, 3)]
    old = run_backtest(session=db.session, ruleset=ruleset, since=dt.timedelta(days=30),
                       now=dt.datetime.now(dt.UTC) + dt.timedelta(days=31))  # fmt: skip
    assert old.replayed == 0


def test_backtest_endpoint(site: SiteClient, api: FlaskClient) -> None:
    post_comments(site)
    headers = bearer()
    body = api.post(
        "/v1/rules/backtest", json={**CANDIDATE, "since": "7 days"}, headers=headers
    ).json
    assert (body["replayed"], body["changed"], body["by_rule"]) == (3, 1, {"insults": 1})
    on_disk = api.post("/v1/rules/backtest", json={}, headers=headers).json
    assert on_disk["changed"] == 0
    bad = api.post("/v1/rules/backtest", json={"since": "forever"}, headers=headers)
    assert bad.status_code == 400 and "since" in bad.json["error"]["fields"]
    invalid = api.post(
        "/v1/rules/backtest", json={"files": {"a.yaml": "rules: 3"}}, headers=headers
    )
    assert invalid.status_code == 400 and invalid.json["error"]["code"] == "invalid_ruleset"


def test_backtest_command(app: Flask, site: SiteClient, tmp_path: Any) -> None:
    post_comments(site)
    rules = tmp_path / "candidate"
    (rules / "lists").mkdir(parents=True)
    (rules / "house.yaml").write_text(CANDIDATE["files"]["house.yaml"])
    (rules / "lists" / "insults.txt").write_text("connard\n")
    result = CliRunner().invoke(rules_cli, ["backtest", str(rules), "--since", "30d"])
    assert result.exit_code == 0, result.output
    assert "replayed 3 comments: 1 would change, 2 unchanged" in result.output
    assert re.search(r"approve -> review +1", result.output)
    assert "replayed 3/3" in result.output  # progress (stderr, mixed in by the runner)


def moderator_decides(external_id: str, action: str) -> None:
    comment = db.session.scalar(select(Comment).where(Comment.external_id == external_id))
    assert comment is not None
    db.session.add(
        Decision(
            comment_id=comment.id,
            revision=comment.revision,
            action=action,
            status=action + "d",
            decided_by="moderator:m",
            record={},
        )
    )
    db.session.commit()


def test_backtest_command_prints_text_and_explains_deferred(
    app: Flask, site: SiteClient, tmp_path: Any
) -> None:
    post_comments(site)
    moderator_decides("c-1", "approve")  # the candidate approves too: agree
    moderator_decides("c-2", "reject")  # the candidate holds it for review: deferred
    rules = tmp_path / "candidate"
    (rules / "lists").mkdir(parents=True)
    (rules / "house.yaml").write_text(CANDIDATE["files"]["house.yaml"])
    (rules / "lists" / "insults.txt").write_text("connard\n")
    result = CliRunner().invoke(rules_cli, ["backtest", str(rules)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "{" not in text and "Counter" not in text  # no Python dict or repr
    assert "Against the 2 comment(s) a moderator also decided (same revision):" in text
    assert re.search(r"agree +1 ", text) and re.search(r"disagree +0 ", text)
    assert re.search(r"deferred +1  the candidate holds it for review", text)
    assert '("deferred": a moderator would decide the comment again' in text
    assert "[approve -> review] comment c-2 (revision 1), decided by rule insults" in text
    assert "      Quel connard, ce ministre" in text
    as_json = CliRunner().invoke(rules_cli, ["backtest", str(rules), "--json"])
    report = json.loads(as_json.stdout)
    assert report["moderator_agreement"] == {"agree": 1, "deferred": 1}
