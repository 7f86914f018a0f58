"""Words for codes: every reason, action, status, score, threshold and sanction, in fr and en.

The one catalogue of what a moderator, an admin or an author reads instead of a code. The
console shows these (the code only in a tooltip); statements of reasons use the French
ones. A code missing here is humanised (``repeat_post`` → "Repeat post"), never hidden.
"""

from __future__ import annotations

LANGUAGES = ("fr", "en")

# kind → code → (français, English)
_CATALOGUE: dict[str, dict[str, tuple[str, str]]] = {
    "reason": {
        "insult": ("Injure", "Insult"),
        "harassment": ("Harcèlement", "Harassment"),
        "obscene": ("Obscénité", "Obscenity"),
        "profanity": ("Grossièretés", "Profanity"),
        "toxic": ("Propos toxiques", "Toxic language"),
        "hate": ("Propos haineux", "Hate speech"),
        "threat": ("Menace", "Threat"),
        "spam": ("Publicité ou spam", "Advertising or spam"),
        "links": ("Liens", "Links"),
        "flood": ("Rafale de messages", "Message flood"),
        "repeat_post": ("Message répété", "Repeated message"),
        "personal_data": ("Données personnelles publiées", "Personal data published"),
        "off_topic": ("Hors sujet", "Off topic"),
        "illegal": ("Contenu illicite", "Illegal content"),
        "banned": ("Auteur banni", "Banned author"),
        "suspended": ("Auteur suspendu", "Suspended author"),
        "premod": ("Auteur en prémodération", "Pre-moderated author"),
        "trusted": ("Auteur de confiance", "Trusted author"),
        "first_comment": ("Premier commentaire", "First comment"),
        "recent_history": ("Rejets récents", "Recent rejections"),
        "shouting": ("Majuscules", "Shouting"),
        "reported": ("Signalé par des lecteurs", "Reported by readers"),
        "review": ("À relire", "To review"),
        "other": ("Autre manquement à la charte", "Other breach of the rules"),
    },
    "group": {
        "insults": ("Injures", "Insults"),
        "hate": ("Haine", "Hate"),
        "threats": ("Menaces", "Threats"),
        "spam": ("Spam", "Spam"),
        "personal_data": ("Données personnelles", "Personal data"),
        "off_topic": ("Hors sujet", "Off topic"),
        "other": ("Autre", "Other"),
    },
    "action": {
        "approve": ("approuvé", "approved"),
        "review": ("à relire", "to review"),
        "reject": ("rejeté", "rejected"),
        "flag": ("signalé", "flagged"),
    },
    "status": {
        "pending": ("En cours d'analyse", "Being scored"),
        "approved": ("Approuvé", "Approved"),
        "rejected": ("Rejeté", "Rejected"),
        "queued": ("En file", "In a queue"),
        "deleted": ("Supprimé par le site", "Deleted by the site"),
        "resolved": ("Traité", "Resolved"),
        "open": ("Ouvert", "Open"),
    },
    "score": {
        "toxicity": ("Toxicité", "Toxicity"),
        "severe_toxicity": ("Toxicité grave", "Severe toxicity"),
        "obscene": ("Obscénité", "Obscenity"),
        "threat": ("Menace", "Threat"),
        "insult": ("Injure", "Insult"),
        "identity_attack": ("Attaque identitaire", "Identity attack"),
        "spam": ("Spam", "Spam"),
    },
    "threshold": {
        "likely": ("seuil « probable »", "“likely” threshold"),
        "very_likely": ("seuil « très probable »", "“very likely” threshold"),
    },
    "sanction": {
        "ban": ("Bannissement", "Ban"),
        "suspend": ("Suspension", "Suspension"),
        "premoderate": ("Prémodération", "Pre-moderation"),
        "trust": ("Confiance", "Trust"),
    },
    "source": {
        "native": ("Compte du site", "Site account"),
        "facebook": ("Facebook", "Facebook"),
        "google": ("Google", "Google"),
        "twitter": ("X (Twitter)", "X (Twitter)"),
        "apple": ("Apple", "Apple"),
        "coral": ("Coral", "Coral"),
    },
    # What went wrong, for the console's error toasts and pages (the server's own message,
    # in English, stays in a tooltip).
    "error": {
        "stale_version": (
            "Ce commentaire a changé depuis son affichage : rien n'a été décidé.",
            "This comment changed since it was shown: nothing was decided.",
        ),
        "csrf_failed": (
            "La page a expiré : rechargez-la.",
            "The page has expired: reload it.",
        ),
        "comment_deleted": ("Le site a supprimé ce commentaire.", "The site deleted this comment."),
        "same_moderator": (
            "Une autre personne doit trancher ce recours.",
            "Someone else must decide this appeal.",
        ),
        "validation_error": ("Demande incomplète ou invalide.", "Incomplete or invalid request."),
        "rate_limited": ("Trop de demandes : patientez un instant.", "Too many requests: wait."),
    },
    "error_status": {
        "400": ("Demande invalide.", "Invalid request."),
        "401": ("Session terminée : reconnectez-vous.", "Session ended: sign in again."),
        "403": ("Action non autorisée.", "Not allowed."),
        "404": ("Introuvable (déjà traité, ou hors de votre périmètre).", "Not found."),
        "409": ("Déjà traité par quelqu'un d'autre.", "Already handled by someone else."),
        "413": ("Texte trop long.", "Text too long."),
        "429": ("Trop de demandes : patientez un instant.", "Too many requests: wait."),
        "500": ("Erreur du serveur : réessayez.", "Server error: try again."),
        "503": ("Service momentanément indisponible.", "Service unavailable for a moment."),
    },
    "decider": {
        "auto": ("Automatique", "Automatic"),
        "moderator": ("Modérateur", "Moderator"),
    },
    "language": {
        "fr": ("Français", "French"),
        "en": ("Anglais", "English"),
    },
    "column": {
        "id": ("Identifiant", "Id"),
        "action": ("Action", "Action"),
        "priority": ("Priorité", "Priority"),
        "description": ("Description", "Description"),
        "file": ("Fichier", "File"),
        "default": ("Par défaut", "Default"),
        "label": ("Catégorie", "Category"),
        "roc_auc": ("Aire sous la courbe ROC", "ROC-AUC"),
        "average_precision": ("Précision moyenne", "Average precision"),
        "p50": ("médiane", "median"),
        "p90": ("9ᵉ décile", "90th percentile"),
        "seconds": ("s", "s"),
        "decisions": ("décisions", "decisions"),
    },
}

