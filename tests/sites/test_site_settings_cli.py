"""``moderation sites set-timezone`` and ``set-reasons``: checked, shown, undone."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from moderation.extensions import db
from moderation.sites.models import Site
from tests.sites.test_sites_cli import _add, invoke


def test_a_new_site_lives_in_paris_until_set_elsewhere_and_the_change_is_audited(app, caplog):
    _add(app, "lemonde")
    assert db.session.scalar(select(Site.time_zone)) == "Europe/Paris"
    with caplog.at_level(logging.INFO, logger="moderation.audit.sites"):
        result = invoke(app, "sites", "set-timezone", "lemonde", "America/Martinique")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "site": "lemonde",
        "time_zone": "America/Martinique",
        "previous": "Europe/Paris",
    }
    db.session.expire_all()
    assert db.session.scalar(select(Site.time_zone)) == "America/Martinique"
    (record,) = [r for r in caplog.records if r.name == "moderation.audit.sites"]
    assert record.actor.startswith("cli:") and record.time_zone == "America/Martinique"
    rows = [json.loads(line) for line in invoke(app, "sites", "list").output.splitlines()]
    assert rows[0]["time_zone"] == "America/Martinique"


def test_an_unknown_zone_or_site_is_refused_with_a_clear_message(app):
    _add(app, "lemonde")
    for zone in ("Europe/Pari", "localtime", "../../etc/passwd", ""):
        result = invoke(app, "sites", "set-timezone", "lemonde", zone)
        assert result.exit_code != 0 and "Unknown time zone" in result.output, (zone, result)
    result = invoke(app, "sites", "set-timezone", "nowhere", "Europe/Paris")
    assert result.exit_code != 0 and "No site 'nowhere'" in result.output
    assert db.session.scalar(select(Site.time_zone)) == "Europe/Paris"


def test_set_reasons_keeps_allowed_grounds_grouped_and_default_restores(app):
    _add(app, "lemonde")
    result = invoke(app, "sites", "set-reasons", "lemonde", "other,spam,insult,hate")
    assert result.exit_code == 0, result.output
    # Grouped as the dialog shows them: insults, hate, …, spam, …, other.
    assert json.loads(result.output)["reject_reasons"] == ["insult", "hate", "spam", "other"]
    refused = invoke(app, "sites", "set-reasons", "lemonde", "insult,first_comment")
    assert refused.exit_code != 0 and "Not a ground for rejection: first_comment" in refused.output
    unknown = invoke(app, "sites", "set-reasons", "lemonde", "insult,rudeness")
    assert unknown.exit_code != 0 and "Unknown reason rudeness" in unknown.output
    assert invoke(app, "sites", "set-reasons", "lemonde").exit_code != 0  # neither given
    back = json.loads(invoke(app, "sites", "set-reasons", "lemonde", "--default").output)
    assert back["reject_reasons"][0] == "insult" and back["reject_reasons"][-1] == "other"
    assert "banned" not in back["reject_reasons"]  # configured, but the author's state
    db.session.expire_all()
    assert db.session.scalar(select(Site.reject_reasons)) is None
