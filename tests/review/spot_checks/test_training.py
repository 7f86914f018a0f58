"""train --with-decisions and evaluate --against on a tiny generated corpus and real rows."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from moderation.classifier import service
from moderation.extensions import db
from moderation.perspective.keys import add_key
from moderation.perspective.models import ApiKey, Feedback
from moderation.training.cli import model_cli
from moderation.training.corpora import SPOT_CHECKS, TRAIN, decisions_corpus, split
from moderation.training.evaluate import Validation
from tests.fixtures.tinydata import TOXIC, write_tiny_data
from tests.helpers import payload

CLEAN = ["Merci pour cet article", "Très bonne analyse", "Je ne suis pas d'accord"]


def test_spot_check_rows_are_never_trained_on():
    rows = [
        {"id": f"s/{i}", "text": f"texte {i}", "labels": {"toxicity": i % 2}, "spot_check": i < 40}
        for i in range(80)
    ]
    corpus = decisions_corpus(rows)
    parts = split(corpus, seed=1)
    spot_checks = corpus.sources == SPOT_CHECKS
    assert spot_checks.sum() == 40 and not (parts[spot_checks] == TRAIN).any()
    assert (parts[~spot_checks] == TRAIN).sum() == 26  # 65% of the others, as for any source
    feedback = decisions_corpus(
        [{**rows[0], "spot_check": False, "source": "perspective_feedback"}]
    )
    assert feedback.sources.tolist() == ["suggestscore"]


@pytest.fixture
def labelled(site, alice):
    """Spot check labels, decisions on held comments and suggestscore feedback, in the database."""
    for n in range(36):
        body = f"{TOXIC['fr'][n % 4]} {n}" if n % 3 == 0 else f"{CLEAN[n % 3]} {n}"
        site.post(payload(f"a-{n}", body=body))
    for item in alice.page(queue="spot_checks", limit=100)["items"]:
        rude = any(
            word in item["comment"]["body"] for word in ("connard", "abruti", "tuer", "sales")
        )
        verdict = {"action": "reject", "reason": "insult"} if rude else {"action": "approve"}
        assert alice.post(f"/v1/queue/{item['id']}/resolve", verdict).status_code == 200
    for n in range(6):
        site.post(payload(f"h-{n}", body=f"Un argument douteux {n}"))
    for item in alice.page()["items"]:
        alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "approve"})
    add_key(db.session, slug="demo")
    key = db.session.scalar(select(ApiKey))
    for n in range(8):
        db.session.add(
            Feedback(
                site_id=key.site_id,
                key_id=key.id,
                text=f"you stupid idiot {n}" if n % 2 else f"thanks for this {n}",
                language="en",
                labels={"toxicity": n % 2, "insult": n % 2},
                client_token=f"comment:{n}",
            )
        )
    db.session.commit()


def _run(args):
    result = CliRunner().invoke(model_cli, args)
    assert result.exit_code == 0, result.output + str(result.exception)
    return result


def test_train_with_decisions_then_evaluate_against_the_active_model(labelled, tmp_path):
    data = write_tiny_data(tmp_path / "data")
    models = tmp_path / "models"
    base = ["--data", str(data), "--out", str(models)]
    _run(["train", *base, "--seed", "5"])
    active = service.installed_versions(models)[0]
    _run(["promote", active, "--out", str(models)])
    trained = _run(["train", *base, "--seed", "5", "--with-decisions"])
    assert "50 labelled rows from the database" in trained.stderr  # 36 + 6 + 8
    (new,) = set(service.installed_versions(models)) - {active}
    metrics = json.loads((models / new / "metrics.json").read_text())
    assert metrics["info"]["decisions_rows"] == {
        "decisions": 6,
        "decisions_spot_checks": 36,
        "suggestscore": 8,
    }
    assert {"decisions", "decisions_spot_checks", "suggestscore"} <= set(metrics["sources"])
    # Spot checks calibrate and validate, never train: 4 of 7 validate (0.2 / 0.35).
    validation = Validation.load(models / new / "validation.npz")
    assert 18 <= (validation.sources == "decisions_spot_checks").sum() <= 23
    out = _run(["evaluate", new, "--against", "active", *base, "--with-decisions"]).stdout
    assert f"new {new} vs active {active}" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    for source in ("all", "decisions_spot_checks", "suggestscore", "jigsaw_subset_en"):
        assert source in lines, out
    spot_check_row = lines["decisions_spot_checks"]
    assert int(spot_check_row[1]) == (validation.sources == "decisions_spot_checks").sum()
    assert all(_number(cell) for cell in spot_check_row[3:7])  # both models' AUC and AP
    assert "left out" in out and "validation rows" in out
    left_out = int(out.split("left out ")[1].split()[0])
    assert left_out > 0  # rows the active model was fitted on are not used to judge it
    total = int(lines["all"][1])
    assert total + left_out == int(out.split("found ")[1].split()[0])
    other = write_tiny_data(tmp_path / "other", seed=9)
    refused = CliRunner().invoke(
        model_cli,
        ["evaluate", new, "--against", active, "--data", str(other), "--out", str(models)],
    )
    assert refused.exit_code != 0 and "other corpora" in refused.output


def _number(cell):
    try:
        return 0.0 <= float(cell) <= 1.0
    except ValueError:
        return False


def test_files_exported_before_the_rename_keep_their_spot_checks_out_of_training():
    row = {"id": "s/1", "text": "texte", "labels": {"toxicity": 0}, "audit": True}
    assert decisions_corpus([row]).sources.tolist() == [SPOT_CHECKS]
