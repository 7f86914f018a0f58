"""comments:analyze answers as Perspective did, with the promoted model's numbers (SPEC §10.1)."""

from __future__ import annotations

import json

import pytest

from moderation.classifier.service import model_store, score_line
from moderation.perspective.attributes import SERVED
from tests.perspective.conftest import CORAL, request_body

INSULT = "Espèce de connard, tu n'y connais rien."


def model_scores(text: str, language: str | None = None) -> dict[str, float]:
    """What `moderation model score` prints for this text."""
    model = model_store().current()
    assert model is not None
    line = json.dumps({"id": 1, "text": text, **({"language": language} if language else {})})
    return score_line(model, line, 1)["scores"]


def test_exactly_what_coral_sends_gets_what_coral_reads(persp):
    text = "Merci pour cet article, très clair."
    response = persp.analyze(None, raw=(CORAL % text).encode())
    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.json
    assert list(body) == ["attributeScores", "languages", "detectedLanguages"]
    assert list(body["attributeScores"]) == ["TOXICITY"]
    value = model_scores(text, "fr")["toxicity"]
    toxicity = body["attributeScores"]["TOXICITY"]
    assert toxicity["summaryScore"] == {"value": value, "type": "PROBABILITY"}
    assert toxicity["spanScores"] == [
        {"begin": 0, "end": len(text), "score": {"value": value, "type": "PROBABILITY"}}
    ]
    assert body["languages"] == ["fr"]
    assert body["detectedLanguages"] == ["fr"]
    assert 0.0 <= value < 0.5


