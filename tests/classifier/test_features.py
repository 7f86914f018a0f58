"""French-aware folding and the n-gram analysers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from moderation.classifier.features import (
    char_ngrams,
    fold,
    fold_tracked,
    lexicon_ngrams,
    token_ngrams,
    word_ngrams,
    word_spans,
)


def test_fold_case_accents_and_apostrophes() -> None:
    assert fold("Espèce de CONNARD") == "espece de connard"
    assert fold("L’Œuvre") == "l'oeuvre"


def test_fold_undoes_leetspeak_repeats_and_spacing() -> None:
    assert fold("c0nn4rd") == "connard"
    assert fold("s@l0pe") == "salope"
    assert fold("nuuuuul!!!!") == "nuul!!"
    assert fold("c o n n a r d") == "connard"


def test_fold_keeps_plain_numbers() -> None:
    assert fold("1000 euros") == "1000 euros"


def test_fold_drops_links_and_replaces_mentions() -> None:
    assert fold("voir www.spam.example.com @jean") == "voir xuserx "


def test_word_ngrams_split_elisions() -> None:
    grams = word_ngrams(fold("L'idiot qu'il est"))
    assert "idiot" in grams
    assert "idiot qu" in grams


def test_char_ngrams_stay_inside_padded_tokens() -> None:
    assert token_ngrams("ab") == [" a", "ab", "b ", " ab", "ab ", " ab "]
    assert "b c" not in char_ngrams("ab cd")


def test_lexicon_ngrams_go_up_to_three_words() -> None:
    assert "brouter le cresson" in lexicon_ngrams("il aime brouter le cresson")


@given(st.text(max_size=80))
def test_tracked_fold_matches_fold(text: str) -> None:
    folded = fold_tracked(text)
    assert folded.text == fold(text)
    assert len(folded.starts) == len(folded.ends) == len(folded.text)
    assert all(0 <= a < b <= len(text) for a, b in zip(folded.starts, folded.ends, strict=True))


def test_tracked_fold_maps_words_back_to_the_original() -> None:
    text = "Quel C0NNNNARD, l’idiot"
    folded = fold_tracked(text)
    start = folded.text.index("connard")
    a, b = folded.span(start, start + len("connard"))
    assert text[a:b] == "C0NNNNARD"


def test_shorthand_stays_as_written_in_the_shipped_scheme() -> None:
    folded = fold("Jules FTG, jvais te soulever")
    words = ["jules", "ftg", "jvais", "te", "soulever"]
    assert word_ngrams(folded) == [*words, "jules ftg", "ftg jvais", "jvais te", "te soulever"]
    assert word_spans("ftg va") == [("ftg", 0, 3), ("va", 4, 6)]
    assert "ta gueule" not in lexicon_ngrams("jules tg")
