"""``moderation demo``: try the running service end to end by hand."""

from __future__ import annotations

import json
import time

import click
import requests
from flask.cli import with_appcontext

from moderation.extensions import db
from moderation.harness.receiver import Receiver
from moderation.signing import signature_headers
from moderation.sites import service

SAMPLE = {
    "id": "demo-1",
    "article": {
        "id": "21562",
        "url": "https://example.org/21562",
        "title": "Démo",
        "section": "international",
    },
    "author": {"id": "u-42", "source": "facebook", "name": "Jean D.", "email_verified": True},
    "body": "Merci pour cet article très complet.",
    "language": "fr",
}


def _site_secret(slug: str, callback_url: str) -> str:
    site = service.get_site(db.session, slug)
    if site is None:
        return service.add_site(db.session, slug=slug, callback_url=callback_url)[1]
    site.callback_url = callback_url
    # A secret is never shown twice: the demo takes a fresh one each run.
    return service.rotate_secret(db.session, slug=slug)[1]


@click.command("demo")
@click.option(
    "--url", default="http://127.0.0.1:5000", show_default=True, help="The running service."
)
@click.option("--body", default=SAMPLE["body"], help="Comment text to post.")
@click.option(
    "--port", default=8765, show_default=True, help="Port for the demo callback receiver."
)
@with_appcontext
def demo_command(url: str, body: str, port: int) -> None:
    """Post a signed sample comment to the running service, print its decision and callback."""
    secret = _site_secret("demo", f"http://127.0.0.1:{port}/callback")
    db.commit()  # the command is the unit of work
    payload = {**SAMPLE, "id": f"demo-{int(time.time() * 1000)}", "body": body}
    raw = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", **signature_headers(secret, raw)}
    with Receiver([secret], port=port) as receiver:
        posted = requests.post(
            f"{url}/v1/sites/demo/comments", data=raw, headers=headers, timeout=10
        )
        click.echo(f"POST -> {posted.status_code} {posted.text}")
        received = receiver.wait_for(1, timeout=30)
    if not received:
        raise click.ClickException("No callback within 30 s: is the worker running?")
    callback = {k: v for k, v in received[0].items() if k not in ("headers", "raw")}
    click.echo(f"callback (signature verified) -> {json.dumps(callback, ensure_ascii=False)}")
    path = f"/v1/sites/demo/comments/{payload['id']}"
    got = requests.get(url + path, headers=signature_headers(secret, b"", path), timeout=10)
    click.echo(f"GET -> {got.status_code} {json.dumps(got.json(), ensure_ascii=False, indent=2)}")
