"""``moderation sites list`` and ``set-callback``; the demo's site stops calling back at its end."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

import moderation.jobs as jobs
from moderation.callbacks.models import Delivery, DeliveryAttempt
from moderation.cli import build_cli
from moderation.extensions import db
from moderation.sites.models import Site
from tests.helpers import RecordingJobs, payload, score_now


def invoke(app, *args):
    return app.test_cli_runner().invoke(build_cli(), list(args), catch_exceptions=False)


def _add(app, slug: str, url: str = "http://127.0.0.1:9/cb") -> str:
    return json.loads(invoke(app, "sites", "add", slug, "--callback-url", url).output)["secret"]


def test_sites_list_shows_each_site_and_its_live_keys_never_a_secret(app):
    secret = _add(app, "lemonde")
    _add(app, "liberation", "http://127.0.0.1:9/lib")
    keys = [json.loads(invoke(app, "sites", "add-key", "lemonde").output)["key"] for _ in "ab"]
    invoke(app, "sites", "revoke-key", "lemonde", keys[0])
    result = invoke(app, "sites", "list")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["site"], r["callback_url"], r["keys"]) for r in rows] == [
        ("lemonde", "http://127.0.0.1:9/cb", 1),
        ("liberation", "http://127.0.0.1:9/lib", 0),
    ]
    assert all(set(r) == {"site", "callback_url", "created_at", "time_zone", "keys"} for r in rows)
    assert {r["time_zone"] for r in rows} == {"Europe/Paris"}
    table = invoke(app, "sites", "list", "--table").output
    assert table.splitlines()[0].split() == [
        "site",
        "created_at",
        "time_zone",
        "keys",
        "callback_url",
    ]
    assert "liberation" in table
    for shown in (result.output, table):
        assert secret not in shown and keys[1] not in shown and "whsec_" not in shown


def test_set_callback_points_the_site_elsewhere_and_is_audited(app, caplog):
    _add(app, "lemonde")
    with caplog.at_level(logging.INFO, logger="moderation.audit.sites"):
        result = invoke(app, "sites", "set-callback", "lemonde", "https://example.org/hook")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "site": "lemonde",
        "callback_url": "https://example.org/hook",
        "previous": "http://127.0.0.1:9/cb",
    }
    assert db.session.scalar(select(Site.callback_url)) == "https://example.org/hook"
    (record,) = [r for r in caplog.records if r.name == "moderation.audit.sites"]
    assert record.site == "lemonde" and record.actor.startswith("cli:")
    assert (record.previous, record.callback_url) == (
        "http://127.0.0.1:9/cb",
        "https://example.org/hook",
    )


def test_set_callback_refuses_what_sites_add_refuses(app, caplog):
    _add(app, "lemonde")
    app.config["ALLOW_PRIVATE_CALLBACKS"] = False
    for url in ("http://127.0.0.1/cb", "http://10.0.0.8/cb", "http://[::1]/cb", "ftp://x.org/"):
        refused_add = invoke(app, "sites", "add", "other", "--callback-url", url)
        refused = invoke(app, "sites", "set-callback", "lemonde", url)
        assert refused.exit_code == refused_add.exit_code == 1, url
    missing = invoke(app, "sites", "set-callback", "nosuch", "https://example.org/")
    assert missing.exit_code == 1 and "No site" in missing.output
    db.session.expire_all()
    assert db.session.scalar(select(Site.callback_url)) == "http://127.0.0.1:9/cb"
    assert not [r for r in caplog.records if r.name == "moderation.audit.sites"]


def test_once_the_demo_ends_its_site_calls_no_dead_receiver(app, site, receiver):
    from moderation.demo import _stop_callbacks

    held = app.extensions["jobs"] = RecordingJobs()
    site.post(payload("c-1", body="Un commentaire poli."))
    score_now(*held.scored[0])  # a callback is now pending for the receiver
    receiver.close()
    _stop_callbacks("demo")
    assert {d.status for d in db.session.scalars(select(Delivery))} == {"cancelled"}
    site.post(payload("c-2", body="Un autre commentaire poli."))
    score_now(*held.scored[1])  # decided after the demo ended (as in the console)
    jobs.InlineDispatcher(app.extensions["celery"]).send(jobs.DELIVER, [held.delivered])
    db.session.expire_all()
    assert {d.status for d in db.session.scalars(select(Delivery))} == {"cancelled"}
    assert db.session.query(DeliveryAttempt).count() == 0  # not one POST to the dead port
