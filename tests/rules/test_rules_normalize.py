"""French-aware folding and the map back to original offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.text.normalize import _track, normalize, normalize_words


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("CONNARD", "connard"),
        ("Crétin, Enculé, ÉTÉ", "cretin, encule, ete"),
        ("L’enculé", "l'encule"),
        ("qu‘il", "qu'il"),
        ("c0nn4rd", "connard"),
        ("m3rd3", "merde"),
        ("$alope", "salope"),
        ("@bruti", "abruti"),
        ("b!te", "bite"),
        ("connnnnard", "conard"),
        ("c o n n a r d", "connard"),
        ("c.o.n.n.a.r.d", "connard"),
        ("c-o-n-n-a-r-d", "connard"),
        ("co\u200bnn\u200dard\ufeff", "connard"),
        ("со\u043dnard", "cohnard"),  # Cyrillic с, о and н: a Latin look-alike for each
        ("сοnnаrd", "connard"),  # Cyrillic с, Greek ο, Cyrillic а
        ("Ｃｏｎｎａｒｄ", "connard"),  # fullwidth
        ("𝐜𝐨𝐧𝐧𝐚𝐫𝐝", "connard"),  # mathematical bold
        ("c\u0301on", "con"),  # stray combining accent
        ("ŒUVRE, Straße", "oeuvre, strasse"),
        ("a  \n\t b", "a b"),
    ],
)
def test_folds(raw: str, folded: str) -> None:
    assert normalize(raw).text == folded


@pytest.mark.parametrize(
    "raw",
    [
        "En 2020, 5 ans après",
        "Le 12 mars à 12h30",
        "son 1er but, la 87e minute",
        "le G7, la COP28 et un 4x4",
        "1 000 000 d'euros",
    ],
)
def test_numbers_are_not_leetspeak(raw: str) -> None:
    folded = normalize(raw).text
    assert [c for c in folded if c.isdigit()] == [c for c in raw if c.isdigit()]


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Il y a à manger", "il y a a manger"),
        ("à l'a b c", "a l'a b c"),
        ("J'ai vu M. X hier", "j'ai vu m. x hier"),
        ("y a-t-il un problème", "y a-t-il un probleme"),
    ],
)
def test_spaced_letter_joining_leaves_words_alone(raw: str, folded: str) -> None:
    assert normalize(raw).text == folded


def test_words_variant_drops_punctuation_and_apostrophes() -> None:
    assert (
        normalize_words("L'auteur... est-il un « crétin » ?").text == "l auteur est il un cretin "
    )


def test_span_maps_back_to_original() -> None:
    raw = "Quel  C.O.N.N.A.R.D   \u200bde ministre"
    n = normalize_words(raw)
    i = n.text.index("connard")
    start, end = n.span(i, i + len("connard"))
    assert raw[start:end] == "C.O.N.N.A.R.D"


def test_span_over_expanded_character() -> None:
    raw = "un œuf"
    n = normalize(raw)
    assert n.text == "un oeuf"
    assert n.span(3, 7) == (3, 6)


def test_emphasis_is_recorded_in_original_offsets() -> None:
    raw = "Quel connnnard"
    n = normalize_words(raw)
    assert n.emphasised(5, 14)
    assert not n.emphasised(0, 5)
    assert not normalize_words("connard").emphasised(0, 7)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_crashes_and_spans_stay_inside(raw: str) -> None:
    for fold in (normalize, normalize_words):
        n = fold(raw)
        for i in range(len(n.text)):
            for j in (i + 1, len(n.text)):
                start, end = n.span(i, j)
                assert 0 <= start <= end <= len(raw)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aAcCoOnN01345@$!| .-'’é\u200bсο"), max_size=60))
def test_fast_fold_and_tracked_fold_agree(raw: str) -> None:
    for words, fold in ((False, normalize), (True, normalize_words)):
        offsets = _track(raw, words)
        assert offsets.text == fold(raw).text
        starts = raw if offsets.starts is None else offsets.starts
        assert len(starts) == len(offsets.text)
