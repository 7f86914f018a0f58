"""``moderation demo``: try the running service end to end by hand."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

import click
import requests
from flask.cli import with_appcontext
from sqlalchemy import select

from moderation.accounts.models import User
from moderation.accounts.service import add_user, set_password
from moderation.callbacks.service import cancel_pending
from moderation.demo_receiver import Receiver
from moderation.extensions import db
from moderation.signing import url_headers
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


def _stop_callbacks(slug: str) -> None:
    """The receiver is gone: the site's callbacks, pending or to come, are not sent.

    Decisions taken later in the console would otherwise retry a dead port for the whole
    retry window; ``moderation sites set-callback demo URL`` points them somewhere live.
    """
    site = service.get_site(db.session, slug)
    if site is not None:
        site.callback_url = ""
        cancel_pending(db.session, site_id=site.id)
        db.commit()


#: Comments the house rules hold for review, so the console has work to show (``make demo``).
HELD: tuple[tuple[str, dict[str, Any]], ...] = (
    ("Quel abruti, cet auteur.", {}),
    ("Plus d'infos sur https://bit.ly/promo-xyz", {"author": {"id": "u-77", "source": "google"}}),
    ("Tu es vraiment un crétin.", {"parent_id": "demo-held-0"}),
)


def _post_held(url: str, secret: str) -> None:
    """Leave a few held comments in the queue for the console (the worker holds them)."""
    stamp = int(time.time())
    for n, (body, extra) in enumerate(HELD):
        payload = {**SAMPLE, "id": "demo-held-0" if n == 0 else f"demo-held-{stamp}-{n}"}
        payload.update(body=body, **extra)
        raw = json.dumps(payload).encode()
        target = f"{url}/v1/sites/demo/comments"
        headers = {"Content-Type": "application/json", **url_headers(secret, "POST", target, raw)}
        requests.post(target, data=raw, headers=headers, timeout=10)


def _console_user() -> str:
    """A console admin for the demo, with a fresh password (shown once)."""
    if db.session.scalar(select(User).where(User.name == "moderateur")) is None:
        add_user(db.session, name="moderateur", role="admin")
    password = secrets.token_urlsafe(12)
    set_password(db.session, name="moderateur", password=password)
    db.commit()
    return password


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
    target = f"{url}/v1/sites/demo/comments"
    headers = {"Content-Type": "application/json", **url_headers(secret, "POST", target, raw)}
    try:
        with Receiver([secret], port=port) as receiver:
            posted = requests.post(target, data=raw, headers=headers, timeout=10)
            click.echo(f"POST -> {posted.status_code} {posted.text}")
            received = receiver.wait_for(1, timeout=30)
    finally:
        _stop_callbacks("demo")
    if not received:
        raise click.ClickException("No callback within 30 s: is the worker running?")
    callback = {k: v for k, v in received[0].items() if k not in ("headers", "raw")}
    click.echo(f"callback (signature verified) -> {json.dumps(callback, ensure_ascii=False)}")
    record = f"{url}/v1/sites/demo/comments/{payload['id']}"
    got = requests.get(record, headers=url_headers(secret, "GET", record), timeout=10)
    click.echo(f"GET -> {got.status_code} {json.dumps(got.json(), ensure_ascii=False, indent=2)}")
    _post_held(url, secret)
    click.echo(
        f"console: {url}/console/ as moderateur / {_console_user()} "
        f"({len(HELD)} comments held for review; their decisions call back nowhere: "
        "`moderation sites set-callback demo URL` to receive them)"
    )