def test_an_insult_scores_high_and_coral_would_withhold_it(persp):
    body = persp.analyze(None, raw=(CORAL % INSULT).encode()).json
    assert body["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.8


def test_every_attribute_and_alias_is_echoed_as_requested_with_our_label(persp):
    names = [*SERVED, "toxicity", "Insult_Experimental"]
    body = persp.analyze(request_body(INSULT, requestedAttributes={n: {} for n in names})).json
    assert list(body["attributeScores"]) == names
    expected = model_scores(INSULT)
    for name in names:
        label = SERVED[name.upper()]
        assert body["attributeScores"][name]["summaryScore"]["value"] == expected[label], name
    profanity = body["attributeScores"]["PROFANITY"]["summaryScore"]["value"]
    assert profanity == expected["obscene"]


def test_without_languages_the_language_is_detected(persp):
    body = persp.analyze(request_body("You are a stupid idiot and everyone knows it")).json
    assert body["languages"] == ["en"] and body["detectedLanguages"] == ["en"]
    expected = model_scores("You are a stupid idiot and everyone knows it")["toxicity"]
    assert body["attributeScores"]["TOXICITY"]["summaryScore"]["value"] == expected


def test_the_requested_language_breaks_ties_as_model_score_does(persp):
    text = "2026 : 100 % 👍"  # no letters: the text cannot tell, the hint decides
    fr = persp.analyze(request_body(text, languages=["fr-FR"])).json
    en = persp.analyze(request_body(text, languages=["en"])).json
    assert fr["languages"] == ["fr-FR"] and fr["detectedLanguages"] == []
    assert (
        fr["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
        == (model_scores(text, "fr")["toxicity"])
    )
    assert (
        en["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
        == (model_scores(text, "en")["toxicity"])
    )


def test_span_annotations_give_one_span_per_sentence_in_utf16_units(persp):
    text = "Merci 😀 pour l'article. Espèce de connard !\nÀ demain"
    body = persp.analyze(request_body(text, spanAnnotations=True, languages=["fr"])).json
    spans = body["attributeScores"]["TOXICITY"]["spanScores"]
    # The emoji is two UTF-16 code units, so every later offset moves by one.
    assert [(s["begin"], s["end"]) for s in spans] == [(0, 24), (25, 44), (45, 53)]
    units = text.encode("utf-16-le")
    first = units[0:48].decode("utf-16-le")
    assert first == "Merci 😀 pour l'article."
    assert spans[0]["score"]["value"] == model_scores(first, "fr")["toxicity"]
    assert spans[1]["score"]["value"] > spans[0]["score"]["value"]


def test_whole_text_span_counts_utf16_units(persp):
    text = "Bravo 😀😀"
    span = persp.analyze(request_body(text)).json["attributeScores"]["TOXICITY"]["spanScores"]
    assert span[0]["begin"] == 0 and span[0]["end"] == 10


def test_a_score_under_the_threshold_leaves_out_the_summary(persp):
    attributes = {
        "TOXICITY": {"scoreThreshold": 0.99},
        "INSULT": {"scoreType": "probability", "scoreThreshold": 0.0},
    }
    body = persp.analyze(request_body(requestedAttributes=attributes)).json
    assert body["attributeScores"]["TOXICITY"] == {}
    insult = body["attributeScores"]["INSULT"]
    assert insult["summaryScore"]["type"] == "PROBABILITY"
    assert len(insult["spanScores"]) == 1


@pytest.mark.parametrize("score_type", ["PROBABILITY", "probability", "Probability", None])
def test_score_type_is_case_insensitive(persp, score_type):
    settings = {"scoreType": score_type} if score_type else {}
    response = persp.analyze(request_body(requestedAttributes={"TOXICITY": settings}))
    assert response.status_code == 200
    assert response.json["attributeScores"]["TOXICITY"]["summaryScore"]["type"] == "PROBABILITY"


def test_client_token_is_echoed(persp):
    body = persp.analyze(request_body(clientToken="abc-1", sessionId="s", communityId="c")).json
    assert body["clientToken"] == "abc-1"


def test_google_system_parameters_are_ignored(persp):
    query = "&alt=json&prettyPrint=false&%24.xgafv=2&fields=attributeScores&quotaUser=u1"
    plain = persp.analyze(request_body()).json
    assert persp.analyze(request_body(), query=query).json == plain


def test_the_routes_without_the_version_prefix(persp):
    plain = persp.analyze(request_body()).json
    bare = persp.post("/comments:analyze", request_body())
    assert bare.status_code == 200 and bare.json == plain
    suggest = {
        "comment": {"text": "x"},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}},
    }
    assert persp.post("/comments:suggestscore", suggest).status_code == 200


def test_percent_encoded_colon_reaches_the_same_route(persp):
    response = persp.post("/v1alpha1/comments%3Aanalyze", request_body())
    assert response.status_code == 200


def test_unsupported_language_is_refused_as_perspective_did(persp):
    response = persp.analyze(request_body(languages=["de"]))
    assert response.status_code == 400
    error = response.json["error"]
    assert error["message"] == "Attribute TOXICITY does not support request languages: de"
    assert error["status"] == "INVALID_ARGUMENT"
    detail = error["details"][0]
    assert detail["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert detail["languageNotSupportedByAttributeError"]["attribute"] == "TOXICITY"
    assert detail["languageNotSupportedByAttributeError"]["requestedLanguages"] == ["de"]


def test_an_attribute_perspective_had_but_we_do_not_is_a_language_error(persp):
    wanted = {"TOXICITY": {}, "SEXUALLY_EXPLICIT": {}}
    response = persp.analyze(request_body(requestedAttributes=wanted, languages=["fr"]))
    assert response.status_code == 400
    detail = response.json["error"]["details"][0]
    assert detail["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert detail["languageNotSupportedByAttributeError"] == {
        "detectedLanguages": ["fr"],
        "attribute": "SEXUALLY_EXPLICIT",
        "requestedLanguages": ["fr"],
    }


def test_drop_unsupported_attributes_drops_instead_of_refusing(persp):
    wanted = {"TOXICITY": {}, "FLIRTATION": {}}
    body = persp.analyze(request_body(requestedAttributes=wanted, dropUnsupportedAttributes=True))
    assert list(body.json["attributeScores"]) == ["TOXICITY"]
    german = persp.analyze(request_body(languages=["de"], dropUnsupportedAttributes=True))
    assert german.status_code == 200 and german.json["attributeScores"] == {}


def test_no_letters_and_no_languages_is_a_detection_failure(persp):
    response = persp.analyze(request_body("12345 !!! 😀"))
    assert response.status_code == 400
    assert response.json["error"]["message"] == "Unable to detect language"
    assert response.json["error"]["details"][0]["errorType"] == "LANGUAGE_DETECTION_FAILED"
    assert persp.analyze(request_body("12345 !!! 😀", languages=["fr"])).status_code == 200


def test_without_a_model_the_answer_is_503_in_googles_envelope(app, tmp_path):
    from moderation.extensions import db
    from moderation.perspective.keys import add_key
    from moderation.sites.service import add_site
    from tests.perspective.conftest import Perspective

    add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    client = Perspective(app, add_key(db.session, slug="demo"))
    db.session.commit()
    response = client.analyze(request_body())
    assert response.status_code == 503
    assert response.json["error"]["status"] == "UNAVAILABLE"
