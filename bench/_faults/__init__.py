"""Fault injection: the real stack under steady webhook traffic while its parts die.

Used by ``bench/faults`` (2,000 comments) and ``tests/bench/test_faults.py``
(a short run). One run (``run.py``):

1. a private PostgreSQL and a private Redis (no persistence) on free ports, started
   for the run and removed afterwards: the machine's servers are never touched;
2. gunicorn (2 workers), Celery workers, one beat process, a callback receiver on
   loopback and a site pointing at it (``stack.py``);
3. a client that behaves like a real site (``client.py``): it posts signed comments
   at a steady rate and retries on connection errors, 5xx and 429 (honouring
   ``Retry-After``, capped) until it gets a 2xx; about 10 % of its requests are new
   revisions of comments already accepted (never two requests for one comment at
   once, so "the newest accepted revision" is well defined);
4. meanwhile (``injections.py``): a worker SIGKILLed (its whole process group)
   every ``kill_every`` seconds and replaced, a pool process SIGKILLed between
   those kills, the private Redis SIGKILLed and restarted once (the queues are
   lost), the private PostgreSQL stopped and restarted once, the callback receiver
   answering 503, then accepting connections without ever answering, then not
   listening (a third of ``receiver_outage`` each);
5. a bounded wait until the system settles, then the checks of SPEC §8 (``checks.py``):
   (a) every comment and every revision acknowledged with a 2xx is stored;
   (b) every accepted comment is decided for its newest accepted revision, with
       exactly one automatic decision per scored (comment, revision);
   (c) the receiver got (deduplicated by ``X-Moderation-Delivery``) a callback
       for each comment's newest revision carrying its stored status.

It also reports (``report.py``) retries, kills, duplicate deliveries, the broker
queue's peak, decisions and callbacks per second in each phase, and the warnings
and errors the processes logged. ``FAULTS_CELERY_LOG_LEVEL=INFO`` and
``keep_logs`` help when digging into a run.
"""

from bench._faults.options import Options
from bench._faults.report import Report
from bench._faults.run import can_inject_faults, run

__all__ = ["Options", "Report", "can_inject_faults", "run"]
