"""Reported cards in context: a notice's law, explanation and notifier; readers' standing."""

from __future__ import annotations

import json

from moderation.extensions import db
from moderation.flags.models import Flag
from moderation.localtime import format_when
from tests.console.conftest import make_moderator, sign_in
from tests.helpers import flag, payload, sign_headers

NOTICE = {
    "reporter": {
        "id": "n-1",
        "source": "native",
        "name": "Ligue contre le racisme",
        "email": "juridique@ligue.example",
    },
    "reason": "illegal",
    "law": "Loi du 29 juillet 1881, art. 24 (provocation à la haine)",
    "explanation": "Propos visant les juifs en raison de leur religion.",
    "bona_fide": True,
}


def file_notice(site, cid, body=NOTICE):
    """A signed notice of illegal content on ``cid``."""
    path = f"/v1/sites/{site.slug}/comments/{cid}/flags"
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **sign_headers(site.secret, "POST", path, raw)}
    return site.client.post(path, data=raw, headers=headers)


def test_a_notice_shows_its_law_explanation_notifier_and_time(console_app, site):
    assert site.post(payload("n-target", body="Un texte publié")).status_code == 202
    assert file_notice(site, "n-target").status_code == 201
    assert flag(site, "n-target", "stranger", reason="hate").status_code == 201
    make_moderator("alice")
    page = sign_in(console_app, "alice").client.get("/console/queue/reported").text
    assert "Notification de contenu illicite (DSA)" in page
    assert "Loi du 29 juillet 1881, art. 24 (provocation à la haine)" in page
    assert "Propos visant les juifs en raison de leur religion." in page
    assert "Ligue contre le racisme" in page
    assert "juridique@ligue.example" not in page  # the notifier's contact stays out
    received = db.session.query(Flag).filter_by(reason="illegal").one().created_at
    assert format_when(received, "Europe/Paris") in page  # the site's zone, French style
    # The reader's report: who in words, not "peu fiable".
    assert 'Signalé par un <span title="native">lecteur sans commentaire sur le site</span>' in page
    assert "peu fiable" not in page and "poids 0.0" not in page
