"""``moderation sign``: curl options that sign a request (SPEC §3); needs no app."""

from __future__ import annotations

from typing import Any

import click

from moderation.signing import signature_headers


@click.command("sign")
@click.option("--secret", required=True, envvar="MODERATION_SITE_SECRET")
@click.option("--method", default="POST", show_default=True, help="The request's HTTP method.")
@click.option(
    "--target",
    required=True,
    help="The path and query string exactly as sent, e.g. /v1/sites/demo/comments/c-1.",
)
@click.argument("body_file", type=click.File("rb"), required=False)
def sign_command(secret: str, method: str, target: str, body_file: Any) -> None:
    """Print curl -H options that sign a request: --method, --target and BODY_FILE (v2=)."""
    body = body_file.read() if body_file else b""
    # No spaces, so the output survives the shell's word splitting in $(...).
    headers = signature_headers(secret, method, target, body)
    click.echo(" ".join(f"-H {name}:{value}" for name, value in headers.items()))
