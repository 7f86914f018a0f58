"""The ``moderation`` command: sites, users, migrations."""

from __future__ import annotations

import json
import socket

from moderation.cli import build_cli


def invoke(app, *args):
    return app.test_cli_runner().invoke(build_cli(), list(args), catch_exceptions=False)


def test_sites_add_prints_the_secret_once(app):
    result = invoke(app, "sites", "add", "lemonde", "--callback-url", "http://127.0.0.1:9/cb")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["site"] == "lemonde" and out["secret"].startswith("whsec_")
    again = invoke(app, "sites", "add", "lemonde", "--callback-url", "http://127.0.0.1:9/cb")
    assert again.exit_code == 1 and "already exists" in again.output


def test_secret_is_stored_encrypted(app):
    from moderation.extensions import db
    from moderation.sites.models import Site

    out = json.loads(
        invoke(app, "sites", "add", "s1", "--callback-url", "http://127.0.0.1:9/").output
    )
    stored = db.session.query(Site).one()
    assert out["secret"] not in stored.secret_enc


def test_private_callback_refused_without_the_setting(app):
    app.config["ALLOW_PRIVATE_CALLBACKS"] = False
    for url in (
        "http://127.0.0.1/cb",
        "http://10.0.0.8/cb",
        "http://[::1]/cb",
        "ftp://example.org/",
    ):
        result = invoke(app, "sites", "add", "s", "--callback-url", url)
        assert result.exit_code == 1, url


def test_rotate_secret(app):
    invoke(app, "sites", "add", "s1", "--callback-url", "http://127.0.0.1:9/")
    result = invoke(app, "sites", "rotate-secret", "s1")
    out = json.loads(result.output)
    assert (
        out["site"] == "s1" and out["secret"].startswith("whsec_") and out["previous_valid_until"]
    )


def test_users_add_and_revoke(app):
    result = invoke(app, "users", "add", "alice", "--role", "moderator")
    out = json.loads(result.output)
    assert out["user"] == "alice" and out["role"] == "moderator" and out["token"]
    assert invoke(app, "users", "add", "bob", "--role", "king").exit_code == 2
    assert json.loads(invoke(app, "users", "revoke", "alice").output)["revoked"] is True


def test_db_upgrade_says_what_it_did(tmp_path):
    from alembic import command
    from alembic.script import ScriptDirectory

    from moderation.dbcli import alembic_config
    from tests.helpers import make_app

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    url = f"sqlite:///{tmp_path}/fresh.sqlite"
    app = make_app(url, tmp_path)
    with app.app_context():
        first = invoke(app, "db", "upgrade").output.strip()
        again = invoke(app, "db", "upgrade").output.strip()
    assert first == f"database at {url} migrated from empty to revision {head} (head)"
    assert again == f"database at {url} already at head {head}"
    older = f"sqlite:///{tmp_path}/older.sqlite"
    command.upgrade(alembic_config(older), "0001")
    with make_app(older, tmp_path).app_context() as ctx:
        assert f"from 0001 to revision {head}" in invoke(ctx.app, "db", "upgrade").output


def test_db_upgrade_never_prints_a_password():
    from moderation.dbcli import describe_upgrade

    line = describe_upgrade("postgresql+psycopg://mod:hunter2@db.internal/mod", None, "0003")
    assert "hunter2" not in line and "mod:***@db.internal/mod" in line


def no_dns(monkeypatch):
    """Every name lookup fails, as on a machine without network."""

    def fail(*_args, **_kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)


def test_readme_sites_add_works_without_dns(app, monkeypatch):
    app.config["ALLOW_PRIVATE_CALLBACKS"] = False
    no_dns(monkeypatch)
    url = "https://example.org/moderation-callback"
    result = invoke(app, "sites", "add", "mysite", "--callback-url", url)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["site"] == "mysite"
    assert "does not resolve: example.org" in result.stderr
    assert "checked again before every delivery" in result.stderr


def test_literal_private_addresses_are_refused_without_dns(app, monkeypatch):
    app.config["ALLOW_PRIVATE_CALLBACKS"] = False
    no_dns(monkeypatch)
    for url in (
        "http://127.0.0.1/cb",
        "http://10.0.0.8/cb",
        "http://[::1]/cb",
        "http://[fe80::1]/",
    ):
        result = invoke(app, "sites", "add", "s", "--callback-url", url)
        assert result.exit_code == 1 and "private or loopback" in result.output, url
