"""Records and queue items carry the comment's text and, for a reply, its parent's (15.4)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from moderation.extensions import db
from moderation.sites.service import add_site
from tests.helpers import SiteClient, payload

HELD = "Un argument douteux"


@contextmanager
def counting_queries():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_record_carries_the_current_text(site):
    response = site.post(payload(body="<p>Premier <b>jet</b></p>", body_format="html"))
    assert response.json["body"] == "Premier jet"  # the text as reduced, which spans index
    assert response.json["parent"] is None
    site.post(payload(body="Version corrigée"))
    assert site.get("c-1").json["body"] == "Version corrigée"


def test_a_reply_carries_its_parents_current_text(site):
    site.post(payload("c-1", body="Le texte parent"))
    site.post(payload("c-1", body="Le texte parent, revu"))
    reply = site.post(payload("c-2", body="Une réponse", parent_id="c-1")).json
    assert reply["parent"] == {"id": "c-1", "body": "Le texte parent, revu"}
    orphan = site.post(payload("c-3", body="Réponse à rien", parent_id="c-404")).json
    assert orphan["parent"] == {"id": "c-404", "body": None}


def test_a_parent_is_looked_up_on_the_same_site_only(app, site):
    created, secret = add_site(db.session, slug="other", callback_url="http://127.0.0.1:9/cb")
    other = SiteClient(app.test_client(), created.slug, secret)
    other.post(payload("c-1", body="Ailleurs"))
    reply = site.post(payload("c-2", body="Une réponse", parent_id="c-1")).json
    assert reply["parent"] == {"id": "c-1", "body": None}


def test_a_queue_item_carries_the_text_its_spans_index(site, alice):
    site.post(payload("c-1", body="Le texte parent"))
    site.post(payload("c-2", body=HELD, parent_id="c-1"))
    (item,) = alice.page()["items"]
    comment = item["comment"]
    assert comment["body"] == HELD
    assert comment["parent"] == {"id": "c-1", "body": "Le texte parent"}
    assert comment["article"]["id"] == "a-1"
    match = comment["decision"]["rules"][0]["matches"][0]
    assert comment["body"][match["start"] : match["end"]] == match["text"]


def test_a_queue_page_loads_texts_in_bulk(site, alice):
    def page_queries() -> int:
        with counting_queries() as statements:
            alice.page()
        return len(statements)

    site.post(payload("p-0", body="Parent 0"))
    site.post(payload("c-0", body=HELD, parent_id="p-0"))
    alice.page()  # a first view records the moderators' knowledge of the comments (once)
    one = page_queries()
    for n in range(1, 5):
        site.post(payload(f"p-{n}", body=f"Parent {n}"))
        site.post(payload(f"c-{n}", body=HELD, parent_id=f"p-{n}"))
    assert len(alice.page()["items"]) == 5
    assert page_queries() == one


def test_the_openapi_document_shows_the_texts(app):
    schemas = app.test_client().get("/openapi.json").json["components"]["schemas"]
    assert {"body", "parent"} <= set(schemas["CommentRecord"]["properties"])
    assert set(schemas["Parent"]["properties"]) == {"id", "body"}
    assert schemas["Item"]["properties"]["comment"] == {"$ref": "#/components/schemas/ItemComment"}
    assert schemas["CommentPayload"]["additionalProperties"] is True  # unknown fields accepted


def test_a_seen_queue_page_takes_seven_statements(site, alice):
    # The token, the user's site scope, the items, the knowledge check, one join for the
    # comments with their site, author, latest decision and text, then sanctions and flags.
    for n in range(3):
        site.post(payload(f"c-{n}", body=HELD))
    alice.page()  # the first showing records the moderators' knowledge (once)
    with counting_queries() as statements:
        assert len(alice.page()["items"]) == 3
    assert len(statements) == 7, statements


def test_claim_and_resolve_never_read_the_item_around_their_update(site, alice):
    # The guarded UPDATE … RETURNING gives the item: no read before it, no refresh after.
    site.post(payload("c-1", body=HELD))
    item_id = alice.page()["items"][0]["id"]
    with counting_queries() as claimed:
        assert alice.post(f"/v1/queue/{item_id}/claim").json["claimed_by"] == "alice"
    # token, the user's site scope, UPDATE … RETURNING, the comment, the event
    assert len(claimed) == 5, claimed
    with counting_queries() as resolved:
        state = alice.post(f"/v1/queue/{item_id}/resolve", {"action": "approve"}).json
    assert state["status"] == "resolved" and state["resolved_by"] == "alice"
    touching_items = [s for s in resolved if "review_items" in s.split("WHERE")[0]]
    assert len(touching_items) == 1 and touching_items[0].startswith("UPDATE"), touching_items
