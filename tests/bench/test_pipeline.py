"""``bench/pipeline --quick`` runs the Procfile's stack end to end and prints every figure.

60 signed webhooks and a short steady run on private PostgreSQL and Redis: the
benchmark that ``make bench`` runs must not break unseen. It fails on a second
callback for a comment or one that never arrives.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from harness.procs import ROOT
from harness.services import missing_tools
from tests.helpers import unavailable

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.mark.timeout(480)
def test_quick_pipeline_benchmark_prints_each_figure_with_its_target():
    reason = missing_tools()
    if reason:
        unavailable("private PostgreSQL and Redis", reason)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pipeline"), "--quick"],
        capture_output=True,
        text=True,
        timeout=450,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "callbacks beyond one per comment: 0" in out, out
    assert "ratio end-to-end/no-op: median" in out and "(target >= 0.25:" in out, out
    assert "webhook-to-decision (committed) p50" in out and "targets 25 / 150 ms" in out, out
    assert "PostgreSQL per comment:" in out and "statements" in out, out
