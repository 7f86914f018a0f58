"""``moderation sign``: curl options that sign a request (SPEC §3); needs no app."""

from __future__ import annotations

from typing import Any

import click

from moderation.signing import signature_headers


@click.command("sign")
@click.option("--secret", required=True, envvar="MODERATION_SITE_SECRET")
@click.option("--path", default="", help="Request path, for requests without a body.")
@click.argument("body_file", type=click.File("rb"), required=False)
def sign_command(secret: str, path: str, body_file: Any) -> None:
    """Print curl -H options that sign BODY_FILE (or an empty body with --path)."""
    body = body_file.read() if body_file else b""
    # No spaces, so the output survives the shell's word splitting in $(...).
    headers = signature_headers(secret, body, path)
    click.echo(" ".join(f"-H {name}:{value}" for name, value in headers.items()))
