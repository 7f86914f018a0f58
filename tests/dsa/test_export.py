"""``moderation dsa export``: lines the Transparency Database API would accept."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import update

from moderation.dsa.cli import dsa_cli
from moderation.dsa.models import Statement
from moderation.extensions import db
from tests.dsa.conftest import HELD, THREAT, notice
from tests.dsa.tdb_checker import problems
from tests.helpers import payload


def _export(app, *args):
    return app.test_cli_runner().invoke(dsa_cli, ["export", *args])


def _lines(result):
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_every_exported_statement_is_valid_and_free_of_personal_data(app, site, alice):
    site.post(payload("c-1", body=THREAT, ip="203.0.113.7"))
    site.post(payload("c-2", body=HELD))
    item = alice.page()["items"][0]
    alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "insult",
                                                   "note": "Voir jean@example.org"})  # fmt: skip
    site.post(payload("c-3", body="Un avis"))
    notice(site, "c-3", law="Art. 24 loi 1881 — voir 198.51.100.4 et marie@example.org")
    item = alice.page(queue="reported")["items"][0]
    alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "illegal"})
    alice.post("/v1/authors/demo/facebook/u-1/sanctions", {"kind": "ban"})
    lines = _lines(_export(app, "--since", "30d"))
    assert len(lines) == 4
    for line in lines:
        assert problems(line) == [], line
    text = json.dumps(lines, ensure_ascii=False)
    for personal in ("jean@", "marie@", "198.51.100.4", "203.0.113.7", "buter", "u-1"):
        assert personal not in text
    assert {line["source_type"] for line in lines} == {"SOURCE_VOLUNTARY", "SOURCE_ARTICLE_16"}
    assert len({line["puid"] for line in lines}) == 4


def test_the_window_leaves_older_statements_out(app, site, house):
    site.post(payload("c-1", body=THREAT))
    site.post(payload("c-2", body=THREAT + " encore"))
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
    db.session.execute(update(Statement).where(Statement.id == 1).values(created_at=old))
    db.session.commit()
    assert len(_lines(_export(app, "--since", "30d"))) == 1
    assert len(_lines(_export(app, "--since", "60 days"))) == 2


def test_a_bad_window_is_a_clear_error(app, house):
    result = _export(app, "--since", "soon")
    assert result.exit_code == 2 and "--since" in result.output
