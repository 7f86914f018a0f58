"""Statements of reasons (DSA art. 17), built from the decision record, stored, exported.

A statement is written in the same unit of work as the rejection or the sanction it
explains, so there is never a restriction without one. Its free-text fields come from
the rule files and fixed wording only (never the comment, a note or a name) and are
scrubbed again: they go to the Transparency Database as they are.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

import moderation.tdb as tdb
from moderation.authors.models import Author, Sanction
from moderation.comments.models import Comment, Decision
from moderation.config import MIN_APPEAL_DAYS
from moderation.db import utcnow
from moderation.dsa.models import Statement
from moderation.dsa.wording import ForPeople, reason_fr, scrub, statement_text
from moderation.exceptions import NotFound
from moderation.flags.models import Flag
from moderation.labels import reason_phrase
from moderation.localtime import local
from moderation.sites.models import Site


def appeal_days() -> int:
    """The appeal window in days: the setting, never under six months."""
    return max(MIN_APPEAL_DAYS, int(current_app.config["APPEAL_DAYS"]))


def issue_for_decision(
    session: Session, *, comment: Comment, decision: Decision, notices: bool = True
) -> Statement:
    """The statement of a rejection (flushed); ``notices`` False: none filed, none read."""
    record = decision.record
    filed = _notices(session, comment.id) if notices else []
    data: dict[str, Any] = {
        "decision_visibility": [tdb.REMOVED],
        **_ground(record, filed),
        "decision_facts": _facts(record, decision, bool(filed)),
        "category": _category(record),
        "content_type": ["CONTENT_TYPE_TEXT"],
        "content_date": comment.received_at.date().isoformat(),
        "application_date": decision.decided_at.date().isoformat(),
        "territorial_scope": list(tdb.EEA),
        "source_type": tdb.SOURCE_ARTICLE_16 if filed else tdb.SOURCE_VOLUNTARY,
        **_automation(session, decision),
    }
    language = (comment.language or "")[:2]
    if language.isalpha() and len(language) == 2:
        data["content_language"] = language.upper()
    return _store(
        session,
        data,
        what="Votre commentaire a été retiré du site (il n'est visible nulle part).",
        people=for_people(record, data, bool(filed)),
        site_id=comment.site_id,
        author_id=comment.author_id,
        comment_id=comment.id,
        decision_id=decision.id,
        kind="content",
    )


def issue_for_sanction(session: Session, *, author: Author, sanction: Sanction) -> Statement:
    """The statement of a ban (account terminated) or a suspension (flushed)."""
    now = utcnow()
    reason = sanction.reason if sanction.reason in tdb.REASON_CATEGORIES else None
    data: dict[str, Any] = {
        "decision_account": tdb.ACCOUNT[sanction.kind],
        "decision_ground": tdb.GROUND_INCOMPATIBLE,
        "incompatible_content_ground": "Charte des commentaires : manquements répétés",
        "incompatible_content_explanation": (
            f"Compte {'fermé' if sanction.kind == 'ban' else 'suspendu'} par un modérateur"
            f" pour manquements à la charte ({reason_fr(reason)})."
        ),
        "decision_facts": "Sanction du compte décidée par un modérateur après examen de son "
        "historique de commentaires sur le site.",
        "category": tdb.REASON_CATEGORIES.get(reason or "", tdb.DEFAULT_CATEGORY),
        "content_type": ["CONTENT_TYPE_TEXT"],
        "content_date": author.first_seen_at.date().isoformat(),
        "application_date": now.date().isoformat(),
        "territorial_scope": list(tdb.EEA),
        "source_type": tdb.SOURCE_VOLUNTARY,
        "automated_detection": "No",
        "automated_decision": tdb.NOT_AUTOMATED,
    }
    if sanction.until is not None:
        data["end_date_account_restriction"] = sanction.until.date().isoformat()
    what = "Votre compte de commentaires a été " + (
        "fermé." if sanction.kind == "ban" else "suspendu."
    )
    return _store(
        session,
        data,
        what=what,
        site_id=author.site_id,
        author_id=author.id,
        sanction_id=sanction.id,
        kind="account",
    )


def _store(
    session: Session,
    data: dict[str, Any],
    *,
    what: str,
    people: ForPeople | None = None,
    **columns: Any,
) -> Statement:
    now = utcnow()
    until = now + dt.timedelta(days=appeal_days())
    site = session.get_one(Site, columns["site_id"])
    if terms := current_app.config.get("TERMS_URL"):
        data["decision_ground_reference_url"] = terms
    data["puid"] = f"sor-{uuid.uuid4().hex}"  # unique, never reused, no personal data
    for key, limit in tdb.LIMITS.items():
        if isinstance(data.get(key), str):
            data[key] = scrub(data[key], limit)
    statement = Statement(
        puid=data["puid"],
        data=data,
        text=statement_text(
            data, until=local(until, site.time_zone).date(), what=what, people=people
        ),
        appeal_until=until,
        created_at=now,
        **columns,
    )
    session.add(statement)
    session.flush()
    return statement


def for_people(record: dict[str, Any], data: dict[str, Any], noticed: bool) -> ForPeople:
    """The ground and facts as the author reads them: the charter's article and the reason.

    Rule ids and scores stay in the record and in the export's fields, never in this text.
    """
    reason = reason_phrase(record.get("reason"))
    if data.get("illegal_content_legal_ground"):  # the law the notifier cited, in words
        ground = f"Fondement légal : {data['illegal_content_legal_ground']}. "
        ground += str(data["illegal_content_explanation"])
    else:
        ground = f"Fondement : {_article(record)}, motif : {reason}."
    facts = [f"Votre commentaire a été jugé contraire à la charte pour ce motif : {reason}."]
    if noticed:
        facts.append("Un signalement de contenu illicite avait été reçu.")
    if record.get("sanction"):
        facts.append("Votre compte faisait l'objet d'une sanction en cours.")
    return ForPeople(ground, " ".join(facts), str(record.get("message") or ""))


def _article(record: dict[str, Any]) -> str:
    """The house-rule article behind the final reason: the deciding rule's, or a rule's of it."""
    hits = [_deciding_hit(record)] + [
        h for h in record.get("rules") or () if h.get("reason") == record.get("reason")
    ]
    for hit in hits:
        if hit and hit.get("article"):
            return str(hit["article"])
    return "Charte des commentaires"


def _notices(session: Session, comment_id: int) -> list[Flag]:
    query = select(Flag).where(Flag.comment_id == comment_id, Flag.reason == "illegal")
    return list(session.scalars(query.order_by(Flag.id)))


def _deciding_hit(record: dict[str, Any]) -> dict[str, Any] | None:
    """The rule that decided, when the final reason is still that rule's."""
    for hit in record.get("rules") or ():
        if hit.get("id") == record.get("rule") and hit.get("reason") == record.get("reason"):
            return dict(hit)
    return None


