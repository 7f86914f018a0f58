"""The decision path: faults retried, engine failures reviewed, sanctions built in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from moderation.authors.models import Author
from moderation.comments.models import Comment
from moderation.extensions import db
from moderation.review.authors import add_sanction
from moderation.rules.engine import Ruleset
from moderation.scoring import pipeline
from moderation.scoring.history import fetch_history
from tests.helpers import payload, reconfigure

HISTORY_RULES = """\
default: approve
rules:
  - id: repeat
    if: {history: {same_body_within: {within: "10 minutes", count: ">= 5"}}}
    then: review
    reason: repeat_post
"""


def _rules(app, tmp_path: Path, text_: str) -> None:
    (tmp_path / "rules" / "house.yaml").write_text(text_)
    reconfigure(app)


def _fail_first(monkeypatch: pytest.MonkeyPatch, target: object, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(target, name)

    def flaky(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("SELECT", {}, Exception("server closed the connection"))
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, flaky)
    return calls


def test_a_database_error_while_reading_history_is_retried_not_reviewed(
    app, site, tmp_path, monkeypatch
):
    _rules(app, tmp_path, HISTORY_RULES)
    calls = _fail_first(monkeypatch, pipeline, "claim_ready")
    site.post(payload())
    record = site.get("c-1").json
    assert len(calls) == 2  # the task retried after the fault
    assert record["status"] == "approved" and record["decision"]["reason"] != "scoring_error"


def test_a_database_error_raised_inside_rule_evaluation_is_retried(
    app, site, tmp_path, monkeypatch
):
    _rules(app, tmp_path, HISTORY_RULES)
    calls = _fail_first(monkeypatch, Ruleset, "evaluate")
    site.post(payload())
    assert len(calls) == 2
    assert site.get("c-1").json["status"] == "approved"


def test_an_engine_failure_is_held_for_review(app, site, monkeypatch):
    def broken(self: Ruleset, facts: object) -> object:
        raise ZeroDivisionError("a rule bug")

    monkeypatch.setattr(Ruleset, "evaluate", broken)
    site.post(payload())
    decision = site.get("c-1").json["decision"]
    assert (decision["action"], decision["reason"]) == ("review", "scoring_error")
    assert decision["error"] == "ZeroDivisionError"


def test_history_is_fetched_in_one_query_before_the_rules_run(app, site, tmp_path):
    rate = (
        '  - id: rate\n    if: {history: {author_rate: {within: "1 hour", count: ">= 30"}}}\n'
        "    then: review\n    reason: flood\n"
        '  - id: reported\n    if: {history: {flags: ">= 3"}}\n    then: review\n'
    )
    _rules(app, tmp_path, HISTORY_RULES + rate)
    ruleset = app.extensions["rules"].get()
    needs = {("same_body_within", 600.0), ("author_rate", 3600.0), "flags"}
    assert ruleset.history_needs == needs
    for n in range(6):
        site.post(payload(f"c-{n}", body="Le même texte encore une fois"))
    assert site.get("c-5").json["decision"]["reason"] == "repeat_post"
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    comment = db.session.get(Comment, 6)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        snapshot = fetch_history(db.session, comment, ruleset.history_needs)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements
    assert snapshot.same_body_count(dt.timedelta(minutes=10)) == 5
    assert snapshot.author_comment_count(dt.timedelta(hours=1)) == 6
    assert snapshot.flags_weight() == 0.0


@pytest.mark.parametrize(
    ("kind", "status", "reason"),
    [
        ("ban", "rejected", "banned"),
        ("suspend", "rejected", "suspended"),
        ("premoderate", "queued", "premoderated"),
    ],
)
@pytest.mark.parametrize("rules", ["", "default: approve\nrules: []\n"])
def test_sanctions_hold_whatever_the_rule_files_say(
    app, site, tmp_path, kind, status, reason, rules
):
    # An empty rules directory, or one without any sanction rule.
    for old in (tmp_path / "rules").glob("*.yaml"):
        old.unlink()
    if rules:
        (tmp_path / "rules" / "house.yaml").write_text(rules)
    reconfigure(app)
    site.post(payload("c-1"))
    author = db.session.scalar(select(Author))
    add_sanction(db.session, author=author, kind=kind, until=None, reason="test", actor="admin")
    db.session.commit()
    site.post(payload("c-2", body="Un avis parfaitement poli"))
    record = site.get("c-2").json
    assert (record["status"], record["decision"]["reason"]) == (status, reason)


def test_inline_jobs_start_after_the_request_committed(app, site):
    seen: list[int] = []

    class Checking:
        def send(self, name: str, args: list[object], countdown: float | None = None) -> None:
            with db.engine.connect() as conn:  # another connection sees only committed rows
                seen.append(conn.execute(select(func.count()).select_from(Comment)).scalar_one())

    app.extensions["jobs"] = Checking()
    site.post(payload())
    assert seen == [1]


def test_a_request_that_fails_after_flushing_commits_nothing(app, site, monkeypatch):
    import moderation.jobs as jobs

    def boom(*args: object) -> None:
        raise RuntimeError("after the comment was flushed")

    # The comment, its revision and author are flushed when this runs; the view then fails.
    monkeypatch.setattr(jobs, "score", boom)
    assert site.post(payload()).status_code == 500
    db.session.rollback()
    assert db.session.execute(text("SELECT count(*) FROM comments")).scalar_one() == 0