#: The reject dialog's groups, in order, and the reasons each holds. A reason in no group is
#: not a ground for rejection (``first_comment``, ``trusted``…): it never shows in the dialog.
REJECT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("insults", ("insult", "harassment", "obscene", "profanity", "toxic")),
    ("hate", ("hate",)),
    ("threats", ("threat",)),
    ("spam", ("spam", "links", "flood", "repeat_post")),
    ("personal_data", ("personal_data",)),
    ("off_topic", ("off_topic",)),
    ("other", ("illegal", "other")),
)
#: Held, but no ground to reject: the state of the author or of the queue, not of the text.
NOT_GROUNDS = frozenset(
    {
        "banned",
        "suspended",
        "premod",
        "trusted",
        "first_comment",
        "recent_history",
        "shouting",
        "reported",
        "review",
    }
)


def humanise(code: object) -> str:
    """A code no catalogue knows, as words: ``repeat_post`` → "Repeat post"."""
    words = str(code or "").replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def label(kind: str, code: object, language: str = "fr") -> str:
    """The word for ``code`` of ``kind`` in ``language``; unknown codes humanised."""
    words = _CATALOGUE.get(kind, {}).get(str(code))
    if words is None:
        return humanise(code)
    return words[LANGUAGES.index(language) if language in LANGUAGES else 0]


def known(kind: str, code: object) -> bool:
    """Whether the catalogue has words for ``code`` (else it is humanised)."""
    return str(code) in _CATALOGUE.get(kind, {})


def reason_phrase(code: str | None) -> str:
    """A reason as a French phrase inside a sentence: "propos haineux"."""
    words = label("reason", code or "other", "fr")
    return words[:1].lower() + words[1:]


def reject_group(code: str) -> str:
    """The dialog group of a rejection reason; ``other`` for a code no group names."""
    for group, codes in REJECT_GROUPS:
        if code in codes:
            return group
    return "other"


def rejectable(code: str) -> bool:
    """Whether ``code`` is a ground for rejecting a comment (not the author's state)."""
    return code not in NOT_GROUNDS


def reject_order(codes: list[str] | tuple[str, ...] | set[str]) -> list[str]:
    """Rejection reasons grouped in the dialog's order (catalogue order within a group)."""
    ranked = [code for _group, members in REJECT_GROUPS for code in members]
    groups = [group for group, _members in REJECT_GROUPS]

    def key(code: str) -> tuple[int, int, str]:
        rank = ranked.index(code) if code in ranked else len(ranked)
        return groups.index(reject_group(code)), rank, code

    return sorted((c for c in dict.fromkeys(codes) if rejectable(c)), key=key)
