"""``python -m research.crossval`` and ``python -m research.tables`` through click's runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from moderation.training.train import TrainConfig
from research import tables
from research.crossval import __main__ as crossval_cli
from tests.fixtures.tinymodel import synthetic_cross_source


def test_tables_print_the_ceilings_and_the_cross_source_tables_beside_the_model(
    models_dir: Path, version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(models_dir)  # the default files are relative: var/crossval/...
    args = [version, "--models", str(models_dir)]
    result = CliRunner().invoke(tables.main, args)
    assert result.exit_code == 0, result.output
    output = result.output
    assert "no var/crossval/grouped.npz" in output and "leave one source out (" not in output
    (models_dir / "var" / "crossval").mkdir(parents=True)
    synthetic_cross_source().save(models_dir / "var/crossval/grouped.npz")
    synthetic_cross_source(seed=1).save(models_dir / "var/crossval/loso.npz")
    result = CliRunner().invoke(tables.main, args)
    assert result.exit_code == 0, result.output
    in_domain, rest = result.output.split("\ncross-source validation (")
    grouped, loso = rest.split("\nleave one source out (")
    assert "ceiling, in-domain validation" in in_domain and "0.8 within 0.1" in in_domain
    assert "s0_fr" in grouped and "ceiling, cross-source validation" in grouped
    assert "--protocol loso" in loso and "s0_fr" in loso and "fr (mean of sources)" in loso
    assert "ceiling, leave one source out" in loso


def test_tables_read_the_files_given(models_dir: Path, version: str, tmp_path: Path) -> None:
    synthetic_cross_source().save(tmp_path / "mine.npz")
    args = [version, "--models", str(models_dir), "--crossval", str(tmp_path / "mine.npz")]
    result = CliRunner().invoke(tables.main, args)
    assert result.exit_code == 0, result.output
    assert "cross-source file mine.npz" in result.output and "s0_fr" in result.output


def test_crossval_passes_its_knob_to_the_training_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[TrainConfig] = []
    monkeypatch.setattr(crossval_cli, "crossval", lambda *a, **k: seen.append(a[6]) or "ok")
    args = ["--data", str(tmp_path), "--no-baseline", "--min-df", "3"]
    result = CliRunner().invoke(crossval_cli.main, args)
    assert result.exit_code == 0, result.output
    assert seen == [TrainConfig(baseline=False, min_df=3)]
    result = CliRunner().invoke(crossval_cli.main, [])
    assert result.exit_code == 0 and seen[1] == TrainConfig()  # no option: the shipped config
