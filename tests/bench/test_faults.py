"""SPEC §8 under faults: the ``bench/faults`` harness, shortened (about 200 comments).

Workers are SIGKILLed every 2 s, Redis and PostgreSQL restart once each and the
callback receiver is down for a few seconds while a site posts comments and
retries like a real one; afterwards nothing accepted is missing, every comment
is decided once for its newest revision and every final outcome was called back.

The PostgreSQL and Redis it restarts are private ones the harness starts for the
run on free ports and removes afterwards (``initdb``/``pg_ctl`` and
``redis-server``): the machine's servers are never touched. Without those tools
it skips (fails under ``MODERATION_REQUIRE_SERVICES=1``).
"""

from __future__ import annotations

import pytest

from bench._faults import Options, can_inject_faults, run
from tests.helpers import REQUIRED

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.faults]


@pytest.mark.timeout(280)
def test_nothing_accepted_is_lost_decided_twice_or_left_uncalled_under_faults() -> None:
    reason = can_inject_faults()
    if reason:
        if REQUIRED:
            pytest.fail(f"cannot inject faults: {reason}")
        pytest.skip(f"cannot inject faults: {reason}")
    lines: list[str] = []
    opts = Options(
        comments=200,
        rate=5.0,  # 40 s of traffic
        kill_every=2.0,
        redis_down=3.0,
        pg_down=3.0,
        receiver_outage=6.0,
        settle_timeout=90.0,
        idle_giveup=30.0,
        client_giveup=90.0,
        progress=lines.append,
    )
    report = run(opts)
    assert report.ok, "\n".join([*report.failures, "", report.text(), "", *lines])
    # The faults did happen: kills, the receiver's outage, the client's retries.
    counts = report.counts
    assert counts["accepted"] > 150 and counts["revisions"] > 0, counts
    assert counts["worker_kills"] >= 10 and counts["refused"] + counts["retries"] > 0, counts
    assert counts["callbacks_kills"] >= 3, counts  # a batch of leased callbacks lost each time
