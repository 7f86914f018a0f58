"""The checks of SPEC §8 on the run's database and receiver, and throughput by phase."""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, defaultdict
from typing import Any

import psycopg

from bench._faults.client import Client
from harness.receiver import Receiver
from harness.services import libpq


def _db_state(url: str) -> dict[str, Any]:
    with psycopg.connect(libpq(url), connect_timeout=5) as conn:
        comments = {
            ext: (cid, rev, status)
            for cid, ext, rev, status in conn.execute(
                "SELECT id, external_id, revision, status FROM comments"
            )
        }
        bodies: dict[int, dict[int, str]] = defaultdict(dict)
        for cid, rev, body in conn.execute(
            "SELECT comment_id, revision, payload->>'body' FROM comment_revisions"
        ):
            bodies[cid][rev] = body
        auto: dict[tuple[int, int], list[str]] = defaultdict(list)
        other = 0
        for cid, rev, by, status in conn.execute(
            "SELECT comment_id, revision, decided_by, status FROM decisions"
        ):
            if by == "auto":
                auto[(cid, rev)].append(status)
            else:
                other += 1
        deliveries: Counter[str] = Counter(
            dict(conn.execute("SELECT status, count(*) FROM deliveries GROUP BY status").fetchall())
        )
        attempts = conn.execute("SELECT count(*) FROM delivery_attempts").fetchone()
        # SPEC §8: an infrastructure fault is retried, never turned into a decision.
        faulted = conn.execute(
            "SELECT count(*) FROM decisions WHERE reason = 'scoring_error'"
        ).fetchone()
    return {
        "scoring_errors": faulted[0] if faulted else 0,
        "comments": comments,
        "bodies": bodies,
        "auto": auto,
        "human_decisions": other,
        "deliveries": deliveries,
        "attempts": attempts[0] if attempts else 0,
    }


def progress(url: str, client: Client, receiver: Receiver) -> tuple[int, int, int] | None:
    """(comments pending, deliveries pending, comments whose final callback is missing)."""
    try:
        with psycopg.connect(libpq(url), connect_timeout=3) as conn:
            pending = conn.execute("SELECT count(*) FROM comments WHERE status = 'pending'")
            comments_pending = (pending.fetchone() or (0,))[0]
            due = conn.execute("SELECT count(*) FROM deliveries WHERE status = 'pending'")
            deliveries_pending = (due.fetchone() or (0,))[0]
            rows = conn.execute(
                "SELECT external_id, revision, status FROM comments WHERE status <> 'pending'"
            ).fetchall()
    except psycopg.Error:
        return None
    with client.lock:
        accepted = set(client.accepted)
    decided = {ext for ext, rev, status in rows if receiver.got(ext, rev, status)}
    return comments_pending, deliveries_pending, len(accepted - decided)


