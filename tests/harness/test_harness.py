"""The process harness: a Proc's kill takes its whole group; the receiver checks and dedups."""

from __future__ import annotations

import json
import os
from pathlib import Path

import requests

from harness.procs import Proc, children, group_alive, wait_until
from harness.receiver import Receiver
from moderation.signing import signature_headers


def test_kill_takes_the_whole_process_group(tmp_path: Path) -> None:
    args = ["sh", "-c", "sleep 60 & sleep 60 & wait"]
    proc = Proc("sleepers", args, os.environ, tmp_path / "log")
    assert wait_until(lambda: len(children(proc.pid)) == 2, 10)
    proc.kill()
    assert not proc.alive() and wait_until(lambda: not group_alive(proc.pid), 5)


def _post(receiver: Receiver, secret: str, delivery: str, body: dict[str, object]) -> int:
    raw = json.dumps(body).encode()
    headers = {
        "X-Moderation-Delivery": delivery,
        **signature_headers(secret, "POST", "/callback", raw),
    }
    return requests.post(receiver.url, data=raw, headers=headers, timeout=5).status_code


def test_receiver_verifies_records_and_counts_duplicates() -> None:
    body = {"comment": {"id": "c-1", "revision": 2, "status": "approved"}}
    with Receiver(["s3cret"]) as receiver:
        assert _post(receiver, "s3cret", "d-1", body) == 204
        assert _post(receiver, "s3cret", "d-1", body) == 204
        assert _post(receiver, "wrong", "d-2", body) == 401
        receiver.mode = "503"
        assert _post(receiver, "s3cret", "d-3", body) == 503
    assert receiver.got("c-1", 2, "approved") and not receiver.got("c-1", 1, "approved")
    assert (len(receiver.deliveries), receiver.duplicates, receiver.refused) == (1, 1, 1)
    assert len(receiver.rejected) == 1
