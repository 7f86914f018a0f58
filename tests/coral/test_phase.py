"""Coral's external moderation phase: exactly what Coral signs and sends, and what it accepts."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import event, func, select

from moderation.authors.models import Author
from moderation.comments.models import Comment, Decision
from moderation.coral.service import set_coral_secret
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from moderation.review.authors import add_sanction
from moderation.sites.service import add_site
from tests.helpers import RecordingJobs, reconfigure

SECRET = "empsec_6f1d1c0e9a7b4d2c8e5f3a1b0c9d8e7f6a5b4c3d2e1f0a9b8c"
RULES = """
default: approve
rules:
  - id: threats
    description: "Menaces, appels à la violence (art. 3)"
    priority: 100
    if: {body: {regex: "je vais te (tuer|buter)"}}
    then: reject
    reason: threat
  - id: doubtful
    description: "Propos douteux"
    if: {body: {words: [douteux]}}
    then: review
    reason: insult
  - id: spammy
    if: {body: {words: [casino]}}
    then: review
    reason: spam
"""
# Coral's response schema (its Joi validator, research/compat.md §3.4).
STATUSES = {"NONE", "APPROVED", "REJECTED", "PREMOD", "SYSTEM_WITHHELD"}
FLAGS = {"COMMENT_DETECTED_TOXIC", "COMMENT_DETECTED_SPAM"}
CODES = {
    "OFFENSIVE", "ABUSIVE", "SPAM", "BANNED_WORD", "AD", "ILLEGAL_CONTENT",
    "HARASSMENT_BULLYING", "MISINFORMATION", "HATE_SPEECH", "IRRELEVANT_CONTENT", "OTHER",
}  # fmt: skip


def coral_valid(answer: dict[str, Any]) -> bool:
    """True when Coral's phase-response schema would accept the answer."""
    if not set(answer) <= {"status", "actions", "tags", "moderationAction"}:
        return False
    if "status" in answer and answer["status"] not in STATUSES:
        return False
    for action in answer.get("actions", []):
        if action.get("actionType") != "FLAG" or action.get("reason") not in FLAGS:
            return False
    moderation = answer.get("moderationAction")
    if moderation is not None:
        reason = moderation.get("rejectionReason", {})
        return moderation.get("status") == "REJECTED" and reason.get("code") in CODES
    return True


def request_body(text: str, *, author: str = "baf4e943-1", action: str = "NEW") -> bytes:
    """Coral's phase request, pretty-printed with 2 spaces as Coral sends it."""
    request = {
        "action": action,
        "comment": {"body": f"<p>{text}</p>", "parentID": None},
        "author": {"id": author, "role": "COMMENTER"},
        "story": {"id": "245b3856-1", "url": "https://example.org/a-story/"},
        "site": {"id": "a4bede88-1"},
        "tenantID": "19ba5794-1",
        "tenantDomain": "example.org",
    }
    return json.dumps(request, indent=2).encode()


