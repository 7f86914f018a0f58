"""The documentation: links stay inside the repository, the README stays a README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([ROOT / "README.md", ROOT / "rules" / "README.md", *(ROOT / "docs").glob("*.md")])
SKIPPED = {"var", "build", "dist", "node_modules"}
# Every Markdown file of the checkout (a top-level README of research or test tooling too).
MARKDOWN = sorted(
    path
    for path in ROOT.rglob("*.md")
    if not any(
        part.startswith(".") or part in SKIPPED or part.endswith(".egg-info")
        for part in path.relative_to(ROOT).parts[:-1]
    )
)
# Inline links and images: [text](target "title"); the target ends at a space or ")".
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
SETTING = re.compile(r"_(?:str|int|float|bool|path|networks)\(\s*\"([A-Z][A-Z0-9_]*)\"")
CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}(?:[–-]\d{1,2}:\d{2})? UTC\b")
ISSUE_NUMBER = re.compile(r"\bissues? \d+", re.IGNORECASE)
MAX_README_LINES = 220


def _links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.DOTALL)  # code is not a link
    return [target for target in LINK.findall(text) if not EXTERNAL.match(target)]


def _anchors(page: Path) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens."""
    anchors = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", page.read_text(), flags=re.MULTILINE):
        plain = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
        anchors.add(re.sub(r"[^\w\- ]", "", plain).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("page", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve_inside_the_repository(page: Path) -> None:
    broken = []
    for target in _links(page):
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.is_relative_to(ROOT):
            broken.append(f"{target}: outside the repository")
        elif not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(f"{target}: no heading #{anchor} in {resolved.name}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_readme_stays_short() -> None:
    lines = len((ROOT / "README.md").read_text().splitlines())
    assert lines < MAX_README_LINES, f"README.md has {lines} lines: move detail to docs/"


def test_the_readme_lists_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    settings = SETTING.findall((ROOT / "moderation" / "config.py").read_text())
    assert settings, "no settings found in moderation/config.py"
    missing = [name for name in settings if f"`{name}`" not in readme]
    assert not missing, f"settings missing from the README's table: {missing}"


@pytest.mark.parametrize(
    "page", [*PAGES, ROOT / "bench" / "REPORT.md"], ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_clock_times_or_issue_numbers(page: Path) -> None:
    text = page.read_text()
    found = CLOCK_TIME.findall(text) + ISSUE_NUMBER.findall(text)
    assert not found, f"{page.relative_to(ROOT)} reads like a lab notebook: {found}"
