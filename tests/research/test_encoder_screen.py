"""The encoder screen's table: per source and language mean, for each mix of scores."""

from __future__ import annotations

import numpy as np

from research.encoder_screen import table
from tests.fixtures.tinymodel import synthetic_cross_source


def test_a_mix_that_ranks_better_shows_a_higher_auc() -> None:
    cs = synthetic_cross_source()
    noise = np.random.default_rng(1).random(cs.model.shape)
    text = table(cs, {"model": cs.model, "noise": noise}).splitlines()
    assert text[0] == "source | model | noise"
    names = [line.split(" | ")[0] for line in text[1:]]
    assert names == ["s0_fr", "s1_fr", "s2_fr", "s3_fr", "fr mean"]
    model, noise_cell = text[-1].split(" | ")[1:]
    assert float(model.split(" / ")[0]) > 0.85 > 0.6 > float(noise_cell.split(" / ")[0])
