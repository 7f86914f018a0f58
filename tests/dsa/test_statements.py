"""Statements of reasons (DSA art. 17): every rejection and account sanction has one."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from moderation.authors.models import Author
from moderation.dsa.models import Statement
from moderation.dsa.wording import french_date
from moderation.extensions import db
from tests.dsa.conftest import HELD, THREAT, statement_of
from tests.dsa.tdb_checker import problems
from tests.helpers import payload


def test_an_automatic_rejection_has_a_statement_with_the_rules_article(site, house, receiver):
    site.post(payload("c-1", body=THREAT))
    response = statement_of(site, "c-1")
    assert response.status_code == 200, response.json
    statement = response.json["statement"]
    assert statement["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert statement["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert "Charte des commentaires, art. 3" in statement["incompatible_content_ground"]
    assert statement["incompatible_content_explanation"] == "Menaces et appels à la violence"
    assert statement["category"] == "STATEMENT_CATEGORY_VIOLENCE"
    assert statement["automated_detection"] == "Yes"
    assert statement["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert statement["source_type"] == "SOURCE_VOLUNTARY"
    assert statement["content_language"] == "FR" and "FR" in statement["territorial_scope"]
    assert statement["puid"].startswith("sor-")
    assert statement["redress"]["appeal"]["path"] == "/v1/sites/demo/comments/c-1/appeals"
    assert "contester" in statement["text"] and "automatisés" in statement["text"]
    assert THREAT not in str(statement)  # the comment itself is never quoted
    assert problems(_tdb(statement)) == []


def test_the_rejection_callback_embeds_the_statement(site, house, receiver):
    site.post(payload("c-1", body=THREAT))
    (callback,) = receiver.wait_for(1)
    assert callback["event"] == "comment.moderated"
    assert callback["comment"]["status"] == "rejected"
    assert callback["statement"]["puid"] == statement_of(site, "c-1").json["statement"]["puid"]


def test_a_moderator_confirming_an_automatic_hold_is_partially_automated(site, alice):
    site.post(payload("c-1", body=HELD))
    item = alice.page()["items"][0]
    alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "insult"})
    statement = statement_of(site, "c-1").json["statement"]
    assert statement["automated_detection"] == "Yes"
    assert statement["automated_decision"] == "AUTOMATED_DECISION_PARTIALLY"
    assert "art. 4" in statement["incompatible_content_ground"]
    assert statement["category"] == "STATEMENT_CATEGORY_CYBER_VIOLENCE"


def test_a_human_only_decision_is_not_automated(site, alice):
    from tests.dsa.conftest import notice

    site.post(payload("c-1", body="Un avis tranquille"))
    assert notice(site, "c-1").status_code == 201
    item = alice.page(queue="reported")["items"][0]
    alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "illegal"})
    statement = statement_of(site, "c-1").json["statement"]
    assert statement["automated_detection"] == "No"
    assert statement["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert statement["source_type"] == "SOURCE_ARTICLE_16"
    assert statement["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert statement["illegal_content_legal_ground"] == "Loi du 29 juillet 1881, art. 24"
    assert "Marie" not in str(statement) and "marie@" not in str(statement)


def test_an_approved_comment_has_no_statement(site, house):
    site.post(payload("c-1"))
    response = statement_of(site, "c-1")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_the_statement_endpoint_is_signed(site, house):
    site.post(payload("c-1", body=THREAT))
    response = site.client.get("/v1/sites/demo/comments/c-1/statement")
    assert response.status_code == 401


def test_a_ban_and_a_suspension_have_account_statements(site, alice):
    site.post(payload("c-1"))
    path = "/v1/authors/demo/facebook/u-1/sanctions"
    assert alice.post(path, {"kind": "ban", "reason": "threat"}).status_code == 201
    until = "2027-01-31T00:00:00+00:00"
    assert alice.post(path, {"kind": "suspend", "until": until}).status_code == 201
    assert alice.post(path, {"kind": "trust"}).status_code == 201  # no restriction
    author = db.session.scalar(select(Author))
    found = list(db.session.scalars(select(Statement).where(Statement.author_id == author.id)))
    assert [s.data["decision_account"] for s in found] == [
        "DECISION_ACCOUNT_TERMINATED",
        "DECISION_ACCOUNT_SUSPENDED",
    ]
    assert found[1].data["end_date_account_restriction"] == "2027-01-31"
    assert found[0].data["category"] == "STATEMENT_CATEGORY_VIOLENCE"
    for statement in found:
        assert problems({k: v for k, v in statement.data.items()}) == []


def test_a_sanctioned_authors_rejection_has_a_statement(site, alice):
    site.post(payload("c-1"))
    alice.post("/v1/authors/demo/facebook/u-1/sanctions", {"kind": "ban"})
    site.post(payload("c-2", body="Bonjour"))
    statement = statement_of(site, "c-2").json["statement"]
    assert "banni" in statement["decision_facts"] or "sanction" in statement["decision_facts"]
    assert statement["automated_decision"] == "AUTOMATED_DECISION_FULLY"


def test_rule_article_and_category_reach_the_decision_record(site, house):
    site.post(payload("c-1", body=THREAT))
    (hit,) = site.get("c-1").json["decision"]["rules"]
    assert hit["article"] == "Charte des commentaires, art. 3"
    assert hit["category"] == "STATEMENT_CATEGORY_VIOLENCE"


def _tdb(statement: dict[str, object]) -> dict[str, object]:
    from moderation.tdb import FIELDS

    return {k: v for k, v in statement.items() if k in FIELDS}


def test_an_automatic_rejection_after_an_answered_notice_still_cites_it(site, alice):
    from tests.dsa.conftest import notice

    site.post(payload("c-1", body="Un avis tranquille"))
    assert notice(site, "c-1").status_code == 201
    item = alice.page(queue="reported")["items"][0]
    alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "approve"})  # notice answered
    site.post(payload("c-1", body=THREAT))  # a new revision, rejected by the rules
    statement = statement_of(site, "c-1").json["statement"]
    assert statement["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert statement["source_type"] == "SOURCE_ARTICLE_16"


def test_resolving_a_comment_nobody_reported_reads_no_notices(site, alice):
    from sqlalchemy import event

    site.post(payload("c-1", body=HELD))
    item = alice.page()["items"][0]
    flags: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        if "flags" in statement:
            flags.append(statement.split()[0])

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "insult"})
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert statement_of(site, "c-1").json["statement"]["source_type"] == "SOURCE_VOLUNTARY"
    # The comment's read asks whether notices exist; settling reader reports updates them.
    assert flags == ["SELECT", "UPDATE"], flags


def test_the_authors_text_cites_the_article_and_reason_never_rule_ids_or_scores(
    site, alice, receiver
):
    site.post(payload("c-1", body=HELD))
    item = alice.page()["items"][0]
    message = "Merci de rester courtois : critiquez l'argument, pas la personne."
    answer = alice.post(
        f"/v1/queue/{item['id']}/resolve",
        {"action": "reject", "reason": "insult", "message": message},
    )
    assert answer.status_code == 200, answer.json
    statement = statement_of(site, "c-1").json["statement"]
    text = statement["text"]
    assert "Charte des commentaires, art. 4" in text and "injure" in text
    assert f"Message du modérateur : « {message} »" in text
    assert "doubtful" not in text and "Règles de la charte" not in text
    # The machine-readable fields keep the rule for the record and the export.
    assert "« doubtful »" in statement["incompatible_content_ground"]
    assert "« doubtful »" in statement["decision_facts"]
    assert message not in str({k: v for k, v in statement.items() if k != "text"})
    callback = receiver.wait_for(2)[-1]  # queued, then rejected
    assert callback["comment"]["status"] == "rejected"
    assert callback["comment"]["message"] == message
    assert callback["statement"]["text"] == text


def test_the_people_part_drops_scores_and_every_rule_id():
    from moderation.dsa.statements import for_people
    from moderation.dsa.wording import statement_text

    record = {
        "reason": "hate",
        "rule": "hate-score",
        "rules": [
            {"id": "first-comment", "action": "flag", "reason": "first_comment"},
            {"id": "hate-score", "action": "review", "reason": "hate", "article": "Art. 2"},
        ],
        "scores": {"identity_attack": 0.56, "toxicity": 0.91},
        "sanction": "suspend",
    }
    data = {"automated_decision": "AUTOMATED_DECISION_PARTIALLY", "source_type": "X"}
    people = for_people(record, data, noticed=False)
    text = statement_text(data, until=dt.date(2027, 6, 4), what="Retiré.", people=people)
    assert "Fondement : Art. 2, motif : propos haineux." in text
    for internal in ("hate-score", "first-comment", "first_comment", "identity_attack", "0.56"):
        assert internal not in text
    assert "sanction en cours" in text and "4 juin 2027" in text
    assert "Message du modérateur" not in text  # none was written


def test_the_appeal_date_is_the_sites_day(site, house, receiver):
    from moderation.sites.models import Site

    # A zone whose day differs from UTC's right now (UTC+14 late in the day, else UTC-11).
    zone = "Pacific/Kiritimati" if dt.datetime.now(dt.UTC).hour >= 10 else "Pacific/Pago_Pago"
    db.session.scalar(select(Site)).time_zone = zone
    db.session.commit()
    site.post(payload("c-1", body=THREAT))
    statement = statement_of(site, "c-1").json["statement"]
    until = dt.datetime.fromisoformat(statement["redress"]["until"])
    local_day = until.astimezone(ZoneInfo(zone)).date()
    assert local_day != until.astimezone(dt.UTC).date()
    assert french_date(local_day) in statement["text"]
