"""The DSA Transparency Database's field values (API ``POST /api/v1/statement``).

Taken from the database's validator (``StatementStoreRequest``) and enumerations
(``Statement``), schema of 1 July 2025 (Implementing Regulation (EU) 2024/2835).
"""

from __future__ import annotations

CATEGORIES = tuple(
    "STATEMENT_CATEGORY_" + name
    for name in (
        "ANIMAL_WELFARE",
        "CONSUMER_INFORMATION",
        "CYBER_VIOLENCE",
        "CYBER_VIOLENCE_AGAINST_WOMEN",
        "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        "ILLEGAL_OR_HARMFUL_SPEECH",
        "INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "NOT_SPECIFIED_NOTICE",
        "OTHER_VIOLATION_TC",
        "PROTECTION_OF_MINORS",
        "RISK_FOR_PUBLIC_SECURITY",
        "SCAMS_AND_FRAUD",
        "SELF_HARM",
        "UNSAFE_AND_PROHIBITED_PRODUCTS",
        "VIOLENCE",
    )
)
#: A rejection removes the comment everywhere: every EU/EEA country the database knows.
EEA = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO"
).split()
REMOVED = "DECISION_VISIBILITY_CONTENT_REMOVED"
ACCOUNT = {"suspend": "DECISION_ACCOUNT_SUSPENDED", "ban": "DECISION_ACCOUNT_TERMINATED"}
GROUND_ILLEGAL = "DECISION_GROUND_ILLEGAL_CONTENT"
GROUND_INCOMPATIBLE = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
FULLY, PARTIALLY, NOT_AUTOMATED = (
    "AUTOMATED_DECISION_FULLY",
    "AUTOMATED_DECISION_PARTIALLY",
    "AUTOMATED_DECISION_NOT_AUTOMATED",
)
SOURCE_VOLUNTARY, SOURCE_ARTICLE_16 = "SOURCE_VOLUNTARY", "SOURCE_ARTICLE_16"
#: Limits on free-text fields (characters).
LIMITS = {
    "decision_facts": 5000,
    "illegal_content_legal_ground": 500,
    "illegal_content_explanation": 2000,
    "incompatible_content_ground": 500,
    "incompatible_content_explanation": 2000,
    "decision_ground_reference_url": 500,
}
#: The fields the export sends; the rest of a stored statement is for the author and site.
FIELDS = (
    "decision_visibility",
    "decision_account",
    "end_date_account_restriction",
    "decision_ground",
    "decision_ground_reference_url",
    "illegal_content_legal_ground",
    "illegal_content_explanation",
    "incompatible_content_ground",
    "incompatible_content_explanation",
    "decision_facts",
    "category",
    "content_type",
    "content_language",
    "content_date",
    "application_date",
    "territorial_scope",
    "source_type",
    "automated_detection",
    "automated_decision",
    "puid",
)
#: House-rule reasons a moderator may give, and the category each means by default.
REASON_CATEGORIES = {
    "insult": "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    "harassment": "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    "hate": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "threat": "STATEMENT_CATEGORY_VIOLENCE",
    "spam": "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "personal_data": "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "illegal": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
}
DEFAULT_CATEGORY = "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"
