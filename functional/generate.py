"""Generate the functional test cases: ``python -m functional.generate`` rewrites the JSONL files.

Deterministic: no clock, no random state; every choice comes from a template's number or a
CRC-32 of the case id. A third of each functionality's templates (numbers 3, 6, 9…) go to the
held-out files, so held-out cases use wordings that were never read while writing rules.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from functional import en, fr

HERE = Path(__file__).resolve().parent
LANGUAGES: dict[str, ModuleType] = {"fr": fr, "en": en}
SPLITS = ("dev", "heldout")
#: Cases a template yields per split, at least: enough to cover every group in each split.
PER_TEMPLATE = 10

HATEFUL = "hateful"
NON_HATEFUL = "non-hateful"

#: functionality -> (label, pool of targets: "protected", "nonprotected" or "none").
FUNCTIONALITIES: dict[str, tuple[str, str]] = {
    "derogation_emotion": (HATEFUL, "protected"),
    "derogation_attribute": (HATEFUL, "protected"),
    "derogation_dehumanisation": (HATEFUL, "protected"),
    "derogation_implicit": (HATEFUL, "protected"),
    "threat_direct": (HATEFUL, "protected"),
    "threat_normative": (HATEFUL, "protected"),
    "exclusion": (HATEFUL, "protected"),
    "slur": (HATEFUL, "protected"),
    "profanity_hateful": (HATEFUL, "protected"),
    "pronoun_reference": (HATEFUL, "protected"),
    "clause_reference": (HATEFUL, "protected"),
    "negated_positive": (HATEFUL, "protected"),
    "question": (HATEFUL, "protected"),
    "opinion": (HATEFUL, "protected"),
    "spelling_swap": (HATEFUL, "protected"),
    "spelling_deletion": (HATEFUL, "protected"),
    "spelling_spaced": (HATEFUL, "protected"),
    "spelling_joined": (HATEFUL, "protected"),
    "spelling_leet": (HATEFUL, "protected"),
    "neutral_identity": (NON_HATEFUL, "protected"),
    "positive_identity": (NON_HATEFUL, "protected"),
    "negated_hate": (NON_HATEFUL, "protected"),
    "counter_quote": (NON_HATEFUL, "protected"),
    "counter_reference": (NON_HATEFUL, "protected"),
    "reported_abuse": (NON_HATEFUL, "protected"),
    "profanity_nonhateful": (NON_HATEFUL, "none"),
    "abuse_object": (NON_HATEFUL, "none"),
    "abuse_individual": (NON_HATEFUL, "none"),
    "abuse_nonprotected": (NON_HATEFUL, "nonprotected"),
    "slur_homonym": (NON_HATEFUL, "none"),
    "slur_reclaimed": (NON_HATEFUL, "protected"),
}

SLOT = re.compile(r"\{([^{}]+)\}")
MARK = re.compile(r"\[\[(.+?)\]\]")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
SLUR_SLOTS = ("slur", "Slur", "slur_sg", "Slur_sg", "un_slur", "Un_slur", "a_slur", "A_slur")
LEET = str.maketrans(
    {"a": "4", "A": "4", "e": "3", "E": "3", "i": "1", "I": "1", "o": "0", "O": "0"}
)


@dataclass(frozen=True)
class Template:
    """One wording of a functionality; ``group`` pins it to one group."""

    functionality: str
    number: int
    text: str
    group: str | None = None

    @property
    def split(self) -> str:
        return "heldout" if self.number % 3 == 0 else "dev"


def crc(text: str) -> int:
    """A stable hash (Python's ``hash`` is salted per process)."""
    return zlib.crc32(text.encode("utf-8"))


def fill(text: str, slots: Mapping[str, str], gender: str = "m") -> str:
    """The template with its slots filled; ``{g:masc|fem}`` agrees with the group's gender."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("g:"):
            masc, fem = name[2:].split("|")
            return masc if gender == "m" else fem
        if name in slots:
            return slots[name]
        value = slots[name[0].lower() + name[1:]]
        return value[:1].upper() + value[1:]

    return SLOT.sub(one, text)


def longest_word(span: str) -> tuple[int, int]:
    """Start and end of the span's longest word."""
    words = list(WORD.finditer(span))
    best = max(words, key=lambda m: len(m.group(0)))
    return best.start(), best.end()


def swap(word: str, seed: int) -> str:
    """Two adjacent inner letters swapped (differing ones where possible)."""
    inner = [i for i in range(1, len(word) - 2) if word[i] != word[i + 1]] or [0]
    i = inner[seed % len(inner)]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def delete(word: str, seed: int) -> str:
    """One inner letter dropped."""
    i = 1 + seed % max(1, len(word) - 2)
    return word[:i] + word[i + 1 :]


def spaced(word: str, seed: int) -> str:
    """Spaces between the letters."""
    return " ".join(word)


def leet(word: str, seed: int) -> str:
    """Vowels written as digits."""
    return word.translate(LEET)


WORD_CHANGES: dict[str, Callable[[str, int], str]] = {
    "spelling_swap": swap,
    "spelling_deletion": delete,
    "spelling_spaced": spaced,
    "spelling_leet": leet,
}


def perturb(text: str, functionality: str, seed: int) -> str:
    """Apply the functionality's spelling change to each ``[[marked]]`` span, drop the marks."""

    def one(match: re.Match[str]) -> str:
        span = match.group(1)
        if functionality == "spelling_joined":
            return span.replace(" ", "")
        change = WORD_CHANGES.get(functionality)
        if change is None:
            return span
        start, end = longest_word(span)
        return span[:start] + change(span[start:end], seed) + span[end:]

    return MARK.sub(one, text)


def surface(text: str, language: str, seed: int) -> str:
    """A comment section's casing and punctuation habits, one in three cases touched."""
    kind = seed % 12
    if kind in (0, 1):
        return text.lower()
    if kind == 2:
        return text.rstrip(".")
    if kind == 3 and text.endswith("."):
        return text[:-1] + ("!!" if language == "en" else " !!")
    if kind == 4 and language == "fr":
        return re.sub(r" ([?!:;»])", r"\1", text).replace("« ", '"').replace("»", '"')
    if kind == 5 and len(text) < 60:
        return text.upper()
    return text


def templates(module: ModuleType) -> Iterator[Template]:
    """The language's templates, numbered from 1 within each functionality."""
    for functionality, entries in module.TEMPLATES.items():
        for number, entry in enumerate(entries, start=1):
            text, group = (entry, None) if isinstance(entry, str) else entry
            yield Template(functionality, number, text, group)


Target = tuple[str, dict[str, str], str]


def eligible(template: Template, module: ModuleType) -> list[Target]:
    """Targets the template can take: (group id, slots, gender); one empty target if none."""
    pool = FUNCTIONALITIES[template.functionality][1]
    if template.group is not None:
        group = module.GROUPS[template.group]
        return [(template.group, module.slots(group, template.number), group["gender"])]
    if pool == "none" or not SLOT.search(template.text.replace("{g:", "")):
        return [("", {}, "m")]
    groups = module.GROUPS if pool == "protected" else module.NONPROTECTED
    needs_slur = any("{" + name + "}" in template.text for name in SLUR_SLOTS)
    return [
        (ident, module.slots(group, template.number), group["gender"])
        for ident, group in groups.items()
        if group.get("slurs") or not needs_slur
    ]


def cases_for(
    language: str, module: ModuleType, functionality: str, split: str, start: int
) -> tuple[list[dict[str, Any]], int]:
    """One split of one functionality, and where the rotation of groups stops.

    Templates take groups in turn, so every group is met in each split; the rotation goes on
    from one functionality to the next (``start``), so the groups get as many cases each.
    """
    chosen = [t for t in templates(module) if t.functionality == functionality and t.split == split]
    pool = FUNCTIONALITIES[functionality][1]
    cases, position = [], start
    for template in chosen:
        targets = eligible(template, module)
        if len(targets) == 1:
            ident, slots, gender = targets[0]
            text = fill(template.text, slots, gender)
            cases.append(case(language, template, text, ident or None, ident or "x"))
            continue
        count = max(PER_TEMPLATE, math.ceil(len(targets) / len(chosen)))
        for k in range(min(count, len(targets))):
            ident, slots, gender = targets[(position + k) % len(targets)]
            group = ident if pool == "protected" else None
            cases.append(case(language, template, fill(template.text, slots, gender), group, ident))
        position += count
    return cases, position


def case(
    language: str, template: Template, text: str, group: str | None, suffix: str
) -> dict[str, Any]:
    """One JSON-lines record."""
    template_id = f"{language}.{template.functionality}.{template.number:02d}"
    ident = f"{language}-{template.functionality}-{template.number:02d}-{suffix}"
    seed = crc(ident)
    text = surface(perturb(text, template.functionality, seed), language, seed)
    label = FUNCTIONALITIES[template.functionality][0]
    return {
        "id": ident,
        "text": text,
        "label": label,
        "functionality": template.functionality,
        "group": group,
        "template": template_id,
        "language": language,
    }


def generate(language: str, split: str) -> list[dict[str, Any]]:
    """Every case of one language and split, in functionality order."""
    module, cases, position = LANGUAGES[language], [], 0
    for functionality in FUNCTIONALITIES:
        more, position = cases_for(language, module, functionality, split, position)
        cases.extend(more)
    return cases


def dumps(cases: Sequence[Mapping[str, Any]]) -> str:
    """JSON lines, UTF-8 as written."""
    return "".join(json.dumps(one, ensure_ascii=False) + "\n" for one in cases)


def main(argv: Sequence[str] | None = None) -> None:
    """Rewrite ``<lang>.<split>.jsonl`` beside this module (or in ``--out``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE)
    out = parser.parse_args(argv).out
    for language in LANGUAGES:
        for split in SPLITS:
            cases = generate(language, split)
            (out / f"{language}.{split}.jsonl").write_text(dumps(cases), encoding="utf-8")
            print(f"{language}.{split}.jsonl: {len(cases)} cases")


if __name__ == "__main__":
    main()
