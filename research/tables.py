"""``python -m research.tables``: a model's ceilings and its cross-source tables.

What ``moderation model evaluate`` printed beside the validation table before the research
moved out of the product: the ceiling on the in-domain validation rows, then, for each
cross-source file (``python -m research.crossval`` writes them under ``var/crossval/``),
its table and its ceiling.
"""

from __future__ import annotations

from pathlib import Path

import click

from moderation.classifier.service import active_version
from moderation.training.crossreport import CROSS_SOURCE_FILES, plain, report
from moderation.training.crosssource import CrossSource
from moderation.training.evaluate import Validation
from research import ceiling


def tables(folder: Path, files: list[tuple[Path, str, str]]) -> str:
    """The in-domain ceiling of ``folder``'s model, then each existing file's table and ceiling."""
    out = [ceiling.text("in-domain validation", Validation.load(folder / "validation.npz"))]
    for path, title, rebuild in files:
        if not path.is_file():
            out.append(f"\nno {path}: run '{rebuild}'")
            continue
        cross_source = CrossSource.load(path)
        out.append(f"\n{title} ({path}; rebuild: {rebuild})")
        out.append(plain(report(cross_source)))
        out.append(ceiling.text(title, cross_source))
    return "\n".join(out)


@click.command()
@click.argument("version", required=False)
@click.option("--models", type=click.Path(file_okay=False, path_type=Path), default="models")
@click.option(
    "--crossval",
    "files",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="Cross-source files (default: var/crossval/grouped.npz and loso.npz).",
)
def main(version: str | None, models: Path, files: tuple[Path, ...]) -> None:
    """Print VERSION's (default: the active model's) ceilings and cross-source tables."""
    version = version or active_version(models)
    if version is None:
        raise click.ClickException(f"no active model in {models}; give a VERSION")
    if files:
        named = [
            (path, f"cross-source file {path.name}", "python -m research.crossval")
            for path in files
        ]
    else:
        named = [(Path(path), title, rebuild) for path, title, rebuild in CROSS_SOURCE_FILES]
    click.echo(tables(models / version, named))


if __name__ == "__main__":
    main()
