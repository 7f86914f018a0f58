"""Comments in languages other than French and English are refused as Perspective did."""

from __future__ import annotations

import pytest

from moderation.text.language import other_language
from tests.perspective.conftest import request_body

SPANISH = "Este artículo es una vergüenza, los periodistas no saben nada."
GERMAN = "Das ist ein schrecklicher Artikel, ihr seid alle Idioten."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (SPANISH, "es"),
        (GERMAN, "de"),
        ("Questo articolo è pieno di bugie e non ha senso.", "it"),
        ("Eu não concordo com este artigo de jeito nenhum", "pt"),
    ],
)
def test_a_sentence_in_another_language_is_found(text, language):
    assert other_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "Bravo !",
        "Merci",
        "Quelle honte",
        "Danke schön",  # too short to tell: scored, as before
        "Ils sont tous pourris",
        "Totalement d'accord avec vous, cet article est excellent.",
        "This article is a disgrace, the journalists know nothing.",
        "12345 !!! 😀",
    ],
)
def test_french_english_and_unsure_texts_are_not_another_language(text):
    assert other_language(text) is None


def _refusal(response, detected: list[str]) -> dict:
    assert response.status_code == 400
    error = response.json["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    detail = error["details"][0]
    assert detail["@type"] == "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"
    assert detail["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert detail["languageNotSupportedByAttributeError"]["detectedLanguages"] == detected
    return error


def test_a_detected_spanish_comment_is_refused_in_googles_envelope(persp):
    error = _refusal(persp.analyze(request_body(SPANISH)), ["es"])
    assert error["message"] == "Attribute TOXICITY does not support request languages: es"
    detail = error["details"][0]["languageNotSupportedByAttributeError"]
    assert detail == {"detectedLanguages": ["es"], "attribute": "TOXICITY"}


def test_a_german_comment_named_in_languages_is_refused(persp):
    error = _refusal(persp.analyze(request_body(GERMAN, languages=["de"])), ["de"])
    assert error["details"][0]["languageNotSupportedByAttributeError"]["requestedLanguages"] == [
        "de"
    ]


def test_dropping_unsupported_attributes_answers_no_scores_for_spanish(persp):
    body = persp.analyze(request_body(SPANISH, dropUnsupportedAttributes=True))
    assert body.status_code == 200 and body.json["attributeScores"] == {}
    assert body.json["detectedLanguages"] == ["es"]


def test_a_client_that_names_french_is_scored_whatever_the_text(persp):
    body = persp.analyze(request_body(SPANISH, languages=["fr"]))
    assert body.status_code == 200 and "TOXICITY" in body.json["attributeScores"]


@pytest.mark.parametrize("text", ["ok", "Bravo !", "Danke schön", "lol mdr"])
def test_short_or_ambiguous_texts_are_still_scored(persp, text):
    body = persp.analyze(request_body(text))
    assert body.status_code == 200 and "TOXICITY" in body.json["attributeScores"]
