"""The console's words in French (the default) and English, and the filters that label codes.

Interface words live here; the words for data codes (reasons, statuses, scores…) live in
``moderation.labels``, shared with the statements of reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import session

from moderation import labels
from moderation.localtime import format_when, iso_local

LANGUAGES = labels.LANGUAGES

# key: (français, English)
_WORDS: dict[str, tuple[str, str]] = {
    "console": ("Console de modération", "Moderation console"),
    "sign_in": ("Se connecter", "Sign in"),
    "sign_out": ("Se déconnecter", "Sign out"),
    "user_name": ("Nom d'utilisateur", "User name"),
    "password": ("Mot de passe", "Password"),
    "bad_login": ("Nom ou mot de passe incorrect.", "Wrong name or password."),
    "queue_pending": ("En attente", "Pending"),
    "queue_reported": ("Signalés", "Reported"),
    "queue_appeals": ("Recours", "Appeals"),
    "queue_spot_checks": ("Contrôles à l'aveugle", "Spot checks"),
    "spot_check_blind": (
        "Échantillon au hasard de commentaires publiés, à juger à l'aveugle : scores, règles, "
        "signalements et auteur masqués. Rejeter le retire du site.",
        "Random sample of published comments, judged blind: scores, rules, reports and "
        "author hidden. Rejecting takes it off the site.",
    ),
    "spot_check_card": ("Contrôle à l'aveugle", "Spot check"),
    "queues": ("Files", "Queues"),
    "my_decisions": ("Mes décisions", "My decisions"),
    "rules": ("Règles", "Rules"),
    "models": ("Modèles", "Models"),
    "stats": ("Statistiques", "Statistics"),
    "filters": ("Filtres", "Filters"),
    "site": ("Site", "Site"),
    "article": ("Article", "Article"),
    "section": ("Rubrique", "Section"),
    "reason": ("Motif", "Reason"),
    "language": ("Langue", "Language"),
    "source": ("Connexion", "Login source"),
    "sort": ("Tri", "Sort"),
    "sort_priority": ("Priorité", "Priority"),
    "sort_oldest": ("Plus anciens", "Oldest"),
    "sort_newest": ("Plus récents", "Newest"),
    "apply": ("Appliquer", "Apply"),
    "clear": ("Effacer", "Clear"),
    "any": ("Tous", "Any"),
    "approve": ("Approuver", "Approve"),
    "reject": ("Rejeter", "Reject"),
    "approved": ("Approuvé", "Approved"),
    "rejected": ("Rejeté", "Rejected"),
    "undo": ("Annuler", "Undo"),
    "undone": (
        "Décision annulée : le commentaire revient dans la file.",
        "Decision undone: the comment is back in the queue.",
    ),
    "select": ("Sélectionner", "Select"),
    "selected": ("sélectionné(s)", "selected"),
    "approve_selection": ("Approuver la sélection", "Approve selection"),
    "reject_selection": ("Rejeter la sélection", "Reject selection"),
    "clear_selection": ("Vider la sélection", "Clear selection"),
    "n_new": ("nouveau(x)", "new"),
    "show_new": ("Afficher", "Show"),
    "empty_queue": ("Rien à modérer ici.", "Nothing to moderate here."),
    "load_more": ("Suivants", "Load more"),
    "moderated_by": ("modéré par", "moderated by"),
    "claimed_by": ("pris en charge par", "claimed by"),
    "claim": ("Prendre en charge", "Claim"),
    "claimed": ("Pris en charge : les autres le voient grisé.", "Claimed: others see it dimmed."),
    "why_held": ("Pourquoi retenu", "Why held"),
    "rule": ("Règle", "Rule"),
    "house_rule": ("Règle de conduite", "House rule"),
    "scores": ("Scores du modèle", "Model scores"),
    "threshold": ("seuil", "threshold"),
    "fired": ("dépassé", "crossed"),
    "reports": ("Signalements", "Reader reports"),
    "weight": ("poids", "weight"),
    "reply_to": ("En réponse à", "In reply to"),
    "open_link": ("Ouvrir le lien", "Open link"),
    "no_link": ("pas de lien valide", "no valid link"),
    "author": ("Auteur", "Author"),
    "account_age": ("Compte créé il y a", "Account age"),
    "days": ("jours", "days"),
    "trust": ("Confiance", "Trust"),
    "sanctions": ("Sanctions", "Sanctions"),
    "notes": ("Notes", "Notes"),
    "none": ("aucune", "none"),
    "approved_count": ("approuvés", "approved"),
    "rejected_count": ("rejetés", "rejected"),
    "first_comment_context": ("1er commentaire", "first comment"),
    "author_drawer": ("Fiche auteur", "Author drawer"),
    "close": ("Fermer", "Close"),
    "comments": ("Commentaires", "Comments"),
    "add_note": ("Ajouter une note", "Add a note"),
    "note": ("Note", "Note"),
    "save": ("Enregistrer", "Save"),
    "sanction": ("Sanctionner", "Sanction"),
    "kind": ("Type", "Kind"),
    "ban": ("Bannir", "Ban"),
    "suspend": ("Suspendre", "Suspend"),
    "premoderate": ("Prémodérer", "Pre-moderate"),
    "duration": ("Durée", "Duration"),
    "hours": ("heures", "hours"),
    "forever": ("Sans limite", "No end"),
    "until": ("jusqu'au", "until"),
    "lift": ("Lever", "Lift"),
    "active": ("en vigueur", "in force"),
    "ended": ("terminée", "ended"),
    "reject_all_author": (
        "Rejeter tous ses commentaires en file",
        "Reject all this author's comments in the queue",
    ),
    "confirm": ("Confirmer", "Confirm"),
    "cancel": ("Annuler", "Cancel"),
    "choose_reason": ("Motif du rejet", "Reason for rejection"),
    "message_to_author": ("Message à l'auteur (facultatif)", "Message to the author (optional)"),
    "message_help": (
        "Joint à l'exposé des motifs que l'auteur reçoit. Ctrl+Entrée confirme.",
        "Added to the statement of reasons the author receives. Ctrl+Enter confirms.",
    ),
    "received_at": ("Reçu le", "Received"),
    "shortcuts": ("Raccourcis clavier", "Keyboard shortcuts"),
    "nav_shortcuts": ("Navigation", "Navigation"),
    "decision_shortcuts": ("Décisions", "Moderation decisions"),
    "k_next": ("Commentaire suivant", "Next comment"),
    "k_prev": ("Commentaire précédent", "Previous comment"),
    "k_approve": ("Approuver", "Approve"),
    "k_reject": (
        "Rejeter (choix du motif : 1–9, 0 puis lettres ; Entrée confirme)",
        "Reject (reason choice: 1–9, 0 then letters; Enter confirms)",
    ),
    "k_undo": ("Annuler la dernière décision", "Undo the last decision"),
    "k_select": (
        "Sélectionner ; Maj+j/k étend la sélection",
        "Select; Shift+j/k extend the selection",
    ),
    "k_zen": ("Vue un seul commentaire", "Single-comment view"),
    "k_queue": ("File suivante", "Next queue"),
    "k_ban": ("Sanctionner l'auteur", "Sanction the author"),
    "k_help": ("Aide des raccourcis", "Shortcut help"),
    "k_search": ("Rechercher (texte, auteur, article)", "Search (text, author, article)"),
    "help": ("Aide", "Help"),
    "zen": ("Vue unique", "Single view"),
    "decided_at": ("Décidé le", "Decided at"),
    "status": ("Statut", "Status"),
    "reverse": ("Inverser", "Reverse"),
    "reversed": ("Décision inversée.", "Decision reversed."),
    "no_decisions": ("Aucune décision récente.", "No recent decisions."),
    "go_to_comment": ("Historique", "History"),
    "live_ruleset": ("Règles en vigueur", "Live ruleset"),
    "version": ("Version", "Version"),
    "refused_change": ("Dernière modification refusée", "Last refused change"),
    "no_refusal": ("Aucune modification refusée.", "No refused change."),
    "check": ("Vérifier", "Check"),
    "backtest": ("Rejouer (backtest)", "Backtest"),
    "rule_file": ("Fichier de règles (YAML)", "Rule file (YAML)"),
    "upload": ("ou téléverser un fichier", "or upload a file"),
    "file_name": ("Nom du fichier", "File name"),
    "since": ("Depuis", "Since"),
    "valid": ("Valide", "Valid"),
    "invalid": ("Refusé", "Refused"),
    "tests_passed": ("tests réussis", "tests passed"),
    "changed": ("décisions changeraient", "decisions would change"),
    "active_model": ("modèle actif", "active model"),
    "no_model": ("Aucun modèle installé.", "No model installed."),
    "queue_depth": ("Profondeur des files", "Queue depth"),
    "time_to_decision": ("Délai de décision", "Time to decision"),
    "decisions_by_reason": ("Décisions par motif et par jour", "Decisions by reason per day"),
    "queue_flow": ("Entrées et sorties de file par jour", "Queue in and out per day"),
    "opened": ("entrés", "opened"),
    "resolved": ("traités", "resolved"),
    "error": ("Erreur", "Error"),
    "skipped": ("ignoré(s)", "skipped"),
    "everything": ("tout", "all"),
    "main_nav": ("Navigation principale", "Main navigation"),
    "queue_tabs": ("Files de modération", "Moderation queues"),
    "cards": ("Commentaires à modérer", "Comments to moderate"),
    "back_to_queue": ("Retour à la file", "Back to the queue"),
    "auto": ("automatique", "automatic"),
    "select_card": ("Sélectionner ce commentaire", "Select this comment"),
    # Safe keys, report context, search and history.
    "undone_many": (
        "{n} décisions annulées : les {n} commentaires reviennent dans la file.",
        "{n} decisions undone: the {n} comments are back in the queue.",
    ),
    "notice_illegal": ("Notification de contenu illicite (DSA)", "Notice of illegal content (DSA)"),
    "notifier": ("notifiant", "notifier"),
    "received": ("reçue le", "received"),
    "law_cited": ("Loi invoquée", "Law cited"),
    "explanation": ("Explication", "Explanation"),
    "reported_by": ("Signalé par un", "Reported by a"),
    "capped": ("compté dans le plafond des signalements peu sûrs", "counted within the cap"),
    "standing_unknown": ("lecteur sans commentaire sur le site", "reader who never commented here"),
    "standing_new": ("nouveau lecteur", "new reader"),
    "standing_good": ("lecteur en règle", "reader in good standing"),
    "standing_regular": ("lecteur régulier", "regular reader"),
    "standing_member": ("lecteur fidèle", "long-standing reader"),
    "standing_trusted": ("lecteur de confiance", "trusted reader"),
    "standing_sanctioned": ("lecteur sanctionné", "sanctioned reader"),
    "standing_same_network": (
        "lecteur du même réseau qu'un autre signalement",
        "reader on the same network as another report",
    ),
    "comments_list": ("Commentaires", "Comments"),
    "comment_lists": ("Listes de commentaires", "Comment lists"),
    "list_all": ("Tous", "All"),
    "list_approved": ("Approuvés", "Approved"),
    "list_rejected": ("Rejetés", "Rejected"),
    "list_queued": ("En file", "In a queue"),
    "list_pending": ("En cours d'analyse", "Being scored"),
    "list_deleted": ("Supprimés par le site", "Deleted by the site"),
    "search": ("Rechercher", "Search"),
    "search_hint": ("mots du texte, auteur, article", "words, author, article"),
    "no_comments": ("Aucun commentaire ne correspond.", "No comment matches."),
    "received_on": ("Reçu le", "Received"),
    "comment": ("Commentaire", "Comment"),
    "decided_by": ("Décidé par", "Decided by"),
    "previous_page": ("Page précédente", "Previous page"),
    "next_page": ("Page suivante", "Next page"),
    "conversation": ("Conversation", "Conversation"),
    "replies": ("Réponses", "Replies"),
    "no_replies": ("Aucune réponse.", "No replies."),
    "decisions": ("Décisions", "Decisions"),
    "action": ("Décision", "Decision"),
    "revision": ("Version", "Revision"),
    "taken_undone": ("annulée", "undone"),
    "taken_reversed": ("inversée depuis", "since reversed"),
    "comments_count": ("commentaire(s)", "comment(s)"),
    "search_in_article": ("chercher dans cet article", "search this article"),
    "confirm_ban": (
        "Je confirme le bannissement de cet auteur",
        "I confirm banning this author",
    ),
}


def current_language() -> str:
    """The language chosen with the switch; French until one is chosen."""
    chosen = session.get("lang")
    return str(chosen) if chosen in LANGUAGES else "fr"


def translate(key: str) -> str:
    """The word for ``key`` in the current language (the key itself if unknown)."""
    words = _WORDS.get(key)
    if words is None:
        return key
    return words[LANGUAGES.index(current_language())]


def label(code: object, kind: str = "reason") -> str:
    """Template filter: the word for a code in the console's language (``{{ r | label }}``)."""
    return labels.label(kind, code, current_language())


def decider(decided_by: object) -> str:
    """Template filter: ``auto`` → "Automatique", ``moderator:alice`` → "Modérateur alice"."""
    who = str(decided_by or "")
    kind, _, name = who.partition(":")
    if kind == "moderator" and name:
        return f"{labels.label('decider', 'moderator', current_language())} {name}"
    return labels.label("decider", who, current_language()) if who else ""


def _moment(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def when(value: object, zone: str | None = None) -> str:
    """Template filter: a moment (or ISO string) as people read it, in the site's zone."""
    return format_when(_moment(value), zone, current_language())


def when_iso(value: object, zone: str | None = None) -> str:
    """Template filter: the moment in the zone as ISO 8601, for ``<time datetime>``."""
    return iso_local(_moment(value), zone)


def error_words(error: Any) -> str:
    """Template filter: what went wrong in words, by the error's code, else by its status."""
    if labels.known("error", error.code):
        return label(error.code, "error")
    status = str(error.status)
    if not labels.known("error_status", status):
        status = "500" if error.status >= 500 else "400"
    return label(status, "error_status")


FILTERS: dict[str, Callable[..., str]] = {
    "label": label,
    "error_words": error_words,
    "decider": decider,
    "when": when,
    "when_iso": when_iso,
}
