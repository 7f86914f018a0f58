"""``/metrics`` reads the database at most once per period, whatever the number of scrapes."""

from __future__ import annotations

import threading

import pytest

from moderation.stats import views
from moderation.stats.cache import metrics_cache


@pytest.fixture
def computed(app, monkeypatch):
    """How many times the numbers were read from the database."""
    calls = []
    real = views.stats

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "stats", counting)
    return calls


def scrape(app):
    response = app.test_client().get("/metrics")
    assert response.status_code == 200
    return response.text


def test_scrapes_within_the_period_read_the_database_once(app, computed):
    texts = {scrape(app) for _ in range(20)}
    assert len(computed) == 1 and len(texts) == 1
    assert 'moderation_queue_depth{queue="pending"} 0' in texts.pop()


def test_concurrent_scrapes_read_it_once(app, computed):
    codes = []

    def run():
        for _ in range(5):
            codes.append(app.test_client().get("/metrics").status_code)

    threads = [threading.Thread(target=run) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [200] * 80 and len(computed) == 1


def test_the_numbers_are_read_again_once_the_period_is_over(app, computed):
    scrape(app)
    metrics_cache().at -= app.config["METRICS_CACHE_SECONDS"]
    scrape(app)
    assert len(computed) == 2


def test_no_cache_when_the_period_is_zero(app, computed):
    app.config["METRICS_CACHE_SECONDS"] = 0.0
    for _ in range(3):
        scrape(app)
    assert len(computed) == 3
