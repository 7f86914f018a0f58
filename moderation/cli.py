"""The ``moderation`` command: this service's command groups, each imported when it runs.

``moderation --help`` and ``moderation sign`` must stay fast (every README curl line
calls ``sign``), so the groups, and Flask, the app, the models and scikit-learn behind
them, are imported only for the command being run.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

import click


class Entry(NamedTuple):
    """Where a command lives, its one-line help, and whether it runs inside the app.

    ``extra``: ``module:attribute`` of subcommands a higher layer adds to the group (a
    command or a tuple of them), so the group's package never imports that layer.
    ``small``: the small app (``moderation.cliapp``: settings, logs, database) is enough.
    """

    module: str
    attribute: str
    help: str
    app: bool = True
    extra: tuple[str, ...] = ()
    small: bool = False


# Written out so that listing the commands imports none of them; a test checks each help
# against the command's own.
COMMANDS = {
    "authors": Entry(
        "moderation.privacy.cli", "authors_cli", "An author's personal data: export and erasure."
    ),
    "db": Entry("moderation.dbcli", "db_cli", "Database schema migrations."),
    "dsa": Entry(
        "moderation.dsa.cli", "dsa_cli", "EU Digital Services Act: the transparency export."
    ),
    "demo": Entry(
        "moderation.demo",
        "demo_command",
        "Post a signed sample comment to the running service, print its decision and callback.",
    ),
    "model": Entry(
        "moderation.training.cli",
        "model_cli",
        "Train, evaluate, promote and run the comment classifier.",
    ),
    "pipeline": Entry("moderation.scoring.cli", "pipeline_cli", "The scoring pipeline."),
    "rules": Entry(
        "moderation.rules.cli",
        "rules_cli",
        "Validate, test and backtest the house rules.",
        extra=("moderation.scoring.cli:decide",),
    ),
    "sign": Entry(
        "moderation.signcli",
        "sign_command",
        "Print curl -H options that sign a request: --method, --target and BODY_FILE (v2=).",
        app=False,
    ),
    "sites": Entry(
        "moderation.sites.cli",
        "sites_cli",
        "Client sites and their signing secrets.",
        extra=(
            "moderation.perspective.cli:SITES_COMMANDS",
            "moderation.coral.cli:set_coral_secret",
        ),
        small=True,  # one row read or written: no model, rules, queue or HTTP client
    ),
    "users": Entry("moderation.accounts.cli", "users_cli", "Moderator and admin accounts."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use; the app is built only for them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, without importing any."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the command's module now, with the app factory if it needs the app."""
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        if entry.app and ctx.obj is None:
            ctx.obj = _script_info(small=entry.small)
        command: click.Command = _load(entry.module, entry.attribute)
        if isinstance(command, click.Group):
            for name in entry.extra:
                extra = _load(*name.split(":"))
                for sub in extra if isinstance(extra, tuple) else (extra,):
                    command.add_command(sub)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands section of ``--help``, from the table above."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name].help) for name in self.list_commands(ctx)])


def _load(module: str, attribute: str) -> Any:
    return getattr(importlib.import_module(module), attribute)


def _script_info(*, small: bool = False) -> object:
    """What ``with_appcontext`` looks for in the context to build the app (or the small one)."""
    from flask.cli import ScriptInfo  # late: `--help` and `sign` import no Flask

    if small:
        from moderation.cliapp import create_cli_app  # late: only the sites commands need it

        return ScriptInfo(create_app=create_cli_app, set_debug_flag=False)

    from moderation.app import create_app  # late: `--help` and `sign` build no app

    # A command loads scoring when it scores: most never do (``db upgrade``).
    return ScriptInfo(create_app=lambda: create_app({"WARM_START": False}), set_debug_flag=False)


def build_cli() -> click.Group:
    """The ``moderation`` command group."""

    @click.group(cls=LazyGroup, help="Comment moderation service.")
    @click.version_option(package_name="moderation")
    def cli() -> None:
        pass

    return cli


def main() -> None:
    """Console-script entry point."""
    build_cli()()
