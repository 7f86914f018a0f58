"""Sign-in limits protect without locking anyone else out: per (name, address) with backoff."""

from __future__ import annotations

import time

import pytest

from tests.console.conftest import PASSWORD, csrf_of, make_moderator
from tests.helpers import make_app


@pytest.fixture
def limited(console_app, tmp_path):
    """The same database, served with limits on."""
    make_moderator("alice")
    make_moderator("bob")
    # The per-address request ceiling (50 a second) is not under test here: thirty refused
    # sign-ins are sixty fast requests, which a quick machine fits in one second's window.
    return make_app(
        console_app.config["DATABASE_URL"],
        tmp_path,
        RATE_LIMITS_ENABLED=True,
        RATE_LIMIT_CLIENT="1000/second",
    )


def attempt(app, name, password, address="192.0.2.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_of(client.get("/console/login").get_data(as_text=True))
    data = {"name": name, "password": password, "csrf_token": token}
    return client.post("/console/login", data=data)


def test_one_user_s_failures_do_not_lock_out_another_from_the_same_address(limited):
    codes = [attempt(limited, "alice", "wrong password").status_code for _ in range(30)]
    assert codes[:10] == [401] * 10 and set(codes[10:]) == {429}
    assert attempt(limited, "bob", PASSWORD).status_code == 302


def test_nor_the_same_user_from_another_address(limited):
    for _ in range(30):
        attempt(limited, "alice", "wrong password")
    assert attempt(limited, "alice", PASSWORD, address="198.51.100.7").status_code == 302


def test_each_failure_past_the_free_ones_doubles_the_wait(limited):
    limited.config["LOGIN_FREE_FAILURES"] = 2
    assert [attempt(limited, "alice", "wrong").status_code for _ in range(2)] == [401, 401]
    waiting = attempt(limited, "alice", "wrong")
    assert waiting.status_code == 429 and waiting.headers["Retry-After"] in ("1", "2")
    time.sleep(1.1)
    assert attempt(limited, "alice", "wrong").status_code == 401
    longer = attempt(limited, "alice", PASSWORD)  # even the right password waits its turn
    assert longer.status_code == 429 and longer.headers["Retry-After"] in ("2", "3")


def test_a_good_password_forgives_the_failures(limited):
    limited.config["LOGIN_FREE_FAILURES"] = 3
    for _ in range(2):
        assert attempt(limited, "alice", "wrong").status_code == 401
    assert attempt(limited, "alice", PASSWORD).status_code == 302
    assert [attempt(limited, "alice", "wrong").status_code for _ in range(2)] == [401, 401]


def test_the_address_ceiling_bounds_guessing_across_names(limited):
    limited.config["LOGIN_RATE_LIMIT"] = "5/minute"
    codes = [attempt(limited, f"user-{i}", "wrong").status_code for i in range(5)]
    assert codes == [401] * 5
    refused = attempt(limited, "bob", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert attempt(limited, "bob", PASSWORD, address="198.51.100.7").status_code == 302
