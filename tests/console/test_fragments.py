"""Console fragments and admin pages over the test client."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.accounts.service import add_user
from moderation.authors.models import AuthorNote, Sanction
from moderation.callbacks.models import Delivery
from moderation.cli import build_cli
from moderation.comments.models import Event
from moderation.console.i18n import error_words
from moderation.errors import ApiError
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from tests.console.conftest import PASSWORD, csrf_of, make_moderator, seen, sign_in


def _open_items():
    db.session.expire_all()
    return list(db.session.query(ReviewItem).filter_by(status="open").order_by(ReviewItem.id))


@pytest.fixture
def alice(console_app, held):
    make_moderator("alice")
    return sign_in(console_app, "alice")


@pytest.fixture
def bob(console_app, held):
    make_moderator("bob")
    return sign_in(console_app, "bob")


def test_set_password_reads_stdin(console_app):
    add_user(db.session, name="carol", role="moderator")
    db.commit()
    runner = console_app.test_cli_runner()
    done = runner.invoke(build_cli(), ["users", "set-password", "carol"], input="short\n")
    assert done.exit_code != 0 and "at least" in done.output
    done = runner.invoke(build_cli(), ["users", "set-password", "carol"], input=PASSWORD + "\n")
    assert done.exit_code == 0, done.output
    assert sign_in(console_app, "carol").name == "carol"


def test_next_is_never_an_open_redirect(console_app):
    make_moderator("alice")
    for target in ("https://evil.example/", "//evil.example/", "/v1/queue", "/console/\\\\evil"):
        client = console_app.test_client()  # signing in renews the CSRF token: a fresh one each
        token = csrf_of(client.get("/console/login").get_data(as_text=True))
        answer = client.post(
            "/console/login",
            data={"name": "alice", "password": PASSWORD, "csrf_token": token, "next": target},
        )
        assert answer.headers["Location"] == "/console/", target


def test_login_is_rate_limited(console_app, tmp_path):
    from tests.helpers import make_app

    make_moderator("alice")
    limited = make_app(console_app.config["DATABASE_URL"], tmp_path, RATE_LIMITS_ENABLED=True)
    client = limited.test_client()
    token = csrf_of(client.get("/console/login").get_data(as_text=True))
    codes = [
        client.post(
            "/console/login", data={"name": "alice", "password": "nope", "csrf_token": token}
        ).status_code
        for _ in range(12)
    ]
    assert codes[:10] == [401] * 10 and codes[-1] == 429


def test_undo_is_only_for_the_decider_and_within_the_window(console_app, alice, bob):
    item = _open_items()[0]
    assert (
        alice.post(
            "/console/decide",
            {"items": item.id, "action": "reject", "reason": "insult", "versions": seen(item.id)},
        ).status_code
        == 200
    )
    assert bob.post("/console/undo", {"items": item.id}).status_code == 409
    db.session.get(ReviewItem, item.id).resolved_at -= dt.timedelta(seconds=30)
    db.commit()
    late = alice.post("/console/undo", {"items": item.id})
    assert late.status_code == 409 and "annul" not in late.get_data(as_text=True).lower()


def test_bulk_refuses_a_selection_with_an_item_decided_since(console_app, alice, bob):
    first, second, *_ = _open_items()
    versions = seen(first.id, second.id)  # alice's page, before bob decides the first
    assert (
        bob.post(
            "/console/decide", {"items": first.id, "action": "approve", "versions": seen(first.id)}
        ).status_code
        == 200
    )
    form = {"items": [first.id, second.id], "action": "reject", "reason": "spam"}
    answer = alice.post("/console/decide", {**form, "versions": versions})
    assert answer.status_code == 409
    assert f"({first.id})" in answer.get_data(as_text=True)  # names the item that changed
    assert 'data-error="stale_version"' in answer.get_data(as_text=True)
    # In words the moderator reads; the server's English message only in the tooltip.
    assert "a changé depuis son affichage" in answer.get_data(as_text=True)
    # Nothing decided: the second item is still open.
    assert db.session.get(ReviewItem, second.id, populate_existing=True).status == "open"


def test_sync_reports_others_decisions(console_app, alice, bob):
    items = _open_items()
    bob.post(
        "/console/decide",
        {"items": items[0].id, "action": "approve", "versions": seen(items[0].id)},
    )
    ids = ",".join(str(i.id) for i in items)
    state = alice.client.get(f"/console/sync?queue=pending&ids={ids}&after=0").json
    assert state["items"][str(items[0].id)] == {
        "status": "resolved",
        "by": "bob",
        "claimed_by": None,
    }
    assert state["items"][str(items[1].id)]["status"] == "open"
    assert state["new"] == len(items) - 1


def test_events_without_redis_is_204(alice):
    assert alice.client.get("/console/events").status_code == 204


def test_reverse_from_my_decisions_is_audited(console_app, alice, receiver):
    item = _open_items()[0]
    alice.post(
        "/console/decide", {"items": item.id, "action": "approve", "versions": seen(item.id)}
    )
    page = alice.client.get("/console/mine").get_data(as_text=True)
    assert "Rejeter" in page
    decision_id = int(page.split('id="decision-')[1].split('"')[0])
    answer = alice.post(f"/console/decisions/{decision_id}/reverse", {"reason": "spam"}, htmx=False)
    assert answer.status_code == 302
    db.session.expire_all()
    kinds = [e.kind for e in db.session.query(Event).filter_by(comment_id=item.comment_id)]
    assert "reversed" in kinds
    statuses = [
        d.comment["status"]
        for d in db.session.query(Delivery).filter_by(comment_id=item.comment_id)
    ]
    assert statuses[-1] == "rejected"


def test_author_drawer_notes_sanctions_and_lift(console_app, alice):
    item = _open_items()[0]
    page = alice.client.get("/console/queue/pending").get_data(as_text=True)
    author_id = int(page.split("/console/authors/")[1].split("/")[0].split('"')[0])
    drawer = alice.client.get(f"/console/authors/{author_id}", headers={"HX-Request": "true"})
    assert drawer.status_code == 200 and "<html" not in drawer.get_data(as_text=True)
    alice.post(f"/console/authors/{author_id}/notes", {"body": "<script>x</script>"}, htmx=False)
    assert db.session.query(AuthorNote).one().body == "<script>x</script>"
    shown = alice.client.get(f"/console/authors/{author_id}").get_data(as_text=True)
    assert "&lt;script&gt;x&lt;/script&gt;" in shown
    assert (
        alice.post(f"/console/authors/{author_id}/sanctions", {"kind": "suspend"}).status_code
        == 400
    )
    alice.post(
        f"/console/authors/{author_id}/sanctions", {"kind": "suspend", "hours": "24"}, htmx=False
    )
    sanction = db.session.query(Sanction).one()
    assert sanction.until is not None and sanction.created_by == "moderator:alice"
    alice.post(f"/console/authors/{author_id}/sanctions/{sanction.id}/lift", htmx=False)
    db.session.expire_all()
    assert db.session.get(Sanction, sanction.id).revoked_at is not None
    assert item is not None


def test_admin_pages_are_for_admins(console_app, alice):
    for path in ("/console/admin/rules", "/console/admin/models", "/console/admin/stats"):
        assert alice.client.get(path).status_code == 403


def test_admin_check_backtest_models_and_stats(console_app, held):
    make_moderator("root", "admin")
    root = sign_in(console_app, "root")
    page = root.client.get("/console/admin/rules").get_data(as_text=True)
    assert "insults" in page
    bad = root.post(
        "/console/admin/rules/check", {"name": "x.yaml", "text": "rules: [oops"}, htmx=False
    )
    assert "Refusé" in bad.get_data(as_text=True)
    # A new file laid over the live rules (overlay, as the API does): no second `default`.
    good_rules = (
        "rules:\n  - id: r\n    if: {body: {words: [idiot]}}\n"
        "    then: reject\n    reason: insult\n"
    )
    good = root.post(
        "/console/admin/rules/check", {"name": "x.yaml", "text": good_rules}, htmx=False
    )
    assert "Valide" in good.get_data(as_text=True)
    replay = root.post(
        "/console/admin/rules/backtest",
        {"name": "x.yaml", "text": good_rules, "since": "30d"},
        htmx=False,
    )
    assert 'id="backtest-result"' in replay.get_data(as_text=True)
    evil = root.post("/console/admin/rules/check", {"name": "../x.yaml", "text": "x"}, htmx=False)
    assert "must end in .yaml" in evil.get_data(as_text=True)
    assert root.client.get("/console/admin/models").status_code == 200
    assert root.client.get("/console/admin/models/..%2F..%2Fetc/passwd").status_code == 404
    stats = root.client.get("/console/admin/stats").get_data(as_text=True)
    assert "<svg" in stats


def test_html_errors_under_console_json_elsewhere(console_app, alice):
    assert "text/html" in alice.client.get("/console/nope").headers["Content-Type"]
    assert alice.client.get("/v1/nope").json["error"]["code"] == "not_found"


def test_filters_and_saved_sort(console_app, alice):
    page = alice.client.get("/console/queue/pending?reason=links").get_data(as_text=True)
    assert page.count('<article class="card') == 1
    alice.client.get("/console/queue/pending?sort=newest")
    again = alice.client.get("/console/queue/pending").get_data(as_text=True)
    assert '<option value="newest" selected>' in again
    section = alice.client.get("/console/queue/pending?section=international").get_data(
        as_text=True
    )
    assert section.count('<article class="card') == 3
    none = alice.client.get("/console/queue/pending?site=nosuch").get_data(as_text=True)
    assert none.count('<article class="card') == 0


def test_a_claim_dims_the_card_for_others_and_blocks_their_decision(console_app, alice, bob):
    item = _open_items()[0]
    assert alice.post(f"/console/items/{item.id}/claim").status_code == 200
    state = bob.client.get(f"/console/sync?queue=pending&ids={item.id}").json
    assert state["items"][str(item.id)]["claimed_by"] == "alice"
    page = bob.client.get("/console/queue/pending").get_data(as_text=True)
    assert f'<article class="card dim" id="card-{item.id}"' in page
    skipped = bob.post(
        "/console/decide", {"items": item.id, "action": "approve", "versions": seen(item.id)}
    )
    assert "claimed by alice" in skipped.get_data(as_text=True)
    assert alice.post(f"/console/items/{item.id}/claim").status_code == 200  # renews her lease
    assert bob.post(f"/console/items/{item.id}/claim").status_code == 409


def test_an_error_without_words_of_its_own_is_told_by_its_status(console_app):
    with console_app.test_request_context("/console/"):
        assert error_words(ApiError(404, "not_found", "No item 7.")).startswith("Introuvable")
        assert error_words(ApiError(502, "bad_gateway", "Upstream.")).startswith("Erreur du")
        assert error_words(ApiError(418, "teapot", "Short and stout.")) == "Demande invalide."
