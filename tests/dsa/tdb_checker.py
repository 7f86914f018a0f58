"""A checker for one statement, written from the Transparency Database's published rules.

Source: ``digital-services-act/transparency-database``, ``StatementStoreRequest`` (the
validator) and ``Statement`` (enumerations), as summarised in /work/shared/research/eu.md
§1.4. Independent of the service's own constants on purpose: it must catch them drifting.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

VISIBILITY = {
    "DECISION_VISIBILITY_CONTENT_REMOVED",
    "DECISION_VISIBILITY_CONTENT_DISABLED",
    "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_LABELLED",
    "DECISION_VISIBILITY_OTHER",
}
ACCOUNT = {"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"}
GROUNDS = {"DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"}
CONTENT_TYPES = {
    f"CONTENT_TYPE_{t}"
    for t in ("APP", "AUDIO", "IMAGE", "PRODUCT", "SYNTHETIC_MEDIA", "TEXT", "VIDEO", "OTHER")
}
CATEGORIES = {
    f"STATEMENT_CATEGORY_{c}"
    for c in (
        "ANIMAL_WELFARE CONSUMER_INFORMATION CYBER_VIOLENCE CYBER_VIOLENCE_AGAINST_WOMEN "
        "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS ILLEGAL_OR_HARMFUL_SPEECH "
        "INTELLECTUAL_PROPERTY_INFRINGEMENTS NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS "
        "NOT_SPECIFIED_NOTICE OTHER_VIOLATION_TC PROTECTION_OF_MINORS RISK_FOR_PUBLIC_SECURITY "
        "SCAMS_AND_FRAUD SELF_HARM UNSAFE_AND_PROHIBITED_PRODUCTS VIOLENCE"
    ).split()
}
SOURCES = {
    "SOURCE_ARTICLE_16",
    "SOURCE_TRUSTED_FLAGGER",
    "SOURCE_TYPE_OTHER_NOTIFICATION",
    "SOURCE_VOLUNTARY",
}
AUTOMATED = {
    "AUTOMATED_DECISION_FULLY",
    "AUTOMATED_DECISION_PARTIALLY",
    "AUTOMATED_DECISION_NOT_AUTOMATED",
}
EEA = set(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
    " IS LI NO".split()
)
KNOWN = {
    "decision_visibility", "decision_visibility_other", "decision_monetary",
    "decision_monetary_other", "decision_provision", "decision_account", "account_type",
    "decision_facts", "decision_ground", "decision_ground_reference_url",
    "illegal_content_legal_ground", "illegal_content_explanation",
    "incompatible_content_ground", "incompatible_content_explanation",
    "incompatible_content_illegal", "content_type", "content_type_other", "category",
    "category_addition", "category_specification", "category_specification_other",
    "territorial_scope", "content_language", "content_date", "application_date",
    "end_date_visibility_restriction", "end_date_monetary_restriction",
    "end_date_service_restriction", "end_date_account_restriction", "source_type",
    "source_identity", "automated_detection", "automated_decision", "puid", "content_id",
}  # fmt: skip
TEXT_LIMITS = {
    "decision_facts": 5000,
    "illegal_content_legal_ground": 500,
    "illegal_content_explanation": 2000,
    "incompatible_content_ground": 500,
    "incompatible_content_explanation": 2000,
    "decision_ground_reference_url": 500,
    "source_identity": 500,
}
FREE_TEXT = (
    "decision_facts",
    "illegal_content_legal_ground",
    "illegal_content_explanation",
    "incompatible_content_ground",
    "incompatible_content_explanation",
)
#: What a free-text field must not contain (no personal data, DSA art. 24(5)).
PERSONAL = re.compile(
    r"[\w.+-]+@[\w-]+\.\w+|\b(?:\d{1,3}\.){3}\d{1,3}\b|(?:\+33|\b0)[1-9](?:[\s.]?\d{2}){4}"
)


def _date(value: Any, field: str, earliest: dt.date, out: list[str]) -> None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        out.append(f"{field}: not YYYY-MM-DD")
        return
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        out.append(f"{field}: not a date")
        return
    if day < earliest:
        out.append(f"{field}: before {earliest}")


def _one_of(data: dict[str, Any], field: str, allowed: set[str], out: list[str]) -> None:
    if data.get(field) not in allowed:
        out.append(f"{field}: {data.get(field)!r} not allowed")


def _restriction(data: dict[str, Any], out: list[str]) -> None:
    if not any(
        data.get(k)
        for k in (
            "decision_visibility",
            "decision_monetary",
            "decision_provision",
            "decision_account",
        )
    ):
        out.append("decision_visibility: required without another decision_* field")
    visibility = data.get("decision_visibility")
    if visibility is not None and (
        not isinstance(visibility, list) or not visibility or set(visibility) - VISIBILITY
    ):
        out.append("decision_visibility: must be a list of known values")
    if "decision_account" in data:
        _one_of(data, "decision_account", ACCOUNT, out)


def _ground(data: dict[str, Any], out: list[str]) -> None:
    _one_of(data, "decision_ground", GROUNDS, out)
    if data.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT":
        needed = ("illegal_content_legal_ground", "illegal_content_explanation")
    else:
        needed = ("incompatible_content_ground", "incompatible_content_explanation")
    out.extend(f"{k}: required for this ground" for k in needed if not data.get(k))


def problems(data: dict[str, Any]) -> list[str]:
    """Every rule of the database's validator this statement breaks (empty: accepted)."""
    out: list[str] = [f"{k}: unknown field" for k in data if k not in KNOWN]
    _restriction(data, out)
    _ground(data, out)
    if not isinstance(data.get("decision_facts"), str) or not data["decision_facts"]:
        out.append("decision_facts: required")
    types = data.get("content_type")
    if not isinstance(types, list) or not types or set(types) - CONTENT_TYPES:
        out.append("content_type: must be a list of known values")
    _one_of(data, "category", CATEGORIES, out)
    scope = data.get("territorial_scope")
    if not isinstance(scope, list) or set(scope) - EEA:
        out.append("territorial_scope: must be EU/EEA country codes")
    if "content_language" in data and not re.fullmatch(r"[A-Z]{2}", data["content_language"]):
        out.append("content_language: not uppercase ISO 639-1")
    _date(data.get("content_date"), "content_date", dt.date(2000, 1, 1), out)
    _date(data.get("application_date"), "application_date", dt.date(2020, 1, 1), out)
    if "end_date_account_restriction" in data:
        _date(
            data["end_date_account_restriction"],
            "end_date_account_restriction",
            dt.date(2020, 1, 1),
            out,
        )
    _one_of(data, "source_type", SOURCES, out)
    if data.get("source_type") == "SOURCE_VOLUNTARY" and "source_identity" in data:
        out.append("source_identity: excluded for SOURCE_VOLUNTARY")
    _one_of(data, "automated_detection", {"Yes", "No"}, out)
    _one_of(data, "automated_decision", AUTOMATED, out)
    puid = data.get("puid")
    if not isinstance(puid, str) or len(puid) > 500 or not re.fullmatch(r"[a-zA-Z0-9\-_]+", puid):
        out.append("puid: required, at most 500 of [a-zA-Z0-9-_]")
    for field, limit in TEXT_LIMITS.items():
        if field in data and (not isinstance(data[field], str) or len(data[field]) > limit):
            out.append(f"{field}: a string of at most {limit} characters")
    for field in FREE_TEXT:
        if isinstance(data.get(field), str) and PERSONAL.search(data[field]):
            out.append(f"{field}: contains personal data")
    return out
