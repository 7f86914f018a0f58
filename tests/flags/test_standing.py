"""Report weighting on a new site: ordinary readers count, brigades still cannot."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from moderation.authors.models import Author
from moderation.db import utcnow
from moderation.extensions import db
from moderation.flags.models import Flag
from tests.helpers import flag, payload

OLD_ACCOUNT = "2019-03-01T10:00:00Z"
ANTISEMITIC = "Les juifs contrôlent les médias, tout le monde le sait"


def _reader(site, reader, *, created_at=OLD_ACCOUNT, ip=None, approved=1, source="facebook"):
    """A reader with ``approved`` approved comment(s) of their own on the site."""
    author = {"id": reader, "source": source}
    if created_at:
        author["created_at"] = created_at
    for i in range(approved):
        extra = {"ip": ip} if ip else {}
        body = f"Merci pour ce reportage {i}"
        assert site.post(payload(f"{reader}-{i}", body=body, author=author, **extra)).status_code
        assert site.get(f"{reader}-{i}").json["status"] == "approved"


def _target(site):
    assert site.post(payload("target", body=ANTISEMITIC)).status_code == 202
    assert site.get("target").json["status"] == "approved"  # nothing held it


def _standings():
    db.session.expire_all()
    return [(f.standing, f.low_standing) for f in db.session.query(Flag).order_by(Flag.id)]


def test_three_ordinary_readers_send_it_to_reported(site, alice):
    _target(site)
    for reader in ("r1", "r2", "r3"):
        _reader(site, reader)
    answers = [
        flag(site, "target", r, source="facebook", reason="hate") for r in ("r1", "r2", "r3")
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.json["flag"]["standing"] for a in answers] == ["good", "good", "good"]
    assert [a.json["flag"]["low_standing"] for a in answers] == [False, False, False]
    assert answers[-1].json["flags_weight"] == 3.0
    assert site.get("target").json["queue"] == "reported"
    items = alice.page(queue="reported")["items"]
    assert [i["comment"]["id"] for i in items] == ["target"]


def test_fresh_accounts_with_an_approved_comment_each_cannot(site, alice):
    _target(site)
    fresh = (utcnow() - dt.timedelta(days=1)).isoformat()
    for i in range(12):
        _reader(site, f"sock-{i}", created_at=fresh)
        flag(site, "target", f"sock-{i}", source="facebook", reason="hate")
    assert set(_standings()) == {("new", True)}
    assert site.get("target").json["queue"] is None
    assert alice.page(queue="reported")["items"] == []


def test_old_accounts_from_one_network_count_as_one(site, alice):
    _target(site)
    for i in range(8):
        _reader(site, f"net-{i}", ip=f"203.0.113.{10 + i}")
        answer = flag(site, "target", f"net-{i}", source="facebook", reason="hate")
    assert _standings()[0] == ("good", False)
    assert set(_standings()[1:]) == {("same_network", True)}
    assert answer.json["flags_weight"] <= 2.0  # one full report and the capped rest
    assert site.get("target").json["queue"] is None


def test_readers_who_never_commented_or_are_mostly_refused_stay_capped(site):
    _target(site)
    assert flag(site, "target", "stranger", source="facebook").json["flag"]["standing"] == "unknown"
    _reader(site, "rude")
    rude = db.session.scalar(select(Author).where(Author.external_id == "rude"))
    rude.rejected_count = 3  # three of four refused: not in good standing
    db.session.commit()
    answer = flag(site, "target", "rude", source="facebook")
    assert (answer.json["flag"]["standing"], answer.json["flag"]["low_standing"]) == ("new", True)


def test_without_account_dates_readers_known_before_the_comment_count(site, alice):
    for reader in ("r1", "r2", "r3"):
        _reader(site, reader, created_at=None)  # the site sends no account dates
    _target(site)
    for i in range(6):  # accounts that appear once the comment is there
        _reader(site, f"late-{i}", created_at=None)
        flag(site, "target", f"late-{i}", source="facebook", reason="hate")
    assert set(_standings()) == {("new", True)}
    assert site.get("target").json["queue"] is None
    first = flag(site, "target", "r1", source="facebook", reason="hate")
    assert first.json["flag"]["standing"] == "good"
    assert site.get("target").json["queue"] is None  # 1.0 + the capped 1.0: not yet
    flag(site, "target", "r2", source="facebook", reason="hate")
    assert site.get("target").json["queue"] == "reported"
