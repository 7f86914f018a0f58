"""doNotStore keeps no byte of the text; otherwise the text is kept; feedback feeds training."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from moderation.extensions import db
from moderation.logs import JsonFormatter
from moderation.perspective.models import Feedback, ScoredText
from moderation.training.cli import model_cli
from moderation.training.corpora import load_decisions
from tests.perspective.conftest import CORAL, everything, request_body


def database_bytes(tmp_path: Path) -> bytes:
    """The SQLite database file and its write-ahead log, byte for byte."""
    return b"".join(p.read_bytes() for p in sorted(tmp_path.glob("db.sqlite*")))


def capture_logs() -> tuple[logging.Handler, io.StringIO]:
    """Every moderation log line at DEBUG, with its extra fields."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("moderation")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler, stream


def test_do_not_store_keeps_no_byte_of_the_text(persp, tmp_path, capfd):
    marker = "Zqxj-MARQUEUR-7731"
    handler, stream = capture_logs()
    try:
        coral = persp.analyze(None, raw=(CORAL % f"Espèce de connard {marker}").encode())
        spans = persp.analyze(request_body(marker, doNotStore=True, spanAnnotations=True))
        failing = persp.analyze(request_body(marker * 3000, doNotStore=True))  # too long
    finally:
        logging.getLogger("moderation").removeHandler(handler)
    assert (coral.status_code, spans.status_code, failing.status_code) == (200, 200, 400)
    db.engine.dispose()  # closes connections, so the WAL is as complete as it gets
    assert marker not in everything()
    assert marker.encode() not in database_bytes(tmp_path)
    assert marker not in stream.getvalue()
    out, err = capfd.readouterr()
    assert marker not in out and marker not in err


def test_without_do_not_store_the_scored_text_is_kept_for_the_site(persp, tmp_path):
    marker = "Kept-MARQUEUR-4410"
    body = persp.analyze(request_body(f"Merci {marker}", languages=["fr"], clientToken="t-1")).json
    row = db.session.scalars(select(ScoredText)).one()
    assert row.text == f"Merci {marker}"
    assert row.language == "fr"
    assert row.client_token == "t-1"
    assert row.model_version.startswith("clf-")
    assert row.scores["toxicity"] == body["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    assert set(row.scores) == {
        "toxicity",
        "severe_toxicity",
        "obscene",
        "threat",
        "insult",
        "identity_attack",
        "spam",
    }
    assert row.created_at is not None
    db.engine.dispose()
    assert marker.encode() in database_bytes(tmp_path)  # the check above can fail


def coral_feedback(comment_id: str, value: int, text: str = "Espèce de connard") -> bytes:
    """The suggestscore body Coral sends on a status change (research/compat.md §2.1)."""
    entry = json.dumps(
        {"url": f"https://ex.org/a?commentID={comment_id}", "Coral_comment_id": comment_id}
    )
    return json.dumps(
        {
            "comment": {"text": text},
            "context": {"entries": [{"text": entry}]},
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": value}}},
            "languages": ["fr"],
            "communityId": "Coral:https://ex.org",
            "clientToken": f"comment:{comment_id}",
        },
        separators=(",", ":"),
    ).encode()


def test_suggestscore_stores_labelled_feedback_and_echoes_the_token(persp):
    response = persp.suggest(None, raw=coral_feedback("c-9", 1))
    assert response.status_code == 200
    assert response.json == {"clientToken": "comment:c-9"}
    row = db.session.scalars(select(Feedback)).one()
    assert (row.text, row.language, row.labels) == ("Espèce de connard", "fr", {"toxicity": 1})
    assert row.client_token == "comment:c-9"
    several = {
        "INSULT_EXPERIMENTAL": {"summaryScore": {"value": 0.2}},
        "PROFANITY": {"summaryScore": {"value": 0.9}},
    }
    no_token = persp.suggest({"comment": {"text": "You idiot"}, "attributeScores": several})
    assert no_token.json == {}
    assert db.session.scalars(select(Feedback).order_by(Feedback.id.desc())).first().labels == {
        "insult": 0,
        "obscene": 1,
    }


def test_export_decisions_carries_the_feedback_and_train_reads_it(persp, tmp_path):
    persp.suggest(None, raw=coral_feedback("c-1", 1))
    persp.suggest(None, raw=coral_feedback("c-1", 0))  # a moderator later approved it
    persp.suggest(None, raw=coral_feedback("c-2", 1, "Bande de crétins"))
    result = CliRunner().invoke(model_cli, ["export-decisions"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(r["id"], r["labels"], r["action"]) for r in lines] == [
        ("demo/perspective/comment:c-1", {"toxicity": 0}, "approve"),
        ("demo/perspective/comment:c-2", {"toxicity": 1}, "reject"),
    ]
    first = lines[0]
    assert first["source"] == "perspective_feedback"
    assert set(first) == {
        "id",
        "text",
        "language",
        "labels",
        "action",
        "reason",
        "decided_at",
        "spot_check",
        "saw_model_version",
        "source",
    }
    assert (first["text"], first["language"], first["spot_check"]) == (
        "Espèce de connard",
        "fr",
        False,
    )
    spot_checks = CliRunner().invoke(model_cli, ["export-decisions", "--spot-checks-only"])
    assert "perspective" not in spot_checks.stdout
    exported = tmp_path / "decisions.jsonl"
    exported.write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    corpus = load_decisions(exported)
    assert corpus.texts == ["Espèce de connard", "Bande de crétins"]


def test_suggestions_for_attributes_we_lack_are_accepted_and_ignored(persp):
    lacking = {"SEXUALLY_EXPLICIT": {"summaryScore": {"value": 1}}}
    response = persp.suggest(
        {"comment": {"text": "Whatever"}, "attributeScores": lacking, "clientToken": "x"}
    )
    assert response.status_code == 200 and response.json == {"clientToken": "x"}
    assert db.session.scalars(select(Feedback)).all() == []
    both = {**lacking, "THREAT": {"summaryScore": {"value": 0.7}}}
    persp.suggest({"comment": {"text": "I will find you"}, "attributeScores": both})
    assert db.session.scalars(select(Feedback)).one().labels == {"threat": 1}