def check(url: str, client: Client, receiver: Receiver) -> tuple[list[str], list[str]]:
    """Checks (a), (b), (c): (lines, failures)."""
    state = _db_state(url)
    comments, bodies, auto = state["comments"], state["bodies"], state["auto"]
    lines, failures = [], []
    with client.lock:
        accepted = {cid: list(b) for cid, b in client.accepted.items()}

    # (a) nothing acknowledged is missing
    missing = sorted(cid for cid in accepted if cid not in comments)
    lost_revisions = []
    for cid, sent in accepted.items():
        if cid in comments:
            stored = set(bodies[comments[cid][0]].values())
            lost_revisions += [f"{cid}: {b[:40]!r}" for b in sent if b not in stored]
    acked = sum(len(b) for b in accepted.values())
    stored_total = sum(len(bodies[comments[c][0]]) for c in accepted if c in comments)
    ok_a = not missing and not lost_revisions
    lines.append(
        f"(a) stored: {len(accepted) - len(missing)}/{len(accepted)} accepted comments, "
        f"{acked - len(lost_revisions)}/{acked} accepted revisions "
        f"({stored_total} revisions stored)  {'OK' if ok_a else 'FAIL'}"
    )
    if missing:
        failures.append(f"(a) {len(missing)} accepted comments missing: {missing[:10]}")
    if lost_revisions:
        failures.append(
            f"(a) {len(lost_revisions)} accepted revisions missing: {lost_revisions[:5]}"
        )

    # (b) decided for the newest accepted revision, one automatic decision per revision
    undecided, stale, wrong, no_decision = [], [], [], []
    for cid, sent in accepted.items():
        if cid not in comments:
            continue
        pk, rev, status = comments[cid]
        if bodies[pk].get(rev) != sent[-1]:
            stale.append(f"{cid} (stored revision {rev} is not the newest accepted body)")
        if status == "pending":
            undecided.append(cid)
        elif len(auto.get((pk, rev), [])) == 0:
            no_decision.append(f"{cid} r{rev} {status}")
        elif auto[(pk, rev)][0] != status:
            wrong.append(f"{cid} r{rev}: decision {auto[(pk, rev)][0]}, comment {status}")
    duplicates = {key: n for key, n in auto.items() if len(n) > 1}
    scored = len(auto)
    ok_b = not (undecided or stale or wrong or no_decision or duplicates)
    ok_b = ok_b and state["scoring_errors"] == 0
    lines.append(
        f"(b) decided on the newest revision: {len(accepted) - len(undecided)}/{len(accepted)}; "
        f"automatic decisions: {sum(len(v) for v in auto.values())} for {scored} scored "
        f"revisions, duplicates {len(duplicates)}, scoring_error {state['scoring_errors']}  "
        f"{'OK' if ok_b else 'FAIL'}"
    )
    for label, items in (
        ("still pending", undecided),
        ("not on the newest accepted revision", stale),
        ("decided without a decision record", no_decision),
        ("decision and comment disagree", wrong),
    ):
        if items:
            failures.append(f"(b) {len(items)} {label}: {items[:10]}")
    if state["scoring_errors"]:
        failures.append(
            f"(b) {state['scoring_errors']} decisions have reason scoring_error: "
            "a database or broker fault became moderator work"
        )
    if duplicates:
        shown = [f"comment {k[0]} r{k[1]}: {v}" for k, v in list(duplicates.items())[:10]]
        failures.append(f"(b) {len(duplicates)} revisions decided more than once: {shown}")

    # (c) every final outcome reached the receiver
    not_called, contradicted = [], []
    for cid in accepted:
        if cid not in comments:
            continue
        _pk, rev, status = comments[cid]
        with receiver.lock:
            got = [(r, s) for r, s, _ in receiver.by_comment.get(cid, ())]
        if (rev, status) not in got:
            not_called.append(f"{cid} r{rev} {status}")
        if any(r == rev and s != status for r, s in got):
            contradicted.append(f"{cid} r{rev}: stored {status}, called back {got}")
    ok_c = not not_called and not contradicted
    lines.append(
        f"(c) final outcome called back: {len(accepted) - len(not_called)}/{len(accepted)}  "
        f"{'OK' if ok_c else 'FAIL'}"
    )
    if not_called:
        failures.append(f"(c) {len(not_called)} final outcomes never delivered: {not_called[:10]}")
    if contradicted:
        failures.append(
            f"(c) {len(contradicted)} callbacks contradict the record: {contradicted[:5]}"
        )
    statuses = Counter(status for _pk, _rev, status in comments.values())
    lines.append(
        "outcomes: "
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        + f"; deliveries: {dict(sorted(state['deliveries'].items()))}, "
        f"{state['attempts']} attempts"
    )
    return lines, failures


def throughput(url: str, marks: list[tuple[str, float]], receiver: Receiver) -> list[str]:
    """Decisions and callbacks per second in each phase of the run."""
    with psycopg.connect(libpq(url), connect_timeout=5) as conn:
        decided = sorted(
            float(t)
            for (t,) in conn.execute("SELECT extract(epoch FROM decided_at) FROM decisions")
        )
    with receiver.lock:
        arrived = sorted(receiver.arrivals)
    lines = ["throughput by phase (decisions/s, callbacks received/s):"]
    ordered = sorted(marks, key=lambda mark: mark[1])
    for (name, start), (_next, end) in itertools.pairwise(ordered):
        if end - start < 0.5:
            continue
        n_dec = bisect.bisect(decided, end) - bisect.bisect(decided, start)
        n_cb = bisect.bisect(arrived, end) - bisect.bisect(arrived, start)
        lines.append(
            f"  {name:<34} {end - start:5.1f} s  {n_dec / (end - start):6.1f}  "
            f"{n_cb / (end - start):6.1f}"
        )
    return lines
