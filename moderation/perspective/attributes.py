"""Perspective attribute names, the labels of ours they map to, and the languages we serve."""

from __future__ import annotations

# Perspective's attributes we serve, by upper-cased name; each also with "_EXPERIMENTAL".
_SERVED = {
    "TOXICITY": "toxicity",
    "SEVERE_TOXICITY": "severe_toxicity",
    "IDENTITY_ATTACK": "identity_attack",
    "INSULT": "insult",
    "PROFANITY": "obscene",
    "THREAT": "threat",
    "SPAM": "spam",
}
SERVED = {**_SERVED, **{f"{name}_EXPERIMENTAL": label for name, label in _SERVED.items()}}

# Names Perspective knew but we do not serve: it refused those for French, so we answer
# LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE (droppable), not "unknown attribute".
UNSERVED = frozenset(
    """TOXICITY_FAST SEXUALLY_EXPLICIT FLIRTATION ATTACK_ON_AUTHOR ATTACK_ON_COMMENTER
    INCOHERENT INFLAMMATORY LIKELY_TO_REJECT OBSCENE UNSUBSTANTIAL AFFINITY_EXPERIMENTAL
    COMPASSION_EXPERIMENTAL CURIOSITY_EXPERIMENTAL NUANCE_EXPERIMENTAL
    PERSONAL_STORY_EXPERIMENTAL REASONING_EXPERIMENTAL RESPECT_EXPERIMENTAL
    CONSTRUCTIVE_EXPERIMENTAL ALIENATION_EXPERIMENTAL FEARMONGERING_EXPERIMENTAL
    GENERALIZATION_EXPERIMENTAL MORAL_OUTRAGE_EXPERIMENTAL SCAPEGOATING_EXPERIMENTAL
    POWER_APPEAL_EXPERIMENTAL SEXUALLY_EXPLICIT_EXPERIMENTAL FLIRTATION_EXPERIMENTAL""".split()
)
LANGUAGES = ("fr", "en")
PROBABILITY = "PROBABILITY"
# Score types Perspective defined; it served only PROBABILITY.
OTHER_SCORE_TYPES = frozenset({"STD_DEV_SCORE", "PERCENTILE", "RAW"})


def label_for(name: str) -> str | None:
    """Our label for a requested attribute name (any case), None when we do not serve it."""
    return SERVED.get(name.upper())


def is_known(name: str) -> bool:
    """True for any attribute name Perspective defined."""
    return name.upper() in SERVED or name.upper() in UNSERVED


def primary(language: str) -> str:
    """The primary subtag of a BCP-47 code, lower-cased: ``fr-FR`` -> ``fr``."""
    return language.replace("_", "-").split("-", 1)[0].strip().lower()