def _ground(record: dict[str, Any], notices: list[Flag]) -> dict[str, Any]:
    if record.get("reason") == "illegal":
        laws = "; ".join(dict.fromkeys(n.law for n in notices if n.law)) or "droit français"
        return {
            "decision_ground": tdb.GROUND_ILLEGAL,
            "illegal_content_legal_ground": laws,
            "illegal_content_explanation": "Après examen, le contenu a été jugé manifestement "
            f"illicite au regard de : {laws}.",
        }
    hit = _deciding_hit(record)
    article = (hit or {}).get("article") or "Charte des commentaires"
    if hit is not None:
        ground = f"{article}, règle « {hit['id']} »"
        explanation = hit.get("description") or f"Motif : {reason_fr(record.get('reason'))}."
    else:
        ground = f"{article}, motif « {reason_fr(record.get('reason'))} »"
        explanation = f"Le commentaire enfreint la charte : {reason_fr(record.get('reason'))}."
    return {
        "decision_ground": tdb.GROUND_INCOMPATIBLE,
        "incompatible_content_ground": ground,
        "incompatible_content_explanation": explanation,
    }


def _facts(record: dict[str, Any], decision: Decision, noticed: bool) -> str:
    reason = reason_fr(record.get("reason"))
    parts = [f"Commentaire rejeté pour le motif : {reason}."]
    if noticed:
        parts.append("Un signalement de contenu illicite avait été reçu.")
    hits = [h for h in record.get("rules") or () if h.get("action") != "approve"]
    if hits:
        names = ", ".join(f"« {h['id']} »" for h in hits[:10])
        parts.append(f"Règles de la charte déclenchées : {names}.")
    if record.get("sanction"):
        parts.append("L'auteur faisait l'objet d'une sanction en cours.")
    scores = {k: v for k, v in (record.get("scores") or {}).items() if v >= 0.5}
    if scores:
        named = ", ".join(f"{k} {v:.2f}" for k, v in sorted(scores.items()))
        parts.append(f"Scores du classifieur automatique : {named}.")
    parts.append(
        "Décision automatique." if decision.decided_by == "auto" else "Décision d'un modérateur."
    )
    return " ".join(parts)


