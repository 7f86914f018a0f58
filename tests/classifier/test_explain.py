"""Explanations point at the words that raised a score, inside the original text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.classifier.explain import explain
from moderation.classifier.model import LinearModel
from moderation.contracts import LABELS


def _check_spans(text: str, output_explanations: tuple) -> None:  # type: ignore[type-arg]
    for item in output_explanations:
        span = item.span
        assert span.field == "body"
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
        assert item.weight > 0


def test_flagged_labels_come_with_their_words(model: LinearModel) -> None:
    text = "Franchement, ESPÈCE DE C0NNARD!!"
    output = model.score(text)
    assert output.scores["toxicity"] >= model.thresholds("fr")["toxicity"]["likely"]
    toxicity = [e for e in output.explanations if e.label == "toxicity"]
    assert toxicity and "C0NNARD" in " ".join(e.span.text for e in toxicity)
    _check_spans(text, output.explanations)


def test_only_labels_above_likely_are_explained(model: LinearModel) -> None:
    output = model.score("you stupid idiot")
    limits = model.thresholds("en")
    for item in output.explanations:
        assert output.scores[item.label] >= limits[item.label]["likely"]


def test_clean_text_has_no_explanations(model: LinearModel) -> None:
    assert model.score("thanks for this article").explanations == ()


def test_empty_text_scores_and_explains_nothing(model: LinearModel) -> None:
    output = model.score("")
    assert all(0 <= s <= 1 for s in output.scores.values())
    assert explain(model, "", "und", LABELS) == ()


def test_explanations_can_be_skipped(model: LinearModel) -> None:
    assert model.score("Espèce de connard", explain=False).explanations == ()


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["fr", "en", "und"]))
def test_spans_always_fall_inside_the_text(model: LinearModel, text: str, language: str) -> None:
    text = f"{text} espèce de connard {text}"
    _check_spans(text, explain(model, text, language, LABELS))
