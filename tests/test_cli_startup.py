"""``moderation --help`` and ``sign`` import nothing heavy; ``sites`` builds only the small app."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import click
import pytest

from moderation.cli import COMMANDS, build_cli
from moderation.signing import sign

MAIN = "from moderation.cli import main; main()"
# Flask alone is most of a plain call's time (about 0.2 s), so it is on the list too.
HEAVY = ("sklearn", "scipy", "numpy", "celery", "sqlalchemy", "alembic", "requests", "flask")


def run_cli(tmp_path, *args: str) -> tuple[str, set[str]]:
    """Run ``moderation ARGS`` in a fresh interpreter: its output and every module imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", MAIN, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    lines = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line]
    return done.stdout, set(lines)


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("sign", "--secret", "s", "--method", "GET", "--target", "/v1/x"),
        ("sign", "--help"),
    ],
)
def test_plain_commands_import_nothing_heavy(tmp_path, args):
    out, imported = run_cli(tmp_path, *args)
    assert out
    heavy = {name for name in imported if name.split(".")[0] in HEAVY}
    assert not heavy, sorted(heavy)
    assert "moderation.extensions" not in imported  # no app was built
    assert "moderation.app" not in imported


def test_sign_prints_curl_headers(tmp_path):
    out, _ = run_cli(tmp_path, "sign", "--secret", "s", "--method", "GET", "--target", "/v1/x")
    assert out.startswith("-H X-Moderation-Timestamp:") and "X-Moderation-Signature:v2=" in out
    timestamp = out.split()[1].split(":")[1]
    assert out.split()[3] == "X-Moderation-Signature:" + sign("s", timestamp, "GET", "/v1/x")


def test_help_lists_only_this_services_commands(tmp_path):
    out, _ = run_cli(tmp_path, "--help")
    for name in COMMANDS:
        assert f"\n  {name} " in out
    for noise in ("routes", "shell", "Run a development server", "Flask", "--app", "--env-file"):
        assert noise not in out


def test_static_help_matches_each_command():
    cli = build_cli()
    ctx = click.Context(cli)
    for name, entry in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
        assert command.get_short_help_str(limit=1000) == entry.help


#: What a sites command must never import: the model, the encoder, the rules, the
#: scoring pipeline, the queue's services, Celery, Redis, or the full app.
NOT_FOR_SITES = (
    "moderation.app",
    "moderation.extensions",
    "moderation.classifier",
    "moderation.rules",
    "moderation.scoring",
    "moderation.review",
    "sklearn",
    "scipy",
    "numpy",
    "celery",
    "redis",
    "requests",
)


def test_sites_commands_build_only_the_small_app(tmp_path, migrated_sqlite, monkeypatch):
    database = tmp_path / "db.sqlite"
    shutil.copy(migrated_sqlite, database)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("MODERATION_SECRET_KEY", "test")
    monkeypatch.setenv("MODERATION_ALLOW_PRIVATE_CALLBACKS", "1")
    calls = (
        ("sites", "add", "lemonde", "--callback-url", "http://127.0.0.1:9/cb"),
        ("sites", "set-callback", "lemonde", "http://127.0.0.1:9/cb2"),
        ("sites", "list"),
        ("sites", "add-key", "lemonde"),
        ("sites", "rotate-secret", "lemonde"),
    )
    for args in calls:
        out, imported = run_cli(tmp_path, *args)
        assert json.loads(out.splitlines()[0])["site"] == "lemonde", out
        loaded = {m for m in imported if _under(m)}
        assert not loaded, (args, sorted(loaded))
        assert "moderation.cliapp" in imported
    listed = json.loads(run_cli(tmp_path, "sites", "list")[0])
    assert listed["callback_url"] == "http://127.0.0.1:9/cb2" and listed["keys"] == 1


def _under(module: str) -> bool:
    return any(module.startswith(f"{name}.") or module == name for name in NOT_FOR_SITES)