def _category(record: dict[str, Any]) -> str:
    hit = _deciding_hit(record)
    if hit is not None and hit.get("category") in tdb.CATEGORIES:
        return str(hit["category"])
    return tdb.REASON_CATEGORIES.get(record.get("reason") or "", tdb.DEFAULT_CATEGORY)


def _automation(session: Session, decision: Decision) -> dict[str, str]:
    """Fully automatic, a human confirming an automatic hold, or human only (art. 17(3)(c))."""
    if decision.decided_by == "auto":
        return {"automated_detection": "Yes", "automated_decision": tdb.FULLY}
    before = session.scalar(
        select(Decision)
        .where(
            Decision.comment_id == decision.comment_id,
            Decision.revision == decision.revision,
            Decision.id < decision.id,
        )
        .order_by(Decision.id.desc())
        .limit(1)
    )
    if before is not None and before.decided_by == "auto" and before.action == "review":
        return {"automated_detection": "Yes", "automated_decision": tdb.PARTIALLY}
    return {"automated_detection": "No", "automated_decision": tdb.NOT_AUTOMATED}


def latest_for_comment(session: Session, comment: Comment) -> Statement:
    """The comment's newest statement, or ``NotFound``."""
    found = session.scalar(
        select(Statement)
        .where(Statement.comment_id == comment.id)
        .order_by(Statement.id.desc())
        .limit(1)
    )
    if found is None:
        raise NotFound(f"Comment {comment.external_id!r} has no statement of reasons.")
    return found


def statement_view(statement: Statement, site: Site, comment: Comment | None) -> dict[str, Any]:
    """The statement as the site and the author get it: the fields, redress and the text."""
    view: dict[str, Any] = {**statement.data}
    redress: dict[str, Any] = {
        "internal_complaint": True,
        "until": statement.appeal_until.isoformat(),
        "out_of_court_dispute_settlement": True,
        "judicial_redress": True,
    }
    if comment is not None:
        path = f"/v1/sites/{site.slug}/comments/{comment.external_id}/appeals"
        redress["appeal"] = {"method": "POST", "path": path}
        view["comment"] = {"id": comment.external_id}
    view.update(redress=redress, text=statement.text, created_at=statement.created_at.isoformat())
    return view


def tdb_payload(statement: Statement) -> dict[str, Any]:
    """Exactly what the Transparency Database's ``POST /api/v1/statement`` takes."""
    return {k: statement.data[k] for k in tdb.FIELDS if statement.data.get(k) not in (None, "")}
