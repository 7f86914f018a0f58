"""A named list of a ruleset: its terms with where each was written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListDef:
    """A named list: its items with the file and line each came from."""

    name: str
    items: tuple[tuple[str, str, int], ...]
    typos: bool | str = False  # patterns also match it misspelt once (str: except that list)
