"""The ``moderation`` command: this service's command groups, each imported when it runs.

``moderation --help`` and ``moderation sign`` must stay fast (every README curl line
calls ``sign``), so the groups, and the app, the models and scikit-learn behind them,
are imported only for the command being run.
"""

from __future__ import annotations

import importlib
from typing import Any

import click
from flask.cli import ScriptInfo

from moderation import create_app

# name -> (module, attribute, short help). The help is written here so that listing the
# commands imports none of them; a test checks it against each command's own help.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "db": ("moderation.dbcli", "db_cli", "Database schema migrations."),
    "demo": (
        "moderation.demo",
        "demo_command",
        "Post a signed sample comment to the running service, print its decision and callback.",
    ),
    "model": (
        "moderation.classifier.cli",
        "model_cli",
        "Train, evaluate, promote and run the comment classifier.",
    ),
    "pipeline": ("moderation.scoring.cli", "pipeline_cli", "The scoring pipeline."),
    "rules": ("moderation.rules.cli", "rules_cli", "Validate, test and backtest the house rules."),
    "sign": (
        "moderation.signcli",
        "sign_command",
        "Print curl -H options that sign BODY_FILE (or an empty body with --path).",
    ),
    "sites": ("moderation.sites.cli", "sites_cli", "Client sites and their signing secrets."),
    "users": ("moderation.accounts.cli", "users_cli", "Moderator and admin accounts."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use; the app is built only then."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """Carry a ``ScriptInfo`` so ``with_appcontext`` commands build the app when they run."""
        if "obj" not in extra:
            extra["obj"] = ScriptInfo(create_app=create_app, set_debug_flag=False)
        return super().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, without importing any."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the command's module now."""
        if cmd_name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands section of ``--help``, from the static table."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][2]) for name in self.list_commands(ctx)])


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
