"""The functional hate-speech suite's table: per functionality, the share held and rejected.

Cases are the suite's JSON lines (``functional/<language>.<split>.jsonl``, written by
``python -m functional.generate``); each is decided by ``moderation rules decide``'s path
(``decide``). Held means review or reject: *caught* for a hateful case, *flagged* for a
non-hateful one. Aggregates count cases, not functionalities.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moderation.contracts import RulesEngine
from moderation.scoring.decide import decide_case
from moderation.scoring.pipeline import ScorerProvider

HATEFUL = "hateful"
HELD = frozenset({"review", "reject"})
SPLITS = ("dev", "heldout")
LANGUAGES = {"fr": "French", "en": "English"}
#: The non-hateful cases the issue's targets count: neutral, positive and counter-speech.
#: Abuse of objects, individuals and unprotected groups, and profanity, are not hate speech,
#: but a site's insult rules may rightly hold them: reported, not counted in the target.
TARGET_SCOPE = frozenset(
    {
        "neutral_identity",
        "positive_identity",
        "negated_hate",
        "counter_quote",
        "counter_reference",
        "reported_abuse",
        "slur_homonym",
        "slur_reclaimed",
    }
)
SCOPED = "neutral, positive, counter-speech"
OTHER = "non-hateful, all"
#: language -> (measure, aggregate, which share, bound, at least?): issue 23's targets.
TARGETS: dict[str, tuple[tuple[str, str, str, float, bool], ...]] = {
    "fr": (
        ("hateful caught", HATEFUL, "held", 0.90, True),
        ("non-hateful flagged", SCOPED, "held", 0.20, False),
        ("non-hateful rejected", SCOPED, "rejected", 0.01, False),
    ),
}


@dataclass(frozen=True)
class Tally:
    """Cases, and how many of them were held (review or reject) and rejected."""

    n: int = 0
    held: int = 0
    rejected: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.n + other.n, self.held + other.held, self.rejected + other.rejected)

    def share(self, which: str) -> float:
        """``held`` or ``rejected`` over ``n`` (0 without cases)."""
        count = self.held if which == "held" else self.rejected
        return count / self.n if self.n else 0.0


def one(action: str) -> Tally:
    """The tally of a single decided case."""
    return Tally(1, int(action in HELD), int(action == "reject"))


def read_cases(path: Path) -> list[dict[str, Any]]:
    """The cases of one suite file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def decide(
    cases: Sequence[Mapping[str, Any]], ruleset: RulesEngine, scorer: ScorerProvider | None = None
) -> list[str]:
    """Each case's action as ``moderation rules decide`` gives it (no author, nothing stored)."""
    return [
        str(
            decide_case(
                {"id": c["id"], "body": c["text"], "language": c["language"]}, ruleset, scorer
            )["action"]
        )
        for c in cases
    ]


def by_functionality(
    cases: Sequence[Mapping[str, Any]], actions: Sequence[str]
) -> dict[str, Tally]:
    """One tally per functionality, in the order the cases first meet them."""
    tallies: dict[str, Tally] = {}
    for case, action in zip(cases, actions, strict=True):
        name = case["functionality"]
        tallies[name] = tallies.get(name, Tally()) + one(action)
    return tallies


def aggregates(cases: Sequence[Mapping[str, Any]], actions: Sequence[str]) -> dict[str, Tally]:
    """Hateful cases, the non-hateful ones the targets count, and every non-hateful one."""
    out = {HATEFUL: Tally(), SCOPED: Tally(), OTHER: Tally()}
    for case, action in zip(cases, actions, strict=True):
        if case["label"] == HATEFUL:
            out[HATEFUL] += one(action)
            continue
        out[OTHER] += one(action)
        if case["functionality"] in TARGET_SCOPE:
            out[SCOPED] += one(action)
    return out


def by_group(
    cases: Sequence[Mapping[str, Any]], actions: Sequence[str]
) -> dict[tuple[str, str], Tally]:
    """Per protected group, hateful cases and the non-hateful ones the targets count."""
    tallies: dict[tuple[str, str], Tally] = {}
    for case, action in zip(cases, actions, strict=True):
        hateful = case["label"] == HATEFUL
        if case["group"] is None or not (hateful or case["functionality"] in TARGET_SCOPE):
            continue
        key = (case["group"], HATEFUL if hateful else SCOPED)
        tallies[key] = tallies.get(key, Tally()) + one(action)
    return tallies


