"""The functional suite's generator: deterministic, complete, split by template."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from functional import generate

FILES = Path(generate.__file__).resolve().parent
CASES = {
    (language, split): generate.generate(language, split)
    for language in generate.LANGUAGES
    for split in generate.SPLITS
}
KEYS = ["id", "text", "label", "functionality", "group", "template", "language"]


@pytest.mark.parametrize(("language", "split"), list(CASES))
def test_committed_files_are_what_the_generator_writes(language: str, split: str) -> None:
    committed = (FILES / f"{language}.{split}.jsonl").read_text(encoding="utf-8")
    assert committed == generate.dumps(generate.generate(language, split))
    assert [list(json.loads(line)) for line in committed.splitlines()[:1]] == [KEYS]


def test_the_generator_writes_the_same_files_twice(tmp_path: Path) -> None:
    generate.main(["--out", str(tmp_path)])
    first = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    generate.main(["--out", str(tmp_path)])
    assert first == {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert len(first) == 4


def test_there_are_enough_cases() -> None:
    assert len(CASES["fr", "dev"]) + len(CASES["fr", "heldout"]) >= 1500
    assert len(CASES["en", "dev"]) + len(CASES["en", "heldout"]) >= 600


@pytest.mark.parametrize("language", list(generate.LANGUAGES))
def test_every_functionality_meets_the_same_groups_in_both_splits(language: str) -> None:
    groups: dict[tuple[str, str], set[str | None]] = defaultdict(set)
    for split in generate.SPLITS:
        for case in CASES[language, split]:
            groups[split, case["functionality"]].add(case["group"])
    module = generate.LANGUAGES[language]
    for functionality, (_, pool) in generate.FUNCTIONALITIES.items():
        assert groups["dev", functionality] == groups["heldout", functionality], functionality
        if pool == "protected" and functionality not in ("slur", "slur_reclaimed"):
            assert groups["dev", functionality] == set(module.GROUPS), functionality


@pytest.mark.parametrize("language", list(generate.LANGUAGES))
def test_every_group_with_slurs_is_met_by_slurs(language: str) -> None:
    module = generate.LANGUAGES[language]
    with_slurs = {ident for ident, group in module.GROUPS.items() if group["slurs"]}
    for split in generate.SPLITS:
        met = {c["group"] for c in CASES[language, split] if c["functionality"] == "slur"}
        assert met == with_slurs


@pytest.mark.parametrize("language", list(generate.LANGUAGES))
def test_a_third_of_each_functionalitys_templates_is_held_out(language: str) -> None:
    templates: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for split in generate.SPLITS:
        for case in CASES[language, split]:
            templates[case["functionality"]][split].add(case["template"])
    assert set(templates) == set(generate.FUNCTIONALITIES)
    for functionality, by_split in templates.items():
        dev, heldout = by_split["dev"], by_split["heldout"]
        assert not dev & heldout
        assert len(heldout) == (len(dev) + len(heldout)) // 3, functionality
        assert len(dev) + len(heldout) >= 3, functionality


@pytest.mark.parametrize(("language", "split"), list(CASES))
def test_labels_follow_functionalities_and_slots_are_filled(language: str, split: str) -> None:
    for case in CASES[language, split]:
        label, pool = generate.FUNCTIONALITIES[case["functionality"]]
        assert case["label"] == label
        assert case["language"] == language
        assert (case["group"] is None) == (pool != "protected"), case["id"]
        assert not any(mark in case["text"] for mark in ("{", "}", "[[", "]]")), case["id"]


def test_ids_are_unique_across_files() -> None:
    ids = [case["id"] for cases in CASES.values() for case in cases]
    assert len(ids) == len(set(ids))


def test_every_protected_characteristic_under_french_law_is_covered() -> None:
    from functional.fr_lexicon import GROUPS

    characteristics = {group["characteristic"] for group in GROUPS.values()}
    assert characteristics == {
        "origin", "ethnicity", "race", "nationality", "religion", "sex",
        "sexual_orientation", "gender_identity", "disability",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("functionality", "text", "changed"),
    [
        ("spelling_swap", "Les [[parasites]].", "Les praasites."),
        ("spelling_deletion", "Les [[parasites]].", "Les prasites."),
        ("spelling_spaced", "Des [[rats]].", "Des r a t s."),
        ("spelling_joined", "[[Je hais]] les X.", "Jehais les X."),
        ("spelling_leet", "Des [[ordures]].", "Des 0rdur3s."),
    ],
)
def test_spelling_variants_change_only_the_marked_word(
    functionality: str, text: str, changed: str
) -> None:
    assert generate.perturb(text, functionality, 0) == changed


def test_french_agreement_and_elision() -> None:
    from functional import fr

    arabs = fr.slots(fr.GROUPS["arabs"], 1)
    assert (arabs["de"], arabs["le"], arabs["ce"], arabs["au"]) == (
        "d'Arabes", "l'Arabe", "cet Arabe", "à l'Arabe",
    )  # fmt: skip
    women = fr.slots(fr.GROUPS["women"], 1)
    assert (women["de"], women["le"], women["ce"], women["un"], women["ils"]) == (
        "de femmes", "la femme", "cette femme", "une femme", "elles",
    )  # fmt: skip
    disabled = fr.slots(fr.GROUPS["disabled"], 1)
    assert (disabled["de"], disabled["le"]) == ("de handicapés", "le handicapé")
    text = "{Les} sont {g:tous|toutes} là, {ils} aussi."
    assert generate.fill(text, women, "f") == "Les femmes sont toutes là, elles aussi."
