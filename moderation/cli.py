"""The ``moderation`` command: Flask's CLI with this service's command groups."""

from __future__ import annotations

from flask.cli import FlaskGroup

from moderation import create_app


def build_cli() -> FlaskGroup:
    """The command group, with every area's commands registered."""
    from moderation.accounts.cli import users_cli
    from moderation.classifier.cli import model_cli
    from moderation.dbcli import db_cli
    from moderation.demo import demo_command, sign_command
    from moderation.dsa.cli import dsa_cli
    from moderation.privacy.cli import authors_cli
    from moderation.rules.cli import rules_cli
    from moderation.scoring.cli import pipeline_cli
    from moderation.sites.cli import sites_cli

    cli = FlaskGroup(create_app=lambda: create_app(), help="Comment moderation service.")
    for group in (db_cli, sites_cli, users_cli, rules_cli, model_cli, pipeline_cli):
        cli.add_command(group)
    for group in (dsa_cli, authors_cli):
        cli.add_command(group)
    cli.add_command(demo_command)
    cli.add_command(sign_command)
    return cli


def main() -> None:
    """Console-script entry point."""
    build_cli()()
