"""Search and history lists (SQLite here; tests/review/test_history_pg.py on PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select

from moderation.comments.models import Comment
from moderation.extensions import db
from moderation.review import history
from moderation.sites.models import Site
from moderation.sites.service import add_site
from tests.helpers import SiteClient, payload

COMMENTS = (
    (
        "s-1",
        "Les élèves réfléchissent à l'ÉCOLOGIE",
        {"id": "u-1", "source": "native", "name": "Zoé Martin"},
        "a-1",
    ),
    (
        "s-2",
        "Rien à voir avec le sujet",
        {"id": "u-2", "source": "google", "name": "Jean Dupont"},
        "a-1",
    ),
    ("s-3", "Une école sans élève", {"id": "u-3", "source": "native", "name": "Léa"}, "a-2"),
    ("s-4", "100% d'accord_avec vous", {"id": "u-4", "source": "native", "name": "Paul"}, "a-2"),
)


def post_comments(app) -> None:
    """Four comments on two articles by four authors (scored or not, any status)."""
    created, secret = add_site(db.session, slug="srch", callback_url="http://127.0.0.1:9/")
    db.session.commit()
    site = SiteClient(app.test_client(), created.slug, secret)
    for cid, body, author, article in COMMENTS:
        extra = {"author": author, "article": {"id": article, "title": f"Titre {article}"}}
        assert site.post(payload(cid, body=body, **extra)).status_code == 202
    reply = {
        "author": COMMENTS[1][2],
        "article": {"id": "a-1", "title": "Titre a-1"},
        "parent_id": "s-1",
    }
    assert site.post(payload("s-5", body="Je réponds à Zoé", **reply)).status_code == 202


def found(query=None, **filters) -> list[str]:
    """The site ids of the comments a search finds, in list order (newest first)."""
    db.session.expire_all()
    rows, _more = history.list_comments(db.session, query=query, filters=filters)
    return sorted(r.comment.external_id for r in rows)


def check_search() -> None:
    """The search's contract, on whichever database the app has."""
    assert found("eleve") == ["s-1", "s-3"]  # accents and case folded
    assert found("ÉLÈVE") == ["s-1", "s-3"]
    assert found("écologie") == ["s-1"]
    assert found("zoé martin") == ["s-1"]  # the author's name
    assert found("u-2") == ["s-2", "s-5"]  # the author's id
    assert found("a-2") == ["s-3", "s-4"]  # the article's id
    assert found("titre a-1") == ["s-1", "s-2", "s-5"]  # the article's title
    assert found("eleve", article="a-2") == ["s-3"]  # combined with a filter
    assert found("eleve", source="google") == []
    assert found("nulle part") == []


def test_search_on_sqlite(app):
    post_comments(app)
    check_search()
    assert found("100%") == ["s-4"] and found("%") == ["s-4"]  # wildcards taken literally
    assert found("d'accord_avec") == ["s-4"] and found("_") == ["s-4"]


def test_lists_by_status_and_the_conversation(app):
    post_comments(app)
    site_id = db.session.scalar(select(Site.id).where(Site.slug == "srch"))
    statuses = {
        r.comment.external_id: r.comment.status for r in history.list_comments(db.session)[0]
    }
    assert set(statuses) == {"s-1", "s-2", "s-3", "s-4", "s-5"}
    approved = [
        r.comment.external_id for r in history.list_comments(db.session, status="approved")[0]
    ]
    assert sorted(approved) == sorted(k for k, v in statuses.items() if v == "approved")
    reply = db.session.scalar(select(Comment).where(Comment.external_id == "s-5"))
    parents, replies = history.conversation(db.session, reply)
    assert [p.comment.external_id for p in parents] == ["s-1"] and replies == []
    first = db.session.scalar(select(Comment).where(Comment.external_id == "s-1"))
    assert [r.comment.external_id for r in history.conversation(db.session, first)[1]] == ["s-5"]
    rows = history.article_comments(db.session, site_id=site_id, article_id="a-1")
    assert [r.comment.external_id for r in rows] == ["s-1", "s-2", "s-5"]
    assert history.list_comments(db.session, sites=frozenset({-1}))[0] == []
