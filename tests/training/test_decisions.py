"""Exporting moderator decisions as labelled rows (on the project's test database)."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from flask import Flask

from moderation.authors.models import Author
from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.extensions import db
from moderation.sites.service import add_site
from moderation.training.cli import model_cli
from moderation.training.decisions import labels_for


def test_labels_follow_the_reason_only() -> None:
    assert labels_for("reject", "insult") == {"toxicity": 1, "insult": 1}
    assert labels_for("reject", "spam") == {"spam": 1}
    assert labels_for("reject", "off_topic") is None
    assert labels_for("review", None) is None
    approved = labels_for("approve", None)
    assert approved is not None and approved["toxicity"] == 0 and "obscene" not in approved


def _comment(site_id: int, author_id: int, cid: str, body: str) -> Comment:
    comment = Comment(
        site_id=site_id, external_id=cid, author_id=author_id, article_id="a1", body_hash=cid
    )
    comment.language = "fr"
    db.session.add(comment)
    db.session.flush()
    db.session.add(
        CommentRevision(
            comment_id=comment.id,
            revision=1,
            payload={},
            payload_hash=cid,
            content_hash=cid,
            body_text=body,
        )
    )
    return comment


def _decide(comment: Comment, action: str, reason: str | None, by: str, **record: Any) -> None:
    db.session.add(
        Decision(
            comment_id=comment.id,
            revision=1,
            action=action,
            status={"approve": "approved", "reject": "rejected"}[action],
            decided_by=by,
            reason=reason,
            record={"action": action, "reason": reason, **record},
        )
    )
    db.session.flush()


def test_export_writes_the_last_moderator_word(app: Flask) -> None:
    site, _ = add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    author = Author(site_id=site.id, source="native", external_id="u1")
    db.session.add(author)
    db.session.flush()
    rude = _comment(site.id, author.id, "c1", "Espèce de connard")
    fine = _comment(site.id, author.id, "c2", "Merci pour l'article")
    odd = _comment(site.id, author.id, "c3", "Hors sujet total")
    _decide(rude, "approve", None, "auto", model_version="clf-x")
    _decide(rude, "approve", None, "moderator:ann")
    _decide(rude, "reject", "insult", "moderator:bob", model_version="clf-x")
    _decide(fine, "approve", None, "moderator:ann", spot_check=True)
    _decide(odd, "reject", "off_topic", "moderator:ann")
    db.session.commit()
    result = CliRunner().invoke(model_cli, ["export-decisions"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["demo/c1/1", "demo/c2/1"]
    assert rows[0]["labels"] == {"toxicity": 1, "insult": 1}
    assert rows[0]["saw_model_version"] == "clf-x" and rows[0]["text"] == "Espèce de connard"
    assert rows[1]["spot_check"] is True and rows[1]["language"] == "fr"
    spot_checks = CliRunner().invoke(model_cli, ["export-decisions", "--spot-checks-only"])
    assert [json.loads(line)["id"] for line in spot_checks.stdout.splitlines()] == ["demo/c2/1"]
