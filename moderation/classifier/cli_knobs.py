"""The training knobs ``moderation model crossval`` screens (the defaults build the shipped model).

Each option is named after the ``TrainConfig`` field it sets, so the command passes them on
as they come (docs/model.md says how each fared).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

KNOBS = (
    click.option(
        "--source-weight",
        type=click.Choice(["none", "equal", "sqrt"]),
        default="none",
        help="Level-1 weight of a source of n rows in all: n (none, shipped), 1 or sqrt(n).",
    ),
    click.option(
        "--c-scale",
        type=click.FloatRange(min=0.0, min_open=True),
        default=1.0,
        show_default=True,
        help="Multiply every level-1 C by this (below 1: stronger regularisation; 1 shipped).",
    ),
    click.option(
        "--char-cross",
        is_flag=True,
        help="Also character 3-5-grams across word boundaries (a screening variant; not shipped).",
    ),
    click.option(
        "--oof",
        type=click.Choice(["rows", "sources"]),
        default="rows",
        show_default=True,
        help="Level-1 out-of-fold folds for level 2: random rows (shipped) or whole sources.",
    ),
    click.option(
        "--slang",
        is_flag=True,
        help="Word features also spell out chat shorthand and verlan (ftg, tepu; not shipped).",
    ),
    click.option(
        "--min-df",
        type=click.IntRange(min=1),
        default=2,
        show_default=True,
        help="Keep n-grams found in at least this many training rows (2 shipped).",
    ),
)


def knob_options(command: F) -> F:
    """Add every knob's option to a click command."""
    for option in reversed(KNOBS):
        command = option(command)
    return command
