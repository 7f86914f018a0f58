"""Coral's external moderation phase (SPEC §10.2): store the comment, decide it now, answer.

Coral sends no comment id and no timestamp, so the raw body is the identity: its hash
names the comment. A replayed body finds the same comment and gets the same answer,
storing nothing new. The decision is the live pipeline's, in this request's unit of work,
with the author's history kept under login source ``coral``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session

from moderation.comments.models import Comment, Decision
from moderation.comments.service import current_decision, receive_comment
from moderation.contracts import CORAL_SOURCE
from moderation.exceptions import Invalid, Unauthenticated
from moderation.rules.problems import RulesUnavailable
from moderation.rules.store import rules_store
from moderation.scoring.pipeline import decide_comment
from moderation.signing import SignatureError, verify_body
from moderation.sites import secrets
from moderation.sites.models import Site
from moderation.sites.service import get_site
from moderation.timings import stage

#: Our reason codes as Coral's rejection codes (anything else: OTHER).
REJECTION_CODES = {
    "spam": "SPAM",
    "repeat_post": "SPAM",
    "links": "AD",
    "hate": "HATE_SPEECH",
    "identity_attack": "HATE_SPEECH",
    "insult": "ABUSIVE",
    "threat": "ABUSIVE",
    "harassment": "HARASSMENT_BULLYING",
    "obscene": "OFFENSIVE",
    "toxicity": "OFFENSIVE",
    "banned_words": "BANNED_WORD",
    "off_topic": "IRRELEVANT_CONTENT",
    "illegal": "ILLEGAL_CONTENT",
    "misinformation": "MISINFORMATION",
}
SPAM_REASONS = {"spam", "repeat_post", "links"}


def set_coral_secret(session: Session, *, site: Site, secret: str) -> None:
    """Store the signing secret Coral generated for our phase (encrypted, like site secrets)."""
    secret = secret.strip()
    if not secret or len(secret) > 200 or any(c.isspace() for c in secret):
        raise Invalid("The Coral secret must be one token of 1 to 200 characters (empsec_...).")
    site.coral_secret_enc = secrets.encrypt(secret)
    session.flush()


def signed_site(session: Session, *, slug: str, signature: str | None, body: bytes) -> Site:
    """The site whose Coral secret signed ``body``; ``Unauthenticated`` otherwise."""
    site = get_site(session, slug)
    stored = site.coral_secret_enc if site is not None else None
    # Without a secret, one nobody holds, decrypted all the same: timing tells nothing.
    secret = secrets.decrypt(stored or secrets.nobodys_token())
    try:
        verify_body([secret], signature=signature, body=body)
    except SignatureError as exc:
        raise Unauthenticated(exc.message, code=exc.code) from exc
    assert site is not None  # nobody holds NOBODYS_SECRET
    return site


def comment_payload(data: dict[str, Any], body: bytes) -> dict[str, Any]:
    """Coral's request as our webhook payload (SPEC §3), named by the hash of the raw body."""
    story, author = data["story"], data["author"]
    return {
        "id": "coral-" + hashlib.sha256(body).hexdigest()[:40],
        "article": {"id": story["id"], **({"url": story["url"]} if story.get("url") else {})},
        "parent_id": data["comment"].get("parentID"),
        "author": {"id": author["id"], "source": CORAL_SOURCE},
        "body": data["comment"]["body"],
        # Coral's default format is HTML; plain text goes through the reduction unchanged.
        "body_format": "html",
        "coral": {"action": data["action"], "role": author.get("role")},
    }


def run_phase(session: Session, *, site: Site, payload: dict[str, Any]) -> dict[str, Any]:
    """Store and decide the comment (a replay: the stored decision); Coral's answer."""
    with stage("store"):
        comment, created = receive_comment(session, site=site, data=payload, enqueue=False)
    if created:  # the decision just written: not read back
        decision = decide_comment(session, comment_id=comment.id, revision=comment.revision)
    else:
        decision = current_decision(session, comment)
    return answer(decision, comment)


def answer(decision: Decision | None, comment: Comment) -> dict[str, Any]:
    """Coral's response schema: ``{}`` (no objection), withheld with a flag, or rejected."""
    if decision is None or comment.status in ("approved", "pending", "deleted"):
        return {}  # no decision of ours: Coral's own later phases apply
    reason = decision.reason or ""
    if comment.status == "queued":
        flag = "COMMENT_DETECTED_SPAM" if reason in SPAM_REASONS else "COMMENT_DETECTED_TOXIC"
        return {"status": "SYSTEM_WITHHELD", "actions": [{"actionType": "FLAG", "reason": flag}]}
    rejection = {
        "code": REJECTION_CODES.get(reason, "OTHER"),
        "detailedExplanation": explanation(decision),
    }
    return {
        "status": "REJECTED",
        "moderationAction": {"status": "REJECTED", "rejectionReason": rejection},
    }


def explanation(decision: Decision) -> str:
    """The house rule that decided, in words (its description and article when it has one)."""
    rule_id = (decision.record or {}).get("rule")
    try:
        rule = rules_store().get().rule(rule_id) if rule_id else None
    except RulesUnavailable:
        rule = None
    if rule is not None and rule.description:
        return f"{rule.description} ({rule.article})" if rule.article else rule.description
    return f"Règles de conduite : {decision.reason or 'refusé'}."
