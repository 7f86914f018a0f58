"""Moderators scoped to sites: they see and decide only those sites' items (API, console)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from moderation.accounts.service import set_password
from moderation.authors.models import Author
from moderation.cli import build_cli
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from moderation.sites.service import add_site
from tests.console.conftest import PASSWORD, seen, sign_in
from tests.helpers import Moderator, SiteClient, payload


def _users_add(app, *args: str):
    return app.test_cli_runner().invoke(build_cli(), ["users", "add", *args])


@pytest.fixture
def two_sites(house, site, receiver):
    """A held comment on ``demo`` and one on ``lemonde``; their items' ids by site."""
    created, secret = add_site(db.session, slug="lemonde", callback_url=receiver.url)
    receiver.secrets.append(secret)
    other = SiteClient(site.client, created.slug, secret)
    assert site.post(payload("c-1", body="Un argument douteux, chez demo")).status_code == 202
    assert other.post(payload("c-1", body="Un argument douteux, ailleurs")).status_code == 202
    db.session.expire_all()
    items = {i.site_id: i.id for i in db.session.scalars(select(ReviewItem))}
    return {"demo": items[site_id("demo")], "lemonde": items[site_id("lemonde")]}


def site_id(slug: str) -> int:
    from moderation.sites.service import get_site

    found = get_site(db.session, slug)
    assert found is not None
    return found.id


@pytest.fixture
def scoped(house, two_sites):
    result = _users_add(house, "sam", "--role", "moderator", "--site", "demo")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["sites"] == ["demo"]
    set_password(db.session, name="sam", password=PASSWORD)
    db.commit()
    return Moderator(house.test_client(), "sam", out["token"])


def test_users_add_checks_the_sites(house, two_sites):
    assert _users_add(house, "x", "--role", "moderator", "--site", "nope").exit_code == 1
    admin = _users_add(house, "y", "--role", "admin", "--site", "demo")
    assert admin.exit_code == 1 and "Only moderators" in admin.output
    two = _users_add(house, "z", "--role", "moderator", "--site", "demo", "--site", "lemonde")
    assert json.loads(two.output)["sites"] == ["demo", "lemonde"]
    assert (
        "--site" in house.test_cli_runner().invoke(build_cli(), ["users", "add", "--help"]).output
    )


def test_a_scoped_moderator_lists_only_their_sites(scoped, alice, two_sites):
    assert [i["id"] for i in scoped.page()["items"]] == [two_sites["demo"]]
    assert {i["id"] for i in alice.page()["items"]} == set(two_sites.values())  # unscoped
    assert scoped.get("/v1/queue", site="lemonde").status_code == 404
    assert scoped.page(site="demo")["items"][0]["id"] == two_sites["demo"]


@pytest.mark.parametrize("action", ["claim", "release", "resolve"])
def test_a_scoped_moderator_cannot_touch_another_sites_item(scoped, two_sites, action):
    other = two_sites["lemonde"]
    response = scoped.post(f"/v1/queue/{other}/{action}", {"action": "approve"})
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    item = db.session.get(ReviewItem, other, populate_existing=True)
    assert item.status == "open" and item.claimed_by is None
    mine = scoped.post(f"/v1/queue/{two_sites['demo']}/claim")
    assert mine.status_code == 200


def test_history_and_authors_of_another_site_are_404(scoped, two_sites):
    assert scoped.get("/v1/comments/lemonde/c-1/history").status_code == 404
    assert scoped.get("/v1/comments/demo/c-1/history").status_code == 200
    assert scoped.get("/v1/authors/lemonde/facebook/u-1").status_code == 404
    assert scoped.get("/v1/authors/demo/facebook/u-1").status_code == 200
    sanction = scoped.post("/v1/authors/lemonde/facebook/u-1/sanctions", {"kind": "ban"})
    assert sanction.status_code == 404


def test_the_console_shows_a_scoped_moderator_only_their_sites(house, scoped, two_sites):
    console = sign_in(house, "sam")
    page = console.client.get("/console/queue/pending").get_data(as_text=True)
    assert "chez demo" in page and "ailleurs" not in page
    assert 'value="lemonde"' not in page  # the site filter offers only theirs
    searched = console.client.get("/console/queue/pending?site=lemonde").get_data(as_text=True)
    assert "ailleurs" not in searched
    tabs = console.client.get("/console/counts").get_data(as_text=True)
    assert '<span class="count">1</span>' in tabs  # pending: theirs only, not 2
    assert '<span class="count">2</span>' not in tabs
    sync = console.client.get(f"/console/sync?ids={two_sites['lemonde']}&after=0").json
    assert sync["items"] == {} and sync["new"] == 1
    other_author = db.session.scalar(select(Author.id).where(Author.site_id == site_id("lemonde")))
    assert console.client.get(f"/console/authors/{other_author}").status_code == 404
    note = console.post(f"/console/authors/{other_author}/notes", {"body": "x"})
    assert note.status_code == 404
    assert console.post(f"/console/authors/{other_author}/reject-all").status_code == 404
    item = two_sites["lemonde"]
    console.post(
        "/console/decide",
        {"items": str(item), "action": "reject", "reason": "spam", "versions": seen(item)},
    )
    assert db.session.get(ReviewItem, two_sites["lemonde"], populate_existing=True).status == "open"


def test_an_unscoped_moderator_keeps_every_site_in_the_console(house, alice, two_sites):
    set_password(db.session, name="alice", password=PASSWORD)
    db.commit()
    page = sign_in(house, "alice").client.get("/console/queue/pending").get_data(as_text=True)
    assert "chez demo" in page and "ailleurs" in page


def test_migration_0012_matches_the_models_and_reverses(app):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from moderation.dbcli import alembic_config
    from moderation.models import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "user_sites" in repr(d)] == []
    command.downgrade(alembic_config(), "0011")
    assert "user_sites" not in inspect(db.engine).get_table_names()
    command.upgrade(alembic_config(), "head")
    assert "user_sites" in inspect(db.engine).get_table_names()
