"""Sanctions enforced by the pipeline itself, whatever the rule files say (SPEC §6, §8)."""

from __future__ import annotations

from typing import Any

from moderation.contracts import AuthorFacts

#: A sanction that rejects every comment while in force, and the reason recorded.
REJECTING = (("ban", "banned"), ("suspend", "suspended"))


def enforce_sanctions(record: dict[str, Any], author: AuthorFacts) -> dict[str, Any]:
    """The decision record with the author's sanctions applied on top of the rules' verdict.

    Banned or suspended: rejected. Premoderated: at least held for review. The rules'
    hits stay in the record, so moderators still see what the comment itself did.
    """
    for kind, reason in REJECTING:
        if kind in author.sanctions:
            return _imposed(record, "reject", reason, kind)
    if "premoderate" in author.sanctions and record["action"] == "approve":
        return _imposed(record, "review", "premoderated", "premoderate")
    return record


def _imposed(record: dict[str, Any], action: str, reason: str, kind: str) -> dict[str, Any]:
    if record["action"] == action and record.get("reason") == reason:
        return {**record, "sanction": kind}  # a house rule said the same already
    # The deciding rule (if any) did not decide this: the sanction did.
    return {**record, "action": action, "reason": reason, "rule": None, "sanction": kind}