def target_lines(language: str, totals: Mapping[str, Tally]) -> list[str]:
    """Each of the language's targets, its figure and whether it is met."""
    lines = []
    for measure, aggregate, which, bound, at_least in TARGETS.get(language, ()):
        value = totals[aggregate].share(which)
        met = value >= bound if at_least else value <= bound
        sign = ">=" if at_least else "<="
        verdict = "met" if met else "NOT met"
        lines.append(f"  {measure} {sign} {bound:.2f}: {value:.3f} ({verdict})")
    return lines


Decided = Mapping[str, tuple[Sequence[Mapping[str, Any]], Sequence[str]]]


def render(language: str, decided: Decided) -> str:
    """The language's table: per functionality, dev, held-out and both, then the targets."""
    parts = {split: decided[split] for split in SPLITS if split in decided}
    both = (
        [c for cases, _ in parts.values() for c in cases],
        [a for _, actions in parts.values() for a in actions],
    )
    columns = {**{_title(s): v for s, v in parts.items()}, "all": both}
    rows = {name: by_functionality(*v) for name, v in columns.items()}
    totals = {name: aggregates(*v) for name, v in columns.items()}
    labels = {c["functionality"]: c["label"] for c in both[0]}
    head = f"{'functionality':<34}{'':3}" + "".join(f"| {n:>8}  held   rej " for n in columns)
    lines = [f"{LANGUAGES.get(language, language)} functional suite", head, "-" * len(head)]
    for name, label in labels.items():
        mark = "H" if label == HATEFUL else "N"
        lines.append(_row(name, mark, [rows[c].get(name, Tally()) for c in columns]))
    lines.append("-" * len(head))
    for aggregate in (HATEFUL, SCOPED, OTHER):
        lines.append(_row(aggregate, "", [totals[c][aggregate] for c in columns]))
    lines.append(
        "held = review or reject: caught (H, hateful), flagged (N, non-hateful); rej = rejected"
    )
    for column in columns:
        if language in TARGETS:
            lines.append(f"targets, {column}:")
            lines.extend(target_lines(language, totals[column]))
    return "\n".join([*lines, "", *_group_lines(*both)])


def _group_lines(cases: Sequence[Mapping[str, Any]], actions: Sequence[str]) -> list[str]:
    """Per group, dev and held-out together: hateful caught, scoped non-hateful flagged."""
    tallies = by_group(cases, actions)
    columns = "".join(f"| {name:>8}  held   rej " for name in ("hateful", "N scoped"))
    head = f"{'group (dev + held-out)':<34}{'':3}{columns}".rstrip()
    lines = [head, "-" * len(head)]
    for group in dict.fromkeys(g for g, _ in tallies):
        cells = [tallies.get((group, kind), Tally()) for kind in (HATEFUL, SCOPED)]
        lines.append(_row(group, "", cells).rstrip())
    lines.append(f"N scoped = {SCOPED}")
    return lines


def _title(split: str) -> str:
    return "held-out" if split == "heldout" else split


def _row(name: str, mark: str, tallies: Sequence[Tally]) -> str:
    cells = "".join(
        f"| {t.n:>8} {t.share('held'):5.3f} {t.share('rejected'):5.3f} " for t in tallies
    )
    return f"{name:<34}{mark:3}{cells}"


def suite_report(folder: Path, ruleset: RulesEngine, scorer: ScorerProvider | None = None) -> str:
    """Every language's table for the suite files found in ``folder``."""
    tables = []
    for language in LANGUAGES:
        decided = {}
        for split in SPLITS:
            path = folder / f"{language}.{split}.jsonl"
            if path.is_file():
                cases = read_cases(path)
                decided[split] = (cases, decide(cases, ruleset, scorer))
        if decided:
            tables.append(render(language, decided))
    return "\n\n".join(tables)
