"""The French wording of statements of reasons, and the scrub that keeps personal data out."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from moderation.labels import reason_phrase

#: What a free-text field may never carry to the Transparency Database: e-mail addresses,
#: IP addresses, URLs with a path or query (they may name a person), phone numbers.
_PERSONAL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b(?:\d{1,3}\.){3}\d{1,3}\b"
    r"|\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\b"
    r"|https?://\S+"
    r"|(?:\+|\b0)\d(?:[\s.-]?\d{2}){4}\b",
    re.IGNORECASE,
)

REDRESS = (
    "Vous pouvez contester cette décision gratuitement, en ligne, jusqu'au {until} "
    "(réclamation interne, art. 20 DSA) : elle sera examinée par un modérateur, jamais par un "
    "automate seul. Vous pouvez aussi saisir un organisme de règlement extrajudiciaire des "
    "litiges certifié (art. 21 DSA) ou le juge compétent."
)


def scrub(text: str, limit: int) -> str:
    """The text without personal identifiers, cut to ``limit`` characters."""
    clean = _PERSONAL.sub("[…]", text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def reason_fr(reason: str | None) -> str:
    """A reason code in French words (the labels' catalogue, as a phrase)."""
    return reason_phrase(reason)


class ForPeople(NamedTuple):
    """What the author reads instead of the export's fields: no rule id, no score."""

    ground: str
    facts: str
    message: str = ""


def french_date(day: dt.date) -> str:
    """``2027-06-04`` as ``4 juin 2027``."""
    months = (
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ).split()
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def statement_text(
    data: dict[str, object], *, until: dt.date, what: str, people: ForPeople | None = None
) -> str:
    """The statement as the author reads it: restriction, ground, facts, automation, redress.

    ``people``: the ground and facts in plain words (a rejection's); else the export's fields.
    """
    if people is None:
        people = ForPeople(_ground(data), str(data["decision_facts"]))
    automation = {
        "AUTOMATED_DECISION_FULLY": "La décision a été prise par des moyens automatisés.",
        "AUTOMATED_DECISION_PARTIALLY": (
            "Le contenu a été détecté par des moyens automatisés ; "
            "la décision a été confirmée par un modérateur."
        ),
        "AUTOMATED_DECISION_NOT_AUTOMATED": "La décision a été prise par un modérateur.",
    }[str(data["automated_decision"])]
    source = (
        "La décision fait suite à un signalement de contenu illicite (art. 16 DSA)."
        if data["source_type"] == "SOURCE_ARTICLE_16"
        else "La décision a été prise à l'initiative du site."
    )
    message = f"Message du modérateur : « {people.message} »" if people.message else ""
    parts = (what, _sentence(people.ground), f"Faits : {people.facts}", message, automation, source)
    return " ".join((*filter(None, parts), REDRESS.format(until=french_date(until))))


def _ground(data: dict[str, object]) -> str:
    if data.get("illegal_content_legal_ground"):
        return (
            f"Fondement légal : {data['illegal_content_legal_ground']}. "
            f"{data['illegal_content_explanation']}"
        )
    return (
        f"Fondement : {data['incompatible_content_ground']}. "
        f"{data['incompatible_content_explanation']}"
    )
