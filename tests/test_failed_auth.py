"""Failed authentication is limited per address (429); an unknown site costs as a known one."""

from __future__ import annotations

import shutil

import pytest

from moderation.coral.service import set_coral_secret
from moderation.extensions import db
from moderation.perspective.keys import add_key
from moderation.sites import secrets
from moderation.sites.service import add_site
from tests.coral.test_phase import Coral, request_body, signature
from tests.helpers import SiteClient, make_app, payload
from tests.perspective.conftest import MODELS, Perspective
from tests.perspective.conftest import request_body as analyze_body

ALLOWED = 5
CORAL_SECRET = "empsec_good"


@pytest.fixture
def app(tmp_path, migrated_sqlite):
    """Limits on: five failed authentications a minute per address, plenty of the rest."""
    shutil.copy(migrated_sqlite, tmp_path / "db.sqlite")
    application = make_app(
        f"sqlite:///{tmp_path}/db.sqlite",
        tmp_path,
        MODELS_DIR=str(MODELS),
        RATE_LIMITS_ENABLED=True,
        RATE_LIMIT_FAILED_AUTH=f"{ALLOWED}/minute",
        RATE_LIMIT_CLIENT="1000/minute",
    )
    with application.app_context():
        yield application
        db.remove()
        db.engine.dispose()


@pytest.fixture
def secret(app):
    site, created = add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    set_coral_secret(db.session, site=site, secret=CORAL_SECRET)
    db.session.commit()
    return created


def from_address(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_bad_webhook_signatures_are_limited_per_address(app, secret):
    forger = SiteClient(from_address(app, "192.0.2.1"), "demo", "whsec_wrong")
    codes = [forger.post(payload(f"c-{i}")).status_code for i in range(ALLOWED + 2)]
    assert codes == [401] * ALLOWED + [429] * 2
    refused = forger.post(payload("c-x"))
    assert refused.json["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    # An unknown site's failures count the same; another address is not concerned.
    assert SiteClient(forger.client, "nosuchsite", "x").post(payload()).status_code == 429
    honest = SiteClient(from_address(app, "192.0.2.2"), "demo", secret)
    assert honest.post(payload("c-ok")).status_code == 202


def test_good_signatures_spend_nothing(app, secret):
    site = SiteClient(from_address(app, "192.0.2.1"), "demo", secret)
    assert [site.post(payload(f"c-{i}")).status_code for i in range(ALLOWED + 2)] == [202] * 7


def test_bad_coral_signatures_are_limited_per_address(app, secret):
    body, coral = request_body("Merci"), Coral(app)
    coral.client.environ_base["REMOTE_ADDR"] = "192.0.2.1"
    bad = signature(body, "empsec_wrong")
    codes = [coral.post(body, sig=bad).status_code for _ in range(ALLOWED + 1)]
    assert codes == [401] * ALLOWED + [429]
    assert coral.post(body, sig=bad).json["error"]["code"] == "rate_limited"
    other = Coral(app)
    other.client.environ_base["REMOTE_ADDR"] = "192.0.2.2"
    assert other.post(body, sig=signature(body, CORAL_SECRET)).status_code == 200


def test_bad_perspective_keys_are_limited_per_address_in_google_s_envelope(app, secret):
    good = add_key(db.session, slug="demo")
    db.session.commit()
    bad = Perspective(app, "pk_not-a-key")
    bad.client.environ_base["REMOTE_ADDR"] = "192.0.2.1"
    codes = [bad.analyze(analyze_body()).status_code for _ in range(ALLOWED + 1)]
    assert codes == [400] * ALLOWED + [429]
    refused = bad.analyze(analyze_body())
    assert refused.json["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert refused.json["error"]["code"] == 429 and int(refused.headers["Retry-After"]) >= 1
    other = Perspective(app, good)
    other.client.environ_base["REMOTE_ADDR"] = "192.0.2.2"
    assert other.analyze(analyze_body()).status_code == 200


@pytest.fixture
def decryptions(monkeypatch):
    """The site secrets decrypted, in order."""
    seen = []
    real = secrets.decrypt

    def counting(token):
        seen.append(token)
        return real(token)

    monkeypatch.setattr(secrets, "decrypt", counting)
    return seen


def test_an_unknown_site_decrypts_a_secret_as_a_known_one_does(app, secret, decryptions):
    SiteClient(app.test_client(), "demo", "whsec_wrong").post(payload())
    known = len(decryptions)
    SiteClient(app.test_client(), "nosuchsite", "whsec_wrong").post(payload())
    assert known == 1 and len(decryptions) - known == 1


def test_an_unknown_coral_site_decrypts_a_secret_as_a_known_one_does(app, secret, decryptions):
    body = request_body("Merci")
    Coral(app).post(body, sig=signature(body, "empsec_wrong"))
    known = len(decryptions)
    Coral(app, "nosuchsite").post(body, sig=signature(body, "empsec_wrong"))
    assert known == 1 and len(decryptions) - known == 1