def signature(body: bytes, secret: str = SECRET) -> str:
    """``X-Coral-Signature`` as Coral computes it: over the raw body alone."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Coral:
    """Posts phase requests as Coral does."""

    def __init__(self, app: Flask, slug: str = "demo") -> None:
        self.client, self.path = app.test_client(), f"/v1/coral/{slug}/phase"

    def post(self, body: bytes, sig: str | None = None) -> Any:
        """POST signed (or with the given signature header)."""
        headers = {"Content-Type": "application/json", "User-Agent": "Coral Moderation/9.11.8"}
        headers["X-Coral-Signature"] = signature(body) if sig is None else sig
        return self.client.post(self.path, data=body, headers=headers)


@pytest.fixture
def coral(app: Flask, tmp_path: Path) -> Coral:
    """Site ``demo`` with a Coral secret, scored by the small ruleset above."""
    (tmp_path / "rules" / "house.yaml").write_text(RULES)
    reconfigure(app)
    site, _ = add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    set_coral_secret(db.session, site=site, secret=SECRET)
    db.session.commit()
    return Coral(app)


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_an_acceptable_comment_gets_no_objection(coral):
    answer = coral.post(request_body("Merci pour cet article très clair."))
    assert answer.status_code == 200 and answer.json == {}
    comment = db.session.scalar(select(Comment))
    assert comment.status == "approved"
    author = db.session.scalar(select(Author))
    assert (author.source, author.external_id) == ("coral", "baf4e943-1")


def test_a_rejection_carries_coral_s_reason_code_and_the_house_rule(coral):
    answer = coral.post(request_body("Je vais te buter"))
    assert answer.status_code == 200 and coral_valid(answer.json), answer.json
    assert answer.json["status"] == "REJECTED"
    reason = answer.json["moderationAction"]["rejectionReason"]
    assert reason["code"] == "ABUSIVE"
    assert reason["detailedExplanation"] == "Menaces, appels à la violence (art. 3)"


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Un avis douteux", "COMMENT_DETECTED_TOXIC"),
        ("Le meilleur casino", "COMMENT_DETECTED_SPAM"),
    ],
)
def test_a_held_comment_is_withheld_with_a_flag(coral, text, flag):
    answer = coral.post(request_body(text))
    assert answer.json == {
        "status": "SYSTEM_WITHHELD",
        "actions": [{"actionType": "FLAG", "reason": flag}],
    }
    assert coral_valid(answer.json)
    comment = db.session.scalar(select(Comment))
    # Coral's moderators decide it: kept here as history, never our pending work.
    assert (comment.status, comment.queue) == ("queued", None)
    assert count(ReviewItem) == 0


def test_an_approval_in_the_phase_is_never_spot_checked(app, coral):
    app.config["SPOT_CHECK_RATE"] = 1.0
    coral.post(request_body("Merci pour cet article très clair."))
    assert count(ReviewItem) == 0


def test_a_replayed_body_gets_the_same_answer_and_creates_nothing(coral):
    body = request_body("Je vais te buter")
    first, again = coral.post(body), coral.post(body)
    assert again.status_code == 200 and again.json == first.json
    assert (count(Comment), count(Decision)) == (1, 1)


def test_the_decision_record_is_stored_for_history_and_stats(coral):
    coral.post(request_body("Un avis douteux"))
    decision = db.session.scalar(select(Decision))
    assert decision.decided_by == "auto" and decision.record["rule"] == "doubtful"
    assert decision.record["ruleset_version"].startswith("sha256:")


@pytest.mark.parametrize(
    "sig",
    [
        "",
        "sha256=" + "0" * 64,
        "sha1=abc",
        signature(b"another body"),
        signature(request_body("x"), "empsec_wrong"),
    ],
)
def test_a_bad_signature_gets_401_and_stores_nothing(coral, sig):
    answer = coral.post(request_body("Je vais te buter"), sig=sig)
    assert answer.status_code == 401
    assert set(answer.json["error"]) >= {"code", "message"}
    assert count(Comment) == 0


def test_any_of_several_signatures_during_rotation_is_enough(coral):
    body = request_body("Merci")
    assert coral.post(body, sig=f"{signature(body, 'empsec_new')},{signature(body)}").json == {}


def test_an_unknown_site_answers_like_a_bad_signature(app, coral):
    body = request_body("Merci")
    unknown = Coral(app, "nosuchsite").post(body)
    wrong = coral.post(body, sig=signature(body, "empsec_wrong"))
    assert (unknown.status_code, unknown.json) == (wrong.status_code, wrong.json)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"action": "NEW"}',
        json.dumps({"action": "DELETE", "comment": {"body": "x"}, "author": {"id": "a"},
                    "story": {"id": "s"}}).encode(),
        json.dumps({"action": "NEW", "comment": {"body": 5}, "author": {"id": "a"},
                    "story": {"id": "s"}}).encode(),
        request_body("bad \ud800 lone surrogate"),
        request_body("   "),
    ],
)  # fmt: skip
def test_bad_input_after_a_valid_signature_is_400_and_stores_nothing(coral, body):
    answer = coral.post(body)
    assert answer.status_code == 400, answer.json
    assert answer.json["error"]["code"] in ("invalid_json", "validation_error", "invalid_encoding")
    assert count(Comment) == 0


def test_a_banned_author_is_rejected_whatever_the_rules_say(coral):
    coral.post(request_body("Premier message"))
    author = db.session.scalar(select(Author))
    add_sanction(db.session, author=author, kind="ban", until=None, reason="x", actor="admin")
    db.session.commit()
    answer = coral.post(request_body("Un message poli"))
    assert answer.json["status"] == "REJECTED" and coral_valid(answer.json)


def test_set_coral_secret_reads_stdin(app):
    add_site(db.session, slug="other", callback_url="http://127.0.0.1:9/cb")
    db.session.commit()
    from moderation.coral.cli import set_coral_secret as command

    result = CliRunner().invoke(command, ["other"], input=SECRET + "\n", obj=_info(app))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"site": "other", "coral_secret": "set"}
    empty = CliRunner().invoke(command, ["other"], input="\n", obj=_info(app))
    assert empty.exit_code == 1 and "secret" in empty.output


def _info(app: Flask) -> Any:
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def test_the_phase_stores_decides_and_answers_in_twelve_statements(app, coral):
    coral.post(request_body("Un premier avis.", author="warm-up"))  # caches, compiled SQL
    app.extensions["jobs"] = RecordingJobs()  # the callback is counted elsewhere
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        answer = coral.post(request_body("Merci pour cet article très clair.", author="new"))
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert answer.status_code == 200
    # The site; the comment (locked), the new author found absent then inserted, the
    # comment and its revision; the claim with history; the compare-and-set, the
    # author's counters, the decision, its event and its callback.
    assert len(statements) <= 12, "\n".join(statements)
