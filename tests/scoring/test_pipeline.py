"""The scoring pipeline: idempotent per revision, failures go to review, humans win."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from moderation.comments.models import Comment, Decision
from moderation.extensions import db
from moderation.review.decisions import apply_decision
from moderation.scoring import engines
from moderation.scoring.pipeline import decide_comment
from tests.helpers import ROOT, RecordingJobs, payload, reconfigure, score_now


@pytest.fixture
def held(app):
    jobs = app.extensions["jobs"] = RecordingJobs()
    return jobs


def decisions():
    return list(db.session.scalars(select(Decision).order_by(Decision.id)))


def test_decision_record_is_complete(site):
    site.post(payload())
    decision = site.get("c-1").json["decision"]
    assert decision["action"] == "approve" and decision["decided_by"] == "auto"
    for key in ("reason", "rules", "scores", "ruleset_version", "model_version", "decided_at"):
        assert key in decision
    assert decision["ruleset_version"].startswith("sha256:")
    assert site.get("c-1").json["language"] == "fr"


def test_duplicate_scoring_tasks_decide_once(site, held):
    site.post(payload())
    comment_id, revision = held.scored[0]
    score_now(comment_id, revision)
    score_now(comment_id, revision)
    assert len(decisions()) == 1
    assert len(held.delivered) == 1


def test_an_edit_racing_its_first_scoring(site, held):
    site.post(payload(body="Premier jet"))
    site.post(payload(body="Version corrigée"))
    assert held.scored == [(1, 1), (1, 2)]
    assert decide_comment(db.session, comment_id=1, revision=1) is None  # revision 2 arrived
    score_now(1, 2)
    assert [(d.revision, d.action) for d in decisions()] == [(2, "approve")]


def test_scoring_that_fails_goes_to_review(site, monkeypatch):
    def broken():
        raise RuntimeError("rules exploded")

    monkeypatch.setattr(engines, "current_rules", broken)
    site.post(payload())
    record = site.get("c-1").json
    assert record["status"] == "queued" and record["queue"] == "pending"
    assert record["decision"]["reason"] == "scoring_error"
    assert "exploded" not in str(record)


def test_an_automatic_decision_never_overwrites_a_moderator(site, held):
    site.post(payload())
    comment = db.session.get(Comment, 1)
    moderator = {"action": "reject", "decided_by": "moderator:alice", "reason": "insult"}
    assert apply_decision(
        db.session, comment=comment, revision=1, expected_status="pending", record=moderator
    )
    db.session.commit()
    score_now(1, 1)  # the automatic decision's compare-and-set finds the comment decided
    assert site.get("c-1").json["status"] == "rejected"
    assert [d.decided_by for d in decisions()] == ["moderator:alice"]


def test_deleted_comments_are_not_scored(site, held):
    site.post(payload())
    site.delete("c-1")
    assert decide_comment(db.session, comment_id=1, revision=1) is None
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_author_counters_follow_outcomes(site):
    from moderation.authors.models import Author

    site.post(payload("c-1"))
    site.post(payload("c-2"))
    author = db.session.scalar(select(Author))
    assert (author.approved_count, author.rejected_count) == (2, 0)
    site.delete("c-2")
    db.session.refresh(author)
    assert author.approved_count == 1


@pytest.fixture
def house_rules_site(app, site):
    """The site, scored with the shipped ``rules/`` directory."""
    reconfigure(app, RULES_DIR=str(ROOT / "rules"))
    return site


def test_house_rules_decide_with_spans_on_the_original_text(house_rules_site):
    body = "Espèce de c0nnnard, je vais te buter"
    house_rules_site.post(payload(body=body))
    record = house_rules_site.get("c-1").json
    assert record["status"] == "rejected"
    decision = record["decision"]
    assert decision["reason"] == "threat" and decision["rule"] == "threat-phrases"
    spans = {(m["start"], m["end"]) for hit in decision["rules"] for m in hit["matches"]}
    assert (20, 36) in spans
    for hit in decision["rules"]:
        for match in hit["matches"]:
            assert body[match["start"] : match["end"]] == match["text"]


def test_house_rules_approve_ordinary_news_comments(house_rules_site):
    house_rules_site.post(payload(body="Le conseil municipal de Mâcon a voté le budget."))
    assert house_rules_site.get("c-1").json["status"] == "approved"


MODELS = ROOT / "models"


def test_model_scores_explanations_and_versions_are_recorded(app, house_rules_site):
    reconfigure(app, MODELS_DIR=str(MODELS))
    body = "Espèce de connard, je vais te retrouver"
    house_rules_site.post(payload(body=body))
    decision = house_rules_site.get("c-1").json["decision"]
    assert decision["model_version"] == (MODELS / "ACTIVE").read_text().strip()
    assert decision["scores"]["toxicity"] > 0.9 and set(decision["scores"]) >= {
        "insult",
        "threat",
        "spam",
    }
    assert decision["explanations"], decision
    for spans in decision["explanations"].values():
        for span in spans:
            assert body[span["start"] : span["end"]] == span["text"]


def test_a_tampered_model_sends_comments_to_review(app, site, tmp_path):
    import shutil

    models = tmp_path / "tampered-models"
    shutil.copytree(MODELS, models)
    version = (models / "ACTIVE").read_text().strip()
    artifact = models / version / "model.npz"
    data = bytearray(artifact.read_bytes())
    data[len(data) // 2] ^= 0xFF
    artifact.write_bytes(bytes(data))
    reconfigure(app, MODELS_DIR=str(models))
    site.post(payload())
    record = site.get("c-1").json
    assert record["status"] == "queued"
    assert record["decision"]["reason"] == "scoring_error"
    assert record["decision"]["error"] == "ModelIntegrityError"


def test_a_revision_that_breaks_a_batch_stops_only_itself(app, site, held, monkeypatch):
    from moderation.callbacks.models import Delivery
    from moderation.review import decisions as writing

    for n in range(3):
        site.post(payload(f"c-{n}", body=f"Un avis poli {n}"))
    real = writing.decision_statement

    def poisoned(session, *, comment, decision, **options):
        if comment.external_id == "c-0":
            raise ValueError("a bug that only this comment meets")
        return real(session, comment=comment, decision=decision, **options)

    monkeypatch.setattr(writing, "decision_statement", poisoned)
    app.config["SCORING_BATCH"] = 4
    score_now(2, 1)  # its batch claims c-0 (the oldest) and fails: it decides c-1 alone
    score_now(3, 1)
    status = dict(db.session.execute(select(Comment.external_id, Comment.status)).all())
    assert status == {"c-0": "pending", "c-1": "approved", "c-2": "approved"}
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 2
    assert len(decisions()) == 2
