"""Imports inside function bodies: few, and each says why it is late.

``python -m tests.test_late_imports`` lists them with their count.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("moderation", "workers")
MOST = 10


def late_imports() -> list[tuple[str, int, str]]:
    """Every import statement inside a function body: (path, line, source line)."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text("utf-8")
            lines = source.splitlines()
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    for inner in ast.walk(node):
                        if isinstance(inner, ast.Import | ast.ImportFrom):
                            line = lines[inner.lineno - 1].strip()
                            found.append((str(path.relative_to(ROOT)), inner.lineno, line))
    return sorted(set(found))


def test_few_imports_are_late_and_each_says_why() -> None:
    found = late_imports()
    assert len(found) <= MOST, found
    silent = [(path, line) for path, line, text in found if "# late:" not in text]
    assert not silent, f"say why with a '# late:' comment: {silent}"


if __name__ == "__main__":
    for path, line, text in late_imports():
        print(f"{path}:{line}: {text}")
    print(f"{len(late_imports())} imports inside function bodies")
