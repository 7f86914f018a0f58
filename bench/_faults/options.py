"""One fault-injection run's size and faults, its house rules and its comment texts."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

SLUG = "faults"
WORKER_LOG_LEVEL = os.environ.get("FAULTS_CELERY_LOG_LEVEL", "WARNING")

RULES = """\
default: approve
rules:
  - id: severe
    priority: 60
    if: {body: {words: [ordure]}}
    then: reject
    reason: insult
  - id: doubtful
    priority: 10
    if: {body: {words: [douteux, louche]}}
    then: review
    reason: insult
"""

SENTENCES = (
    "Merci pour cet article, très clair sur la réforme des retraites.",
    "Je ne suis pas d'accord avec l'auteur sur ce point précis.",
    "Un chiffre me semble douteux dans le deuxième paragraphe.",
    "Quelle ordure ce commentateur, franchement.",
    "Bonne analyse, mais il manque la position de l'opposition.",
    "Article intéressant, j'attends la suite avec impatience.",
    "Ce montage financier est louche, il faudrait enquêter.",
    "La photo ne correspond pas à la légende.",
)


@dataclass
class Options:
    """One run's size and faults (durations in seconds)."""

    comments: int = 2000  # webhooks sent, revisions included
    rate: float = 25.0  # webhooks per second
    revision_share: float = 0.10
    faults: tuple[str, ...] = ("kills", "redis", "postgres", "receiver")
    kill_every: float = 5.0
    pool_kills: bool = True  # also SIGKILL a pool process between worker kills
    callback_kills: bool = True  # also SIGKILL the callbacks worker every third kill
    workers: int = 2
    concurrency: int = 2
    redis_down: float = 4.0
    pg_down: float = 4.0
    receiver_outage: float = 15.0  # a third each: 503, no answer, not listening
    settle_timeout: float = 300.0
    idle_giveup: float = 45.0  # stop settling once nothing is pending for this long
    sweep_after: int = 5
    callback_first_retry: float = 1.0
    client_threads: int = 64
    client_giveup: float = 300.0  # one webhook's retries end after this long
    seed: int = 1
    keep_logs: bool = False
    progress: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr))
